"""The Telegram webhook with python-telegram-bot talking to a fake Bot API: keyboards, location requests,
venues, secret token, update dedupe, claim buttons, failed sends going to the outbox."""

from __future__ import annotations

import asyncio
import copy
import sys
import types
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlmodel import Session, select

from bot.crons import drain_outbox
from bot.runtime import Deps
from storage.models import Contact, Message, Outbox
from tests.channels.conftest import TELEGRAM_SECRET, app_client, count
from tests.channels.fakes import FakeTelegram, TelegramFailure

UPDATES: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "payloads" / "telegram_updates.yaml").read_text(encoding="utf-8")
)
HEADER = "X-Telegram-Bot-Api-Secret-Token"
CHAT = 5550001


def update(kind: str, update_id: int | None = None, text: str | None = None) -> dict[str, Any]:
    data = copy.deepcopy(UPDATES[kind])
    if update_id is not None:
        data["update_id"] = update_id
    if text is not None:
        data["message"]["text"] = text
    return data


async def post(http: httpx.AsyncClient, data: dict[str, Any], secret: str | None = TELEGRAM_SECRET) -> httpx.Response:
    headers = {HEADER: secret} if secret is not None else {}
    return await http.post("/webhooks/telegram", json=data, headers=headers)


def sends(fake: FakeTelegram) -> list[dict[str, Any]]:
    return [params for method, params in fake.sent("sendMessage")]


