"""Delivery receipts: a provider's status stored on the outbound Message or Outbox row, never backwards."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Message, Outbox
from storage.opt_outs import find_contact, mark_opted_out

# queued < sending < sent < delivered / undelivered / failed < read (WhatsApp, after delivered)
STATUS_RANK: dict[str, int] = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
    "read": 4,
}


def advances(current: str | None, new: str) -> bool:
    """True when `new` is a known status further along than `current` (an unknown current is left alone)."""
    if new not in STATUS_RANK:
        return False
    if current is None:
        return True
    if current not in STATUS_RANK:
        return False
    return STATUS_RANK[new] > STATUS_RANK[current]


def _outbox_row(session: Session, provider_id: str) -> Outbox | None:
    return session.exec(select(Outbox).where(Outbox.provider_id == provider_id).with_for_update()).first()


def _message_row(session: Session, provider_id: str, hint_id: int | None) -> Message | None:
    row = session.exec(select(Message).where(Message.provider_id == provider_id).with_for_update()).first()
    if row is not None or hint_id is None:
        return row
    hinted = session.get(Message, hint_id, with_for_update=True)
    if hinted is None or hinted.direction != "out":
        return None
    return hinted


def record(session: Session, provider_id: str, status: str, *, error_code: str | None = None,
           error: str | None = None, opted_out: bool = False, hint_message_id: int | None = None) -> str:
    """Store one receipt (status already normalised) on the outbox row with that provider id, else on the outbound
    message (by provider id, or the hinted reply which then gets the id). `error` is the outbox row's error text,
    `error_code` goes in the message's payload; `opted_out` opts the recipient out. Returns which row it touched:
    "outbox", "message" or "unknown"."""
    outbox = _outbox_row(session, provider_id)
    if outbox is not None:
        if advances(outbox.status, status):
            outbox.status = status
            if error:
                outbox.last_error = error
            session.add(outbox)
        if opted_out:
            contact = find_contact(session, outbox.contact_id, outbox.channel, outbox.address)
            if contact is not None:
                mark_opted_out(session, contact)
        return "outbox"
    message = _message_row(session, provider_id, hint_message_id)
    if message is None:
        return "unknown"
    if message.provider_id is None:
        message.provider_id = provider_id
    if advances(message.status, status):
        message.status = status
        if error_code:
            message.payload = {**(message.payload or {}), "error_code": error_code}
    session.add(message)
    if opted_out and message.contact_id is not None:
        contact = find_contact(session, message.contact_id, message.channel, "")
        if contact is not None:
            mark_opted_out(session, contact)
    return "message"
