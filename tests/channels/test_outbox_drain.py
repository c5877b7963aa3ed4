"""The outbox drain against a local fake Twilio REST API and a fake Telegram Bot API: retries with backoff,
Retry-After, 21610 and 63016, the WhatsApp 24-hour window, opt-outs, stale rows, and nothing sent twice."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.channels.telegram.sender import TelegramSender
from bot.channels.twilio.sender import TwilioSender, retry_after_seconds
from bot.crons import drain_outbox
from bot.outbound.drain import UNKNOWN_OUTCOME, DrainPolicy, drain
from bot.outbound.sending import Sender
from bot.runtime import Deps
from bot.state import State
from storage.models import Contact, Conversation, Outbox
from tests.channels.conftest import PUBLIC, SMS_FROM, WHATSAPP_FROM
from tests.channels.fakes import FakeTelegram, FakeTwilio, TelegramFailure, TwilioScript
from tests.conftest import Clock

FAST = DrainPolicy(spacing_seconds={})
TEMPLATE_SID = "HX" + "1" * 32
RESIDENT = "+32470555001"


def add_contact(
    deps: Deps,
    channel: str = "sms",
    address: str = RESIDENT,
    *,
    last_inbound: datetime | None = None,
    opted_out: bool = False,
    language: str = "nl",
) -> int:
    with Session(deps.db) as session:
        contact = Contact(
            channel=channel,
            address=address,
            stats_key="k",
            language=language,
            opted_out=opted_out,
            last_inbound_at=last_inbound,
        )
        session.add(contact)
        session.commit()
        assert contact.id is not None
        session.add(Conversation(contact_id=contact.id, state=State(language=language, flow="menu").to_dict()))
        session.commit()
        return contact.id


def add_row(
    deps: Deps,
    now: datetime,
    text: str = "Een helper belt je morgen.",
    *,
    channel: str = "sms",
    address: str = RESIDENT,
    contact_id: int | None = None,
    **body: Any,
) -> int:
    with Session(deps.db) as session:
        row = Outbox(
            channel=channel,
            address=address,
            contact_id=contact_id,
            next_attempt_at=now,
            body={
                "text": text,
                "options": [],
                "place": None,
                "ask_location": False,
                "inline_buttons": [],
                "template": False,
                **body,
            },
            purpose="helper_message",
        )
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


def row(deps: Deps, row_id: int) -> Outbox:
    with Session(deps.db) as session:
        found = session.get(Outbox, row_id)
        assert found is not None
        return found


def twilio(deps: Deps, **overrides: Any) -> dict[str, Sender]:
    sender = TwilioSender(replace(deps.settings, **overrides), timeout=0.5)
    return {"sms": sender, "whatsapp": sender}


def run(deps: Deps, clock: Clock, **overrides: Any) -> dict[str, int]:
    return drain(deps.db, clock.now, twilio(deps, **overrides), policy=FAST)


@pytest.fixture
def fake(fake_twilio: tuple[FakeTwilio, str]) -> FakeTwilio:
    return fake_twilio[0]


def test_sms_is_sent_once_with_numbered_options(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    contact = add_contact(wired)
    row_id = add_row(
        wired, clock.now, "Wil je teruggebeld worden?", contact_id=contact, options=[["1", "Ja"], ["2", "Nee"]]
    )
    assert run(wired, clock)["sent"] == 1
    [sent] = fake.delivered
    assert (sent["To"], sent["From"]) == (RESIDENT, SMS_FROM)
    assert sent["Body"] == "Wil je teruggebeld worden?\n1 Ja  2 Nee"
    assert sent["StatusCallback"] == PUBLIC + "/webhooks/twilio/status"
    stored = row(wired, row_id)
    assert (stored.status, stored.provider_id, stored.attempts) == ("sent", sent["Sid"], 1)
    clock.now += timedelta(hours=1)
    assert run(wired, clock)["sent"] == 0
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    "failure", [TwilioScript(status=500, code=20500), TwilioScript(status=503)], ids=["500", "503"]
)
def test_transient_errors_are_retried_after_backoff(
    failure: TwilioScript, wired: Deps, clock: Clock, fake: FakeTwilio
) -> None:
    row_id = add_row(wired, clock.now, contact_id=add_contact(wired))
    fake.then(failure)
    assert run(wired, clock)["retried"] == 1
    waiting = row(wired, row_id)
    assert waiting.status == "pending" and waiting.attempts == 1 and waiting.last_error
    assert waiting.next_attempt_at == clock.now + timedelta(seconds=30)
    assert run(wired, clock) == {"sent": 0, "retried": 0, "failed": 0, "skipped": 0, "unknown": 0}
    clock.now += timedelta(seconds=31)
    assert run(wired, clock)["sent"] == 1
    assert len(fake.requests) == 2 and len(fake.delivered) == 1
    assert row(wired, row_id).status == "sent"


def test_429_honours_retry_after_and_pauses_the_channel(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    contact = add_contact(wired)
    ids = [add_row(wired, clock.now, f"Bericht {n}", contact_id=contact) for n in range(3)]
    fake.then(TwilioScript(status=429, code=20429, headers={"Retry-After": "120"}))
    counts = run(wired, clock)
    assert counts["retried"] == 1 and counts["sent"] == 0
    assert len(fake.requests) == 1  # the other two were put back, not tried
    assert [row(wired, i).attempts for i in ids] == [1, 0, 0]
    assert all(row(wired, i).next_attempt_at == clock.now + timedelta(seconds=120) for i in ids)
    clock.now += timedelta(seconds=60)
    assert run(wired, clock)["sent"] == 0
    clock.now += timedelta(seconds=61)
    assert run(wired, clock)["sent"] == 3
    assert sorted(r["Body"] for r in fake.delivered) == ["Bericht 0", "Bericht 1", "Bericht 2"]


def test_21610_is_not_retried_and_opts_the_contact_out(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    contact = add_contact(wired)
    row_id = add_row(wired, clock.now, contact_id=contact)
    fake.then(TwilioScript(status=400, code=21610))
    assert run(wired, clock)["failed"] == 1
    failed = row(wired, row_id)
    assert failed.status == "failed" and "21610" in (failed.last_error or "")
    with Session(wired.db) as session:
        assert session.get(Contact, contact).opted_out  # type: ignore[union-attr]
        conversation = session.exec(select(Conversation).where(Conversation.contact_id == contact)).one()
        assert State.from_dict(conversation.state).opted_out
    later = add_row(wired, clock.now, "Herinnering", contact_id=contact)
    clock.now += timedelta(days=1)
    assert run(wired, clock)["skipped"] == 1
    assert row(wired, later).status == "skipped"
    assert len(fake.requests) == 1


def test_63016_sends_the_template_instead(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    contact = add_contact(wired, "whatsapp", last_inbound=clock.now - timedelta(hours=2))
    row_id = add_row(wired, clock.now, "Je helper\nbelt je morgen.", channel="whatsapp", contact_id=contact)
    fake.then(TwilioScript(status=400, code=63016))
    assert run(wired, clock, twilio_whatsapp_template_sid=TEMPLATE_SID)["sent"] == 1
    first, second = fake.requests
    assert first["Body"] == "Je helper\nbelt je morgen." and first["From"] == WHATSAPP_FROM
    assert first["To"] == f"whatsapp:{RESIDENT}"
    assert second["ContentSid"] == TEMPLATE_SID and "Body" not in second
    assert second["ContentVariables"] == '{"1": "Je helper belt je morgen."}'
    assert row(wired, row_id).status == "sent"


def test_63016_without_template_is_skipped(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    contact = add_contact(wired, "whatsapp", last_inbound=clock.now - timedelta(hours=2))
    row_id = add_row(wired, clock.now, channel="whatsapp", contact_id=contact)
    fake.then(TwilioScript(status=400, code=63016))
    assert run(wired, clock)["skipped"] == 1
    skipped = row(wired, row_id)
    assert skipped.status == "skipped" and "24-hour" in (skipped.last_error or "")
    clock.now += timedelta(hours=1)
    run(wired, clock)
    assert len(fake.requests) == 1


@pytest.mark.parametrize("template_sid", ["", TEMPLATE_SID])
def test_whatsapp_window_is_checked_before_sending(
    template_sid: str, wired: Deps, clock: Clock, fake: FakeTwilio
) -> None:
    contact = add_contact(wired, "whatsapp", last_inbound=clock.now - timedelta(hours=25))
    row_id = add_row(wired, clock.now, channel="whatsapp", contact_id=contact)
    policy = replace(FAST, template_available=bool(template_sid))
    drain(wired.db, clock.now, twilio(wired, twilio_whatsapp_template_sid=template_sid), policy=policy)
    if template_sid:
        [request] = fake.requests
        assert request["ContentSid"] == TEMPLATE_SID and "Body" not in request
        assert row(wired, row_id).status == "sent"
    else:
        assert fake.requests == []
        assert row(wired, row_id).status == "skipped"


def test_opted_out_and_simulator_contacts_are_skipped(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    opted = add_row(wired, clock.now, contact_id=add_contact(wired, opted_out=True))
    by_address = add_row(wired, clock.now, address="+32470555002")
    add_contact(wired, address="+32470555002", opted_out=True)
    simulated = add_row(wired, clock.now, address="sim:+32470000000")
    assert run(wired, clock)["skipped"] == 3
    assert [row(wired, i).status for i in (opted, by_address, simulated)] == ["skipped"] * 3
    assert fake.requests == []


def test_a_row_stuck_in_sending_is_failed_not_resent(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    row_id = add_row(wired, clock.now, contact_id=add_contact(wired))
    with Session(wired.db) as session:
        stuck = session.get(Outbox, row_id)
        assert stuck is not None
        stuck.status, stuck.attempts = "sending", 1
        stuck.next_attempt_at = clock.now + timedelta(minutes=10)  # claimed now by a worker that then died
        session.add(stuck)
        session.commit()
    clock.now += timedelta(minutes=5)
    assert run(wired, clock)["unknown"] == 0
    assert row(wired, row_id).status == "sending"
    clock.now += timedelta(minutes=6)
    assert run(wired, clock)["unknown"] == 1
    failed = row(wired, row_id)
    assert failed.status == "failed" and failed.last_error == UNKNOWN_OUTCOME
    assert fake.requests == []


def test_gives_up_after_six_attempts(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    row_id = add_row(wired, clock.now, contact_id=add_contact(wired))
    fake.then(*[TwilioScript(status=500, code=20500) for _ in range(10)])
    for _ in range(10):
        run(wired, clock)
        clock.now += timedelta(hours=2)
    failed = row(wired, row_id)
    assert failed.status == "failed" and failed.attempts == 6
    assert "gave up after 6 attempts" in (failed.last_error or "")
    assert len(fake.requests) == 6


def test_concurrent_drains_send_each_row_once(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    contact = add_contact(wired)
    for n in range(12):
        add_row(wired, clock.now, f"Bericht {n}", contact_id=contact)
    start = threading.Barrier(3)
    results: list[dict[str, int]] = []

    def worker() -> None:
        start.wait()
        results.append(run(wired, clock))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(r["sent"] for r in results) == 12
    bodies = [r["Body"] for r in fake.delivered]
    assert sorted(bodies) == sorted(f"Bericht {n}" for n in range(12))


def test_cron_run_uses_the_configured_channels(wired: Deps, clock: Clock, fake: FakeTwilio) -> None:
    sms_id = add_row(wired, clock.now, contact_id=add_contact(wired))
    console_id = add_row(wired, clock.now, channel="console", address="staff")
    wired.settings = replace(wired.settings, twilio_whatsapp_from="", telegram_bot_token="")
    whatsapp_id = add_row(wired, clock.now, channel="whatsapp", address="+32470555009")
    telegram_id = add_row(wired, clock.now, channel="telegram", address="5550001")
    counts = drain_outbox.run(wired, clock.now)
    assert counts["sent"] == 1 and counts["skipped"] == 3
    assert row(wired, sms_id).status == "sent"
    assert "TWILIO_WHATSAPP_FROM" in (row(wired, whatsapp_id).last_error or "")
    assert "TELEGRAM_BOT_TOKEN" in (row(wired, telegram_id).last_error or "")
    assert row(wired, console_id).status == "skipped"


def test_telegram_rows_with_inline_buttons_and_retry_after(
    wired: Deps, clock: Clock, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    bot_api = fake_telegram[0]
    group = "-1001234567890"
    buttons = [[{"text": "Ik bel (K7Q2M)", "callback_data": "claim:K7Q2M"}]]
    row_id = add_row(
        wired,
        clock.now,
        "Nieuw ticket K7Q2M: wifi, Nederlands.",
        channel="telegram",
        address=group,
        inline_buttons=buttons,
    )
    bot_api.fail("sendMessage", TelegramFailure(429, "Too Many Requests: retry after 7", retry_after=7))
    sender = TelegramSender(wired.settings)
    try:
        counts = drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)
        assert counts["retried"] == 1
        assert row(wired, row_id).next_attempt_at == clock.now + timedelta(seconds=30)
        clock.now += timedelta(seconds=31)
        assert drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)["sent"] == 1
    finally:
        sender.close()
    sent = [p for m, p in bot_api.sent("sendMessage")]
    assert len(sent) == 2 and int(sent[-1]["chat_id"]) == int(group)
    assert sent[-1]["reply_markup"] == {
        "inline_keyboard": [[{"text": "Ik bel (K7Q2M)", "callback_data": "claim:K7Q2M"}]]
    }
    assert row(wired, row_id).provider_id is not None


def test_telegram_retry_after_longer_than_backoff_wins(
    wired: Deps, clock: Clock, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    row_id = add_row(wired, clock.now, "Hallo", channel="telegram", address="5550001")
    fake_telegram[0].fail("sendMessage", TelegramFailure(429, "Too Many Requests: retry after 90", retry_after=90))
    sender = TelegramSender(wired.settings)
    try:
        drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)
    finally:
        sender.close()
    assert row(wired, row_id).next_attempt_at == clock.now + timedelta(seconds=90)


def test_blocked_bot_is_a_final_failure(wired: Deps, clock: Clock, fake_telegram: tuple[FakeTelegram, str]) -> None:
    row_id = add_row(wired, clock.now, "Hallo", channel="telegram", address="5550001")
    fake_telegram[0].fail("sendMessage", TelegramFailure(403, "Forbidden: bot was blocked by the user"))
    sender = TelegramSender(wired.settings)
    try:
        assert drain(wired.db, clock.now, {"telegram": sender}, policy=FAST)["failed"] == 1
    finally:
        sender.close()
    assert "blocked" in (row(wired, row_id).last_error or "")


def test_retry_after_header_forms() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Thu, 26 Nov 2026 12:02:00 GMT", now) == 120.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None
