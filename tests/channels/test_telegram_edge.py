"""The Telegram webhook at the edge: malformed updates never give a 500, a helper links their account with
`/link CODE`, claim buttons count only in the organisation's group, and an update delivered again after a crash
gets the logged replies that never went out (and nothing twice)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlmodel import Session, col, select
from telegram import Update

from bot.channels.telegram.parse import parse_update
from bot.runtime import Deps
from bot.service import handle
from handoff.organisations import parse_organisations
from handoff.telegram_links import new_link_code
from storage.models import Contact, Message, Ticket, User
from tests.channels.conftest import TELEGRAM_SECRET, count
from tests.channels.fakes import FakeTelegram
from tests.handoff.conftest import make_user, open_ticket_by_chat

UPDATES: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "payloads" / "telegram_updates.yaml").read_text(encoding="utf-8")
)
HEADER = "X-Telegram-Bot-Api-Secret-Token"
GROUP = -1001234567890  # the chat of the claim_press payload
ORGS = f"""
organisations:
  - id: beego
    name: BEEGO
    hours: "Mo-Su 00:00-24:00"
    languages: [nl]
    notify: telegram
    notify_target: "{GROUP}"
"""


def update(kind: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(UPDATES[kind])
    data.update(changes)
    return data


async def post(http: httpx.AsyncClient, data: Any) -> httpx.Response:
    return await http.post("/webhooks/telegram", json=data, headers={HEADER: TELEGRAM_SECRET})


def sends(fake: FakeTelegram) -> list[dict[str, Any]]:
    return [params for _, params in fake.sent("sendMessage")]


def private(update_id: int, text: Any, user_id: int = 5550001) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1795000000, "from": {"id": user_id, "is_bot": False, "first_name": "A"},
        "chat": {"id": user_id, "first_name": "A", "type": "private"}, "text": text}}


MALFORMED = {
    "message without a chat": {"update_id": 1, "message": {"message_id": 1, "date": 1, "text": "hallo"}},
    "chat without an id": {"update_id": 2, "message": {"message_id": 1, "date": 1, "chat": {"type": "private"},
                                                       "text": "hallo"}},
    "text that is a number": private(3, 12345),
    "text that is a list": private(4, ["menu"]),
    "caption that is an object": {"update_id": 5, "message": {
        "message_id": 1, "date": 1, "chat": {"id": 5, "type": "private"}, "caption": {"x": 1}}},
    "callback without from": {"update_id": 6, "callback_query": {"id": "q1", "chat_instance": "1", "data": "1"}},
    "callback from without id": {"update_id": 7, "callback_query": {"id": "q1", "from": {"first_name": "x"},
                                                                    "chat_instance": "1", "data": "1"}},
    "callback data that is a number": {"update_id": 8, "callback_query": {
        "id": "q1", "from": {"id": 5, "is_bot": False, "first_name": "x"}, "chat_instance": "1", "data": 7}},
    "message that is a string": {"update_id": 9, "message": "hallo"},
}


@pytest.mark.parametrize("name", list(MALFORMED))
async def test_malformed_updates_get_a_polite_200(
    name: str, client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    response = await post(client, MALFORMED[name])
    assert response.status_code == 200, response.text
    assert count(wired, Message) == 0 and sends(fake_telegram[0]) == []


async def test_deeply_nested_json_is_a_400(client: httpx.AsyncClient) -> None:
    body = '{"update_id": 1, "message": ' + "[" * 50000 + "]" * 50000 + "}"
    response = await client.post("/webhooks/telegram", content=body,
                                 headers={HEADER: TELEGRAM_SECRET, "content-type": "application/json"})
    assert response.status_code == 400


async def test_a_helper_links_their_telegram_with_the_inbox_code(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    helper = make_user(wired, "sara@beego.be", organisation="beego", name="Sara")
    with Session(wired.db) as session:
        user = session.get(User, helper.id)
        assert user is not None
        code, _ = new_link_code(session, user, wired.clock())
        session.commit()
    assert (await post(client, private(900001, "/link 00000000", 6660001))).status_code == 200
    assert (await post(client, private(900002, f"/link {code[:4]} {code[4:]}", 6660001))).status_code == 200
    answers = [sent["text"] for sent in sends(fake_telegram[0])]
    assert answers[0].startswith("Deze code klopt niet") and answers[1].startswith("Gekoppeld")
    with Session(wired.db) as session:
        assert session.get(User, helper.id).telegram_user_id == 6660001  # type: ignore[union-attr]
    assert count(wired, Message) == 0  # a /link is not a resident's message


async def test_link_attempts_are_limited_per_telegram_user(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    helper = make_user(wired, "sara@beego.be", organisation="beego")
    for attempt in range(5):
        await post(client, private(910000 + attempt, f"/link {attempt:08d}", 6660002))
    with Session(wired.db) as session:
        user = session.get(User, helper.id)
        assert user is not None
        code, _ = new_link_code(session, user, wired.clock())
        session.commit()
    await post(client, private(910009, f"/link {code}", 6660002))  # right code, but the sixth try this minute
    assert sends(fake_telegram[0])[-1]["text"].startswith("Deze code klopt niet")
    with Session(wired.db) as session:
        assert session.get(User, helper.id).telegram_user_id is None  # type: ignore[union-attr]


async def test_a_claim_press_works_only_for_a_linked_helper_in_the_group(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    organisations = parse_organisations(ORGS, "test")
    wired.organisations = lambda: organisations
    code = open_ticket_by_chat(wired)
    press = update("claim_press")
    press["callback_query"]["data"] = f"claim:{code}"
    assert (await post(client, press)).status_code == 200  # Bram is not linked
    make_user(wired, "bram@beego.be", organisation="beego", name="Bram", telegram_user_id=6660001)
    elsewhere = copy.deepcopy(press)
    elsewhere["update_id"] += 1
    elsewhere["callback_query"]["message"]["chat"]["id"] = -100555
    assert (await post(client, elsewhere)).status_code == 200  # linked, but not in BEEGO's group
    with Session(wired.db) as session:
        assert session.exec(select(Ticket)).one().status == "open"
    again = copy.deepcopy(press)
    again["update_id"] += 2
    assert (await post(client, again)).status_code == 200
    answers = [params["text"] for _, params in fake_telegram[0].sent("answerCallbackQuery")]
    assert answers[0] == answers[1] and answers[0].startswith("Dat kan niet")
    assert answers[2].startswith(f"Bram heeft vraag {code}")
    with Session(wired.db) as session:
        assert session.exec(select(Ticket)).one().claimed_by_name == "Bram"


async def test_an_update_delivered_again_after_a_crash_gets_the_replies_once(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    data = update("text")
    parsed = parse_update(Update.de_json(data, None), wired.clock())
    assert parsed.inbound is not None
    handle(parsed.inbound, wired)  # stored and answered in the log, then the process died before sending
    assert sends(fake_telegram[0]) == []
    assert (await post(client, data)).status_code == 200  # Telegram delivers the update again
    [sent] = sends(fake_telegram[0])
    assert "Digipunt in de buurt" in sent["text"]
    with Session(wired.db) as session:
        statuses = session.exec(select(Message.status).where(Message.direction == "out")).all()
    assert statuses == ["delivered"]
    assert (await post(client, data)).status_code == 200  # and once more: nothing twice
    assert len(sends(fake_telegram[0])) == 1


async def test_replies_sent_normally_are_marked_and_never_repeated(
    client: httpx.AsyncClient, wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    for _ in range(2):
        await post(client, update("text"))
    assert len(sends(fake_telegram[0])) == 1
    with Session(wired.db) as session:
        contact = session.exec(select(Contact)).one()
        statuses = session.exec(select(Message.status).where(Message.contact_id == contact.id,
                                                             col(Message.direction) == "out")).all()
    assert statuses == ["delivered"]