async def test_options_become_a_one_time_reply_keyboard(
    client: httpx.AsyncClient, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    fake = fake_telegram[0]
    response = await post(client, update("text"))
    assert response.status_code == 200
    [sent] = sends(fake)
    assert int(sent["chat_id"]) == CHAT
    assert "1 Digipunt in de buurt" in sent["text"]  # typed digits keep working
    keyboard = sent["reply_markup"]
    assert keyboard["one_time_keyboard"] is True
    labels = [row[0]["text"] for row in keyboard["keyboard"]]
    assert labels[:2] == ["Digipunt in de buurt", "Wifi of hotspot"]
    assert all(len(row) == 1 for row in keyboard["keyboard"])


async def test_pressing_a_keyboard_label_picks_the_option(
    client: httpx.AsyncClient, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    fake = fake_telegram[0]
    await post(client, update("text"))
    await post(client, update("text", 700000101, "Digipunt in de buurt"))
    last = sends(fake)[-1]
    assert "postcode" in last["text"]
    location_row = last["reply_markup"]["keyboard"][-1]
    assert location_row == [{"text": "Deel mijn locatie", "request_location": True}]


async def test_shared_location_gets_a_venue(client: httpx.AsyncClient, fake_telegram: tuple[FakeTelegram, str]) -> None:
    fake = fake_telegram[0]
    assert (await post(client, update("location"))).status_code == 200
    [text] = sends(fake)
    assert "De Krook" in text["text"]
    [(_, venue)] = fake.sent("sendVenue")
    assert venue["title"] == "Digipunt Bibliotheek De Krook"
    assert abs(float(venue["latitude"]) - 51.05) < 0.05 and venue["address"]
    # a shared venue is a location too
    await post(client, update("venue"))
    assert "Dichtbij" in sends(fake)[-1]["text"]
    assert len(fake.sent("sendVenue")) == 2


async def test_the_callback_number_is_shared_with_one_button(
    client: httpx.AsyncClient, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    fake = fake_telegram[0]
    await post(client, update("text", 700000201, "kan iemand mij bellen?"))
    asked = sends(fake)[-1]
    assert "nummer" in asked["text"]
    assert asked["reply_markup"]["keyboard"][0] == [{"text": "Deel mijn nummer", "request_contact": True}]
    assert (await post(client, update("contact"))).status_code == 200
    assert "+32 470 12 34 56" in sends(fake)[-1]["text"]  # read back to confirm, like a typed number


async def test_photo_only_gets_the_text_only_answer(
    client: httpx.AsyncClient, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    await post(client, update("photo"))
    assert "alleen tekst" in sends(fake_telegram[0])[0]["text"]


@pytest.mark.parametrize("secret", [None, "", "wrong-secret", TELEGRAM_SECRET + "x", TELEGRAM_SECRET.upper()])
async def test_wrong_secret_token_is_refused(
    secret: str | None, client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    response = await post(client, update("text"), secret=secret)
    assert response.status_code == 403
    assert count(wired, Message) == 0 and count(wired, Contact) == 0
    assert sends(fake_telegram[0]) == []


async def test_repeated_update_id_is_processed_once(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    fake = fake_telegram[0]
    for _ in range(3):
        assert (await post(client, update("text"))).status_code == 200
    assert len(sends(fake)) == 1
    with Session(wired.db) as session:
        inbound = session.exec(select(Message).where(Message.direction == "in")).all()
    assert [m.external_id for m in inbound] == ["tg-update-700000001"]


async def test_group_chatter_is_ignored(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    assert (await post(client, update("group_chatter"))).status_code == 200
    assert count(wired, Message) == 0 and sends(fake_telegram[0]) == []


async def test_claim_press_without_the_claims_module_is_still_answered(
    client: httpx.AsyncClient, fake_telegram: tuple[FakeTelegram, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "handoff.telegram_claims", None)  # import fails like a missing module
    assert (await post(client, update("claim_press"))).status_code == 200
    [(_, answer)] = fake_telegram[0].sent("answerCallbackQuery")
    assert answer["callback_query_id"] == "4382bfdwdsb323b2d9"


async def test_claim_press_calls_handle_claim_and_answers_with_its_text(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[Any, ...]] = []

    def handle_claim(deps: Deps, code: str, user_id: int, name: str, now: datetime, *, chat_id: int | None) -> str:
        seen.append((deps, code, user_id, name, now, chat_id))
        return f"Ticket {code} is voor jou, {name}."

    module = types.ModuleType("handoff.telegram_claims")
    module.handle_claim = handle_claim  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "handoff.telegram_claims", module)
    assert (await post(client, update("claim_press"))).status_code == 200
    assert seen == [(wired, "K7Q2M", 6660001, "Bram De Smet", wired.clock(), -1001234567890)]
    [(_, answer)] = fake_telegram[0].sent("answerCallbackQuery")
    assert answer["text"] == "Ticket K7Q2M is voor jou, Bram De Smet."


async def test_private_button_press_is_handled_and_answered(
    client: httpx.AsyncClient, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    press = {
        "update_id": 700000201,
        "callback_query": {
            "id": "99",
            "from": {"id": CHAT, "is_bot": False, "first_name": "Anna"},
            "chat_instance": "1",
            "data": "menu",
            "message": {"message_id": 5, "date": 1795000000, "chat": {"id": CHAT, "type": "private"}, "text": "x"},
        },
    }
    assert (await post(client, press)).status_code == 200
    assert [p["callback_query_id"] for _, p in fake_telegram[0].sent("answerCallbackQuery")] == ["99"]
    assert "1 Digipunt in de buurt" in sends(fake_telegram[0])[0]["text"]


async def test_failed_send_answers_200_and_goes_to_the_outbox(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    fake = fake_telegram[0]
    fake.fail("sendMessage", TelegramFailure(502, "Bad Gateway"))
    assert (await post(client, update("text"))).status_code == 200
    with Session(wired.db) as session:
        [row] = session.exec(select(Outbox)).all()
    assert (row.channel, row.address, row.status) == ("telegram", str(CHAT), "pending")
    assert row.body["options"][0] == ["1", "Digipunt in de buurt"]
    counts = await asyncio.to_thread(drain_outbox.run, wired, wired.clock())  # the worker runs it in a thread
    assert counts["sent"] == 1
    resent = sends(fake)[-1]
    assert "Digipunt in de buurt" in resent["text"] and resent["reply_markup"]["one_time_keyboard"] is True
    with Session(wired.db) as session:
        assert session.get(Outbox, row.id).status == "sent"  # type: ignore[union-attr]


async def test_failed_venue_only_queues_the_venue(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    fake = fake_telegram[0]
    fake.fail("sendVenue", TelegramFailure(500, "Internal Server Error"))
    await post(client, update("location"))
    with Session(wired.db) as session:
        [row] = session.exec(select(Outbox)).all()
    assert row.body["text"] == "" and row.body["place"]["name"] == "Digipunt Bibliotheek De Krook"
    await asyncio.to_thread(drain_outbox.run, wired, wired.clock())
    assert len(sends(fake)) == 1  # the text went out once, inline
    assert len(fake.sent("sendVenue")) == 2  # the failed try, then the retry from the outbox


async def test_telegram_without_secret_answers_503(deps: Deps) -> None:
    settings = replace(deps.settings, telegram_bot_token="123:abc", telegram_webhook_secret="")
    async with app_client(settings, deps) as http:
        response = await http.post("/webhooks/telegram", json=update("text"), headers={HEADER: ""})
    assert response.status_code == 503
    assert count(deps, Message) == 0


async def test_unreachable_bot_api_at_start_does_not_crash(wired: Deps) -> None:
    settings = replace(wired.settings, telegram_api_base_url="http://127.0.0.1:9/bot")
    async with app_client(settings, wired) as http:
        response = await post(http, update("text"))
    assert response.status_code == 200
    with Session(wired.db) as session:
        assert len(session.exec(select(Outbox)).all()) == 1  # the reply waits in the outbox
