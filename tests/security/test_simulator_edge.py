"""The simulators at the web edge: their conversations are tests (no real ticket, no announcement, no outbox, only in
the inbox's test view), the public one is rate-limited per client and off by default on a public URL, odd bodies
get a 4xx, and the moment, location and "new conversation" controls behave like `digibuur chat --at`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.app import create_app
from bot.crons import announce_tickets
from bot.runtime import Deps
from bot.settings import Settings
from bot.simulator import parse_moment
from handoff import inbox
from handoff.notify import announce_hook_for, message_hook
from storage.models import Conversation, Outbox, Ticket
from tests.handoff.conftest import make_user, open_ticket_by_chat, organisations

BRUSSELS = ZoneInfo("Europe/Brussels")


@pytest.fixture
def announcing(deps: Deps) -> Deps:
    """Organisations that announce on Telegram/SMS, with the announcement hooks wired as in production."""
    orgs = organisations()
    deps.organisations = lambda: orgs
    deps.on_ticket_opened.append(announce_hook_for(lambda: orgs, "https://digibuur.example.org"))
    deps.on_ticket_message.append(message_hook)
    return deps


@pytest.fixture
def client(announcing: Deps) -> Iterator[TestClient]:
    settings = replace(announcing.settings, public_simulator=True, simulator_per_minute=1000)
    with TestClient(create_app(settings, announcing, scheduler=False)) as http:
        yield http


def sim(http: TestClient, text: str, address: str = "+32470000009", **extra: Any) -> dict[str, Any]:
    response = http.post("/simulator/send", json={"channel": "sms", "address": address, "text": text, **extra})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def open_by_simulator(http: TestClient, address: str = "+32470000009") -> Ticket:
    for text in ("ik wil iemand spreken", "1", "1", "1"):
        sim(http, text, address)
    return ticket_of(http, f"sim:{address}")


def ticket_of(http: TestClient, address: str) -> Ticket:
    deps: Deps = http.app.state.deps  # type: ignore[attr-defined]
    with Session(deps.db) as session:
        from storage.models import Contact

        contact = session.exec(select(Contact).where(Contact.address == address)).one()
        return session.exec(select(Ticket).where(Ticket.contact_id == contact.id)).one()


def outbox_rows(deps: Deps) -> list[Outbox]:
    with Session(deps.db) as session:
        return list(session.exec(select(Outbox)))


def test_a_simulated_ticket_is_a_test_that_reaches_nobody(client: TestClient, announcing: Deps) -> None:
    ticket = open_by_simulator(client)
    assert ticket.test is True
    assert outbox_rows(announcing) == []  # not announced to the organisation's group
    assert announce_tickets.run(announcing, announcing.clock())["announced"] == 0
    sim(client, "hallo, nog iets")  # the resident writes again: no "resident wrote" notice either
    helper = make_user(announcing, "anna@beego.be", organisation=ticket.organisation, telegram_user_id=4242)
    with Session(announcing.db) as session:
        assert inbox.claim(session, helper, ticket.code, announcing.clock()) is True
        session.commit()
    sim(client, "dank je")
    assert outbox_rows(announcing) == []  # no claim notice to a simulated resident, no forward to the helper


def test_a_real_ticket_is_still_announced(announcing: Deps) -> None:
    code = open_ticket_by_chat(announcing)
    rows = outbox_rows(announcing)
    assert [row.purpose for row in rows] == ["ticket_announcement"]
    assert code in rows[0].body["text"]


def test_test_tickets_show_only_in_the_test_view(client: TestClient, announcing: Deps) -> None:
    simulated = open_by_simulator(client)
    real = open_ticket_by_chat(announcing)
    staff = make_user(announcing, "staff@gent.be", role="staff", organisation=None)
    with Session(announcing.db) as session:
        for scope in ("unclaimed", "organisation", "all"):
            codes = [t.code for t in inbox.list_tickets(session, viewer=staff, scope=scope)]  # type: ignore[arg-type]
            assert real in codes and simulated.code not in codes, scope
        tests = inbox.list_tickets(session, viewer=staff, scope="test")
        assert [t.code for t in tests] == [simulated.code] and tests[0].test
        assert inbox.get_ticket(session, staff, simulated.code).ticket.test


def test_test_tickets_do_not_make_an_organisation_look_busy(client: TestClient, announcing: Deps) -> None:
    from handoff.tickets import open_counts

    for number in range(3):
        open_by_simulator(client, f"+3247000010{number}")
    with Session(announcing.db) as session:
        assert open_counts(session) == {}


def test_the_public_simulator_is_rate_limited_per_client(announcing: Deps) -> None:
    settings = replace(announcing.settings, public_simulator=True, simulator_per_minute=3)
    with TestClient(create_app(settings, announcing, scheduler=False)) as http:
        body = {"channel": "sms", "address": "+32470000001", "text": "menu"}
        statuses = [http.post("/simulator/send", json=body).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        refused = http.post("/simulator/send", json=body)
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
        assert http.post("/simulator/reset", json=body).status_code == 429


@pytest.mark.parametrize(("url", "database", "expected"), [
    ("", "", True),
    ("http://127.0.0.1:8000", "", True),
    ("http://localhost:8000", "postgresql://u@db/x", True),
    ("https://digibuur.gent.be", "", False),
    ("https://digibuur.gent.be", "postgresql://u@db/x", False),
])
def test_the_public_simulator_is_on_by_default_only_on_a_local_url(url: str, database: str, expected: bool) -> None:
    env = {"PUBLIC_BASE_URL": url, "DATABASE_URL": database}
    assert Settings.from_env(env).public_simulator is expected
    assert Settings.from_env({**env, "PUBLIC_SIMULATOR": "1"}).public_simulator is True


def test_off_means_not_served(announcing: Deps) -> None:
    settings = replace(announcing.settings, public_simulator=False)
    with TestClient(create_app(settings, announcing, scheduler=False), follow_redirects=False) as http:
        assert http.get("/simulator").status_code == 404
        assert http.post("/simulator/send", json={"address": "x", "text": "menu"}).status_code == 404


@pytest.mark.parametrize("body", ["[" * 15000, '{"a":' * 2500 + "1" + "}" * 2500, "not json", "[1, 2]"])
def test_odd_json_is_a_400(client: TestClient, body: str) -> None:
    response = client.post("/simulator/send", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400


@pytest.mark.parametrize("extra", [{"address": {"a": [1]}}, {"text": ["menu"]}, {"lat": "nan", "lon": 3.7},
                                   {"lat": 91, "lon": 3.7}, {"lat": True, "lon": 3.7}, {"at": "tomorrow"},
                                   {"at": "9999-12-31 10:00"}, {"at": 5}, {"channel": ["sms"]}])
def test_bad_fields_are_a_422(client: TestClient, extra: dict[str, Any]) -> None:
    body = {"channel": "sms", "address": "+32470000001", "text": "menu", **extra}
    assert client.post("/simulator/send", json=body).status_code == 422


def test_the_moment_follows_chat_at(client: TestClient) -> None:
    assert parse_moment("2026-12-05 22:00", "Europe/Brussels") == datetime(2026, 12, 5, 22, 0, tzinfo=BRUSSELS)
    assert parse_moment("2026-12-05T21:00:00+00:00", "Europe/Brussels") == datetime(2026, 12, 5, 22, 0,
                                                                                    tzinfo=BRUSSELS)
    saturday_night = sim(client, "digipunt de krook", at="2026-12-05 22:00")
    thursday_morning = sim(client, "digipunt de krook", address="+32470000010", at="2026-11-26T10:30+01:00")
    assert saturday_night["moment"] == "2026-12-05T22:00+01:00"
    assert thursday_morning["moment"] == "2026-11-26T10:30+01:00"
    krook_at_night = saturday_night["replies"][0]["text"].splitlines()[1]
    krook_in_the_morning = thursday_morning["replies"][0]["text"].splitlines()[1]
    assert "De Krook" in krook_at_night and "gesloten" in krook_at_night  # Saturday 22:00: closed till Monday
    assert "De Krook" in krook_in_the_morning and "gesloten" not in krook_in_the_morning


def test_a_location_from_the_picker_is_used(client: TestClient) -> None:
    sim(client, "waar is een digipunt")
    dampoort = sim(client, "", lat=51.056365, lon=3.740591)["replies"][0]["text"]
    assert "Kringwinkel" in dampoort


def test_new_conversation_forgets_the_state_but_not_the_ticket(client: TestClient, announcing: Deps) -> None:
    ticket = open_by_simulator(client)
    sim(client, "waar is een digipunt")
    response = client.post("/simulator/reset", json={"channel": "sms", "address": "+32470000009"})
    assert response.json() == {"reset": True}
    with Session(announcing.db) as session:
        states = [row.state for row in session.exec(select(Conversation))]
        assert states == [{}]
        assert session.get(Ticket, ticket.id) is not None
    unknown = client.post("/simulator/reset", json={"channel": "sms", "address": "+32479999999"})
    assert unknown.json() == {"reset": False}


def test_the_page_has_a_map_of_every_wijk_and_the_places(client: TestClient, announcing: Deps) -> None:
    page = client.get("/simulator").text
    wijken = announcing.library().places.wijken.wijken
    assert page.count('class="wijk"') == len(wijken)
    assert "De Krook" in page and "Station Gent-Dampoort" in page
    assert "<script>" not in page and 'src="/static/simulator.js"' in page
