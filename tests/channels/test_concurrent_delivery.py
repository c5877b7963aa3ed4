"""The same message delivered three times at once (Twilio retries, Telegram redeliveries) is processed once:
three identical answers, one stored inbound message, one set of replies. On SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from bot.content.library import Library
from bot.runtime import Deps, build_deps
from bot.settings import ContentPaths, Settings
from handoff.organisations import load_organisations
from storage.models import Conversation, Message
from tests.channels.conftest import PUBLIC, TELEGRAM_SECRET, app_client, channel_settings, sign
from tests.channels.fakes import FakeTelegram
from tests.conftest import Clock, new_database_url


@pytest.fixture(params=["sqlite", "postgres"])
def backend_deps(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    library: Library,
    shipped: ContentPaths,
    clock: Clock,
    fake_telegram: tuple[FakeTelegram, str],
) -> Iterator[Deps]:
    url = new_database_url(tmp_path, "sqlite" if request.param == "sqlite" else "postgres")
    base = replace(Settings.from_env({}), database_url=url, run_scheduler=False)
    built = build_deps(channel_settings(base, telegram_url=fake_telegram[1]))
    organisations = load_organisations(shipped.organisations)
    built.library = lambda: library
    built.organisations = lambda: organisations
    built.clock = clock
    yield built
    built.db.dispose()


@pytest.fixture
async def http(backend_deps: Deps) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(backend_deps.settings, backend_deps) as client:
        yield client


def stored(deps: Deps) -> tuple[int, int, int]:
    with Session(deps.db) as session:
        inbound = len(session.exec(select(Message).where(Message.direction == "in")).all())
        outbound = len(session.exec(select(Message).where(Message.direction == "out")).all())
        turns = sum(session.exec(select(Conversation.turns)).all())
    return inbound, outbound, turns


async def test_twilio_triple_delivery_is_processed_once(http: httpx.AsyncClient, backend_deps: Deps) -> None:
    form = {
        "MessageSid": "SM" + "8" * 32,
        "SmsSid": "SM" + "8" * 32,
        "AccountSid": "AC" + "0" * 32,
        "From": "+32470999000",
        "To": "+3293000000",
        "Body": "Hallo",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }
    headers = {"X-Twilio-Signature": sign(form, PUBLIC + "/webhooks/twilio")}
    responses = await asyncio.gather(*(http.post("/webhooks/twilio", data=form, headers=headers) for _ in range(3)))
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert len({r.text for r in responses}) == 1
    assert "<Message" in responses[0].text
    inbound, outbound, turns = stored(backend_deps)
    assert (inbound, turns) == (1, 1)
    assert outbound == responses[0].text.count("<Message")


async def test_telegram_triple_delivery_is_processed_once(
    http: httpx.AsyncClient, backend_deps: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    update = {
        "update_id": 800000001,
        "message": {
            "message_id": 1,
            "date": 1795000000,
            "text": "Hallo",
            "from": {"id": 4440001, "is_bot": False, "first_name": "Piet"},
            "chat": {"id": 4440001, "type": "private", "first_name": "Piet"},
        },
    }
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    responses = await asyncio.gather(*(http.post("/webhooks/telegram", json=update, headers=headers) for _ in range(3)))
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert len({r.text for r in responses}) == 1
    assert len(fake_telegram[0].sent("sendMessage")) == 1
    inbound, _outbound, turns = stored(backend_deps)
    assert (inbound, turns) == (1, 1)
