"""The repositories of outbound work on SQLite and PostgreSQL: outbox claims and outcomes, opt-outs, delivery
receipts, broadcasts, booking additions and survey answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import bookings, broadcasts, delivery_receipts, opt_outs, outbound, outbox
from storage.db import make_engine, transaction
from storage.enums import BroadcastStatus, OutboxStatus
from storage.models import BookingSlot, Contact, Conversation, Message, Outbox, Satisfaction, Ticket
from tests.conftest import new_database_url

BACKENDS = ["sqlite", "postgres"]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    built = make_engine(new_database_url(tmp_path, str(request.param)))
    yield built
    built.dispose()


def _contact(session: Session, address: str, *, channel: str = "sms", language: str = "nl") -> Contact:
    row = Contact(channel=channel, address=address, stats_key=address, language=language)
    session.add(row)
    session.flush()
    return row


def test_outbox_claim_and_outcomes(engine: Engine) -> None:
    with transaction(engine) as session:
        first = outbox.enqueue(session, "sms", "+32470000001", {"text": "a"}, now=NOW - timedelta(minutes=2))
        second = outbox.enqueue(session, "sms", "+32470000002", {"text": "b"}, now=NOW - timedelta(minutes=1))
        outbox.enqueue(session, "sms", "+32470000003", {"text": "later"}, now=NOW + timedelta(hours=1))
        outbox.enqueue(session, "telegram", "42", {"text": "c"}, now=NOW)
        ids = (first.id, second.id)
    with transaction(engine) as session:
        due = outbox.due(session, "sms", NOW, limit=10)
        assert [row.id for row in due] == list(ids)  # oldest first, not the later one, not telegram
        assert [row.id for row in outbox.due(session, "sms", NOW, limit=1)] == [ids[0]]
        assert [row.channel for row in outbox.due_elsewhere(session, {"sms"}, NOW, limit=10)] == ["telegram"]
        for row in due:
            outbox.mark_sending(session, row, NOW + timedelta(minutes=10))
    with transaction(engine) as session:
        assert outbox.due(session, "sms", NOW, limit=10) == []
        claimed = outbox.lock_sending(session, ids[0] or 0)
        assert claimed is not None and claimed.attempts == 1
        outbox.mark_sent(session, claimed, "SM1", NOW)
        other = outbox.lock_sending(session, ids[1] or 0)
        assert other is not None
        outbox.mark_retry(session, other, NOW + timedelta(seconds=30), "503", body={"text": "rest"})
    with transaction(engine) as session:
        assert outbox.lock_sending(session, ids[0] or 0) is None  # resolved: not sending any more
        sent = session.get(Outbox, ids[0])
        retried = session.get(Outbox, ids[1])
        assert sent is not None and sent.status == OutboxStatus.SENT and sent.provider_id == "SM1"
        assert retried is not None and retried.status == OutboxStatus.PENDING and retried.body == {"text": "rest"}
        assert retried.last_error == "503"


def test_outbox_stale_failed_release(engine: Engine) -> None:
    with transaction(engine) as session:
        rows = [outbox.enqueue(session, "sms", f"+3247000001{i}", {"text": str(i)}, now=NOW) for i in range(3)]
        for row in rows:
            outbox.mark_sending(session, row, NOW + timedelta(minutes=10))
        ids = [row.id or 0 for row in rows]
    with transaction(engine) as session:
        assert outbox.fail_stale(session, NOW, "stale") == []  # deadline not passed
        assert outbox.release(session, [ids[0], ids[0] + 1000], NOW + timedelta(minutes=1)) == 1
        failed = outbox.lock_sending(session, ids[1])
        assert failed is not None
        outbox.mark_failed(session, failed, "gave up", provider_id="SM9")
    with transaction(engine) as session:
        assert outbox.fail_stale(session, NOW + timedelta(minutes=11), "stale") == [ids[2]]
        released, failed_row, stale = (session.get(Outbox, i) for i in ids)
        assert released is not None and released.status == OutboxStatus.PENDING and released.attempts == 0
        assert failed_row is not None and failed_row.status == OutboxStatus.FAILED
        assert failed_row.provider_id == "SM9" and failed_row.last_error == "gave up"
        assert stale is not None and stale.status == OutboxStatus.FAILED and stale.last_error == "stale"


def test_due_skips_rows_another_worker_holds(tmp_path: Path) -> None:
    """PostgreSQL: a second drain does not wait for, nor take, the rows the first has locked (SKIP LOCKED)."""
    engine = make_engine(new_database_url(tmp_path, "postgres"))
    try:
        with transaction(engine) as session:
            for i in range(4):
                outbox.enqueue(session, "sms", f"+3247000002{i}", {"text": str(i)}, now=NOW)
        with transaction(engine) as first:
            held = {row.id for row in outbox.due(first, "sms", NOW, limit=2)}
            with transaction(engine) as second:
                other = {row.id for row in outbox.due(second, "sms", NOW, limit=10)}
            assert len(held) == 2 and len(other) == 2 and not held & other
    finally:
        engine.dispose()


def test_opt_out_everywhere(engine: Engine) -> None:
    with transaction(engine) as session:
        contact = _contact(session, "+32470000031")
        assert contact.id is not None
        session.add(Conversation(contact_id=contact.id, state={"flow": "guide", "options": ["a"]}))
        outbound.subscribe(session, contact.id, outbound.NEWS, wording="w", language="nl", now=NOW)
        assert opt_outs.find_contact(session, None, "sms", "+32470000031") is contact
        assert opt_outs.find_contact(session, contact.id + 99, "sms", "+32470000031") is contact
        assert opt_outs.find_contact(session, None, "sms", "+32470000099") is None
        opt_outs.mark_opted_out(session, contact)
        contact_id = contact.id
    with transaction(engine) as session:
        stored = session.get(Contact, contact_id)
        assert stored is not None and stored.opted_out
        assert outbound.active(session, contact_id) == []
        state = broadcasts.conversation_state(session, contact_id)
        assert state["opted_out"] is True and state["flow"] == "" and state["options"] == []


def test_delivery_receipts_never_go_backwards(engine: Engine) -> None:
    with transaction(engine) as session:
        contact = _contact(session, "+32470000041")
        row = outbox.enqueue(session, "sms", contact.address, {"text": "x"}, now=NOW, contact_id=contact.id)
        outbox.mark_sent(session, row, "SMout", NOW)  # receipts come after the send
        reply = Message(contact_id=contact.id, channel="sms", direction="out", text="hi")
        session.add(reply)
        session.flush()
        reply_id, outbox_id, contact_id = reply.id, row.id, contact.id
    with transaction(engine) as session:
        assert delivery_receipts.record(session, "SMout", "delivered") == "outbox"
        assert delivery_receipts.record(session, "SMout", "sent", error="late") == "outbox"  # behind: ignored
        assert delivery_receipts.record(session, "SMreply", "sent", hint_message_id=reply_id) == "message"
        assert delivery_receipts.record(session, "SMreply", "failed", error_code="21610", opted_out=True) == "message"
        assert delivery_receipts.record(session, "SMnone", "sent") == "unknown"
    with transaction(engine) as session:
        stored_outbox = session.get(Outbox, outbox_id)
        stored_reply = session.get(Message, reply_id)
        stored_contact = session.get(Contact, contact_id)
        assert stored_outbox is not None and stored_outbox.status == "delivered" and stored_outbox.last_error is None
        assert stored_reply is not None and stored_reply.provider_id == "SMreply" and stored_reply.status == "failed"
        assert stored_reply.payload == {"error_code": "21610"}
        assert stored_contact is not None and stored_contact.opted_out
    assert delivery_receipts.advances(None, "queued") and not delivery_receipts.advances("read", "delivered")
    assert not delivery_receipts.advances("odd", "sent") and not delivery_receipts.advances("sent", "odd")


def test_broadcast_rows(engine: Engine) -> None:
    with transaction(engine) as session:
        readers = [_contact(session, f"+3247000005{i}", language="nl" if i else "fr") for i in range(3)]
        stopped = _contact(session, "+32470000059")
        stopped.opted_out = True
        _contact(session, "sim:1", channel="simulator")
        for contact in [*readers, stopped]:
            assert contact.id is not None
            outbound.subscribe(session, contact.id, outbound.NEWS, wording="w", language="nl", now=NOW)
            outbound.subscribe(session, contact.id, outbound.FOLLOW, place_id="p1", wording="w", language="nl",
                               now=NOW)
        row = broadcasts.add(session, audience="news", texts={"nl": "Hallo"}, kind="news",
                             status=BroadcastStatus.SCHEDULED, recipients=3, created_by="a@b.be", now=NOW, send_at=NOW)
        broadcast_id = row.id or 0
        channels = ("sms", "whatsapp", "telegram")
        assert [c.id for c in broadcasts.consenting(session, outbound.NEWS, channels)] == [c.id for c in readers]
        assert len(broadcasts.consenting(session, outbound.NEWS, channels, language="fr")) == 1
        assert len(broadcasts.consenting(session, outbound.FOLLOW, channels, place_id="p1")) == 3
        assert broadcasts.consenting(session, outbound.FOLLOW, channels, place_id="p2") == []
        assert broadcasts.follower_count(session, "p1") == 3
        assert broadcasts.queue_recipient(session, broadcast_id, readers[0], {"text": "Hallo"}, NOW)
        assert not broadcasts.queue_recipient(session, broadcast_id, readers[0], {"text": "Hallo"}, NOW)
        assert broadcasts.queue_recipient(session, broadcast_id, readers[1], {"text": "Hallo"}, NOW)
        assert broadcasts.queued_contacts(session, broadcast_id) == {readers[0].id, readers[1].id}
        assert broadcasts.recipient_count(session, broadcast_id) == 2
    with transaction(engine) as session:
        locked = broadcasts.lock(session, broadcast_id)
        assert locked is not None and locked.status == BroadcastStatus.SCHEDULED
        assert [b.id for b in broadcasts.newest_first(session)] == [broadcast_id]
        states = broadcasts.outbox_states(session, [broadcast_id])
        assert sorted(status for _, status, _ in states) == [OutboxStatus.PENDING, OutboxStatus.PENDING]
        assert broadcasts.skip_queued(session, broadcast_id, "broadcast cancelled") == 2
        assert broadcasts.outbox_states(session, []) == []
    with transaction(engine) as session:
        assert {status for _, status, _ in broadcasts.outbox_states(session, [broadcast_id])} == {"skipped"}
        assert broadcasts.conversation_state(session, readers[0].id or 0) == {}


def test_booking_additions(engine: Engine) -> None:
    with transaction(engine) as session:
        contact = _contact(session, "+32470000061")
        slot = BookingSlot(place_id="p1", start=NOW, end=NOW + timedelta(hours=1), capacity=2, created_at=NOW)
        session.add(slot)
        session.flush()
        assert slot.id is not None and contact.id is not None
        assert bookings.slot(session, slot.id) is slot and bookings.slot(session, slot.id + 9) is None
        assert bookings.take_seat(session, slot.id)
        row = bookings.add_booking(session, code="R-1234", slot_id=slot.id, place_id="p1", contact_id=contact.id,
                                   number=contact.address, channel="sms", language="nl", purpose=None, test=False,
                                   now=NOW)
        assert row.id is not None and row.status == "booked"
        assert bookings.contact_of(session, row) is contact
        bookings.reload_later(session, slot)
        assert slot.booked == 1


def test_survey_answer_then_comment(engine: Engine) -> None:
    with transaction(engine) as session:
        contact = _contact(session, "+32470000071")
        assert contact.id is not None
        assert not outbound.record_survey_answer(session, contact.id, 1, None, NOW)  # nothing asked
        ticket = Ticket(code="T-1", contact_id=contact.id, organisation="org")
        session.add(ticket)
        session.flush()
        assert ticket.id is not None
        session.add(Satisfaction(ticket_id=ticket.id, contact_id=contact.id, organisation="org", status="asked",
                                 due_at=NOW, asked_at=NOW))
        session.flush()
        assert outbound.record_survey_answer(session, contact.id, 2, None, NOW)
        assert not outbound.record_survey_answer(session, contact.id, 3, None, NOW)  # answered once
        assert outbound.record_survey_answer(session, contact.id, None, "thanks", NOW)
        assert not outbound.record_survey_answer(session, contact.id, None, "again", NOW)
        row = outbound.asked_survey(session, contact.id)
        assert row is not None and (row.answer, row.status, row.comment) == (2, "answered", "thanks")
