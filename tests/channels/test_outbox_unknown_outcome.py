"""Nothing is sent twice: a send that may have reached the provider (a read timeout after Twilio or Telegram
accepted it, a 5xx naming a message) is an unknown outcome and never resent; only failures that certainly
happened before the provider took the message are retried. Long Telegram texts never resend parts that went."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.channels.telegram.inbound import deliver
from bot.channels.telegram.sender import TelegramSender
from bot.channels.twilio.sender import TwilioSender
from bot.messages import Reply
from bot.outbound.drain import DrainPolicy, drain
from bot.runtime import Deps
from storage.models import Outbox
from tests.channels.fakes import FakeTelegram, FakeTwilio, TelegramFailure, TwilioScript
from tests.channels.test_outbox_drain import add_contact, add_row, row
from tests.conftest import Clock

FAST = DrainPolicy(spacing_seconds={})
CHAT = "5550001"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def twilio_drain(deps: Deps, clock: Clock, **overrides: Any) -> dict[str, int]:
    sender = TwilioSender(replace(deps.settings, **overrides), timeout=0.5)
    return drain(deps.db, clock.now, {"sms": sender, "whatsapp": sender}, policy=FAST)


def test_twilio_read_timeout_after_acceptance_is_never_resent(
    wired: Deps, clock: Clock, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake = fake_twilio[0]
    row_id = add_row(wired, clock.now, "Je helper belt je morgen.", contact_id=add_contact(wired))
    fake.then(TwilioScript(status=201, delay=2.0))  # Twilio takes the message, the answer comes too late
    counts = twilio_drain(wired, clock)
    assert counts["unknown"] == 1 and counts["retried"] == 0
    failed = row(wired, row_id)
    assert failed.status == "failed" and "unknown outcome" in (failed.last_error or "")
    for _ in range(6):
        clock.now += timedelta(hours=1)
        twilio_drain(wired, clock)
    assert len(fake.requests) == 1 and len(fake.delivered) == 1  # the resident got it once, paid once


def test_twilio_5xx_naming_a_message_is_not_resent(
    wired: Deps, clock: Clock, fake_twilio: tuple[FakeTwilio, str]
) -> None:
    fake = fake_twilio[0]
    row_id = add_row(wired, clock.now, contact_id=add_contact(wired))
    fake.then(TwilioScript(status=500, code=20500, sid_in_error=True))
    assert twilio_drain(wired, clock)["unknown"] == 1
    stored = row(wired, row_id)
    assert stored.status == "failed" and stored.provider_id == fake.delivered[0]["Sid"]
    clock.now += timedelta(hours=1)
    twilio_drain(wired, clock)
    assert len(fake.requests) == 1


def test_no_connection_to_twilio_is_retried(wired: Deps, clock: Clock, fake_twilio: tuple[FakeTwilio, str]) -> None:
    row_id = add_row(wired, clock.now, contact_id=add_contact(wired))
    counts = twilio_drain(wired, clock, twilio_api_base_url=f"http://127.0.0.1:{free_port()}")
    assert counts["retried"] == 1
    assert row(wired, row_id).status == "pending"
    clock.now += timedelta(seconds=31)
    assert twilio_drain(wired, clock)["sent"] == 1
    assert len(fake_twilio[0].delivered) == 1


def long_text(parts: int) -> str:
    """A text that Telegram must get in `parts` messages (one paragraph per part)."""
    return "\n".join(f"Deel {n}: " + "woord " * 600 for n in range(1, parts + 1))


def sent_texts(bot_api: FakeTelegram) -> list[str]:
    return [str(params["text"]) for _, params in bot_api.sent("sendMessage")]


def test_telegram_parts_already_delivered_are_not_sent_again(
    wired: Deps, clock: Clock, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    bot_api = fake_telegram[0]
    row_id = add_row(wired, clock.now, long_text(3), channel="telegram", address=CHAT)
    bot_api.fail("sendMessage", None, TelegramFailure(429, "Too Many Requests: retry after 5", retry_after=5))
    sender = TelegramSender(wired.settings)
    try:
        assert drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)["retried"] == 1
        clock.now += timedelta(seconds=31)
        assert drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)["sent"] == 1
    finally:
        sender.close()
    texts = sent_texts(bot_api)
    assert [t.split(":")[0] for t in texts] == ["Deel 1", "Deel 2", "Deel 2", "Deel 3"]  # tried twice, sent once
    assert sum(t.startswith("Deel 1") for t in texts) == 1
    assert row(wired, row_id).status == "sent"


def test_telegram_timeout_is_an_unknown_outcome(
    wired: Deps, clock: Clock, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    bot_api = fake_telegram[0]
    row_id = add_row(wired, clock.now, long_text(2), channel="telegram", address=CHAT)
    bot_api.slow("sendMessage", 0.0, 3.0)  # part 2 arrives, its answer does not
    sender = TelegramSender(wired.settings, read_timeout=0.5)
    try:
        assert drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)["unknown"] == 1
        clock.now += timedelta(hours=1)
        drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)
    finally:
        sender.close()
    assert [t.split(":")[0] for t in sent_texts(bot_api)] == ["Deel 1", "Deel 2"]
    assert row(wired, row_id).status == "failed"


async def test_webhook_replies_are_not_resent_after_a_timeout(
    wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    """The webhook sends replies itself; what fails goes to the outbox, except what may have arrived."""
    bot_api = fake_telegram[0]
    bot = Bot(
        wired.settings.telegram_bot_token,
        base_url=wired.settings.telegram_api_base_url,
        request=HTTPXRequest(read_timeout=0.5),
    )
    await bot.initialize()
    try:
        bot_api.slow("sendMessage", 0.0, 3.0)  # the second part of the first reply arrives; its answer does not
        replies = (Reply(text=long_text(2)), Reply(text="Tweede antwoord"), Reply(text="Derde antwoord"))
        queued = await deliver(bot, wired, CHAT, replies, "nl")
    finally:
        await bot.shutdown()
    assert queued == 2  # the second and third replies; never the first
    with Session(wired.db) as session:
        bodies = [r.body["text"] for r in session.exec(select(Outbox).order_by(col(Outbox.id)))]
    assert bodies == ["Tweede antwoord", "Derde antwoord"]


def test_no_connection_to_telegram_is_retried(wired: Deps, clock: Clock) -> None:
    row_id = add_row(wired, clock.now, "Hallo", channel="telegram", address=CHAT)
    offline = replace(wired.settings, telegram_api_base_url=f"http://127.0.0.1:{free_port()}/bot")
    sender = TelegramSender(offline)
    try:
        assert drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)["retried"] == 1
    finally:
        sender.close()
    assert row(wired, row_id).status == "pending"
