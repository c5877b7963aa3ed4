"""The simulator's phone: a test call with the keypad through the real voice flow (what is spoken, what the call
waits for, the TwiML Twilio would get), as a hidden number, leaving only test tickets and no SMS; odd bodies 422."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.app import create_app
from bot.runtime import Deps
from storage.models import Contact, Outbox, Ticket
from tests.channels.voice_call import parse_twiml


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:
    settings = replace(deps.settings, public_simulator=True, simulator_per_minute=1000)
    with TestClient(create_app(settings, deps, scheduler=False)) as http:
        yield http


class SimCall:
    """One simulated call: start it, then press keys for the turn the last answer named."""

    def __init__(self, http: TestClient, address: str = "tester", at: str = "2026-12-03 10:30") -> None:
        self.http, self.address, self.at = http, address, at
        self.last: dict[str, Any] = {}

    def post(self, **body: Any) -> dict[str, Any]:
        response = self.http.post("/simulator/send", json={"channel": "voice", "address": self.address,
                                                           "at": self.at, **body})
        assert response.status_code == 200, response.text
        self.last = response.json()
        return self.last

    def start(self) -> str:
        return self.spoken(self.post())

    def press(self, keys: str) -> str:
        return self.spoken(self.post(call=self.last["call"], turn=self.last["turn"], keys=keys))

    @staticmethod
    def spoken(answer: dict[str, Any]) -> str:
        return " ".join(reply["text"] for reply in answer["replies"])


def test_a_call_speaks_the_menu_in_belgian_dutch_and_waits_for_one_key(client: TestClient) -> None:
    call = SimCall(client)
    menu = call.start()
    assert "druk 1" in menu and "druk 9" in menu
    answer = call.last
    assert answer["call"].startswith("SIM") and answer["keys"] == 1 and answer["hangup"] is False
    assert answer["test"] is True and answer["moment"] == "2026-12-03T10:30+01:00"
    assert answer["replies"][0]["locale"] == "nl-BE"
    twiml = parse_twiml(answer["twiml"])
    assert twiml.gather is not None and twiml.gather["numDigits"] == "1"
    assert twiml.gather["action"] == f"/webhooks/twilio/voice?t={answer['turn']}"


def test_key_1_and_a_postcode_speak_open_places_and_nothing_is_texted(client: TestClient, deps: Deps) -> None:
    call = SimCall(client)
    call.start()
    asked = call.press("1")
    assert call.last["keys"] == 4 and "postcode" in asked
    places = call.press("9000")
    assert "open tot" in places.lower()  # a Thursday morning: the nearest places are open
    with Session(deps.db) as session:
        assert list(session.exec(select(Outbox))) == []
        contact = session.exec(select(Contact).where(Contact.channel == "voice")).one()
        assert contact.address == "sim:tester"  # never a real caller's conversation


def test_a_callback_from_the_simulator_is_a_test_ticket_with_the_typed_number(client: TestClient,
                                                                               deps: Deps) -> None:
    call = SimCall(client)
    call.start()
    call.press("2")
    assert call.last["keys"] == 0  # a hidden number: the caller types one, ended by #
    read_back = call.press("0470123456")
    assert "0, 4, 7, 0, 1, 2, 3, 4, 5, 6" in read_back  # read back digit by digit
    for _ in range(3):  # the number is right, then the first callback window offered
        call.press("1")
        with Session(deps.db) as session:
            if session.exec(select(Ticket)).first() is not None:
                break
    with Session(deps.db) as session:
        ticket = session.exec(select(Ticket)).one()
        assert ticket.test is True and ticket.channel == "voice" and ticket.callback_number == "+32470123456"
        assert list(session.exec(select(Outbox))) == []


@pytest.mark.parametrize("body", [
    {"keys": "12a"},
    {"keys": 1},
    {"call": "CA" + "1" * 32, "turn": 1, "keys": "1"},
    {"call": "SIM" + "0" * 32, "turn": "1", "keys": "1"},
    {"call": "SIM" + "0" * 32, "keys": "1"},
])
def test_odd_phone_bodies_get_422(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/simulator/send", json={"channel": "voice", "address": "tester", **body})
    assert response.status_code == 422, response.text
