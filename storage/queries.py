"""Small query functions over the tables; every function takes an open Session and does not commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, func, select

from storage.models import (
    Contact,
    ContentRevision,
    Conversation,
    DeadLetter,
    JobRun,
    Message,
    Outbox,
    Unmatched,
)
from storage.types import utcnow


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def lock_contact(session: Session, channel: str, address: str, stats_key: str, now: datetime,
                 *, inbound: bool = True) -> Contact:
    """Get or create the contact in one statement and hold its row lock until the transaction ends
    (PostgreSQL: the upsert locks the row; SQLite: BEGIN IMMEDIATE already serialises writers)."""
    insert = _insert(session)
    values: dict[str, Any] = {"channel": channel, "address": address, "stats_key": stats_key, "language": "",
                              "opted_out": False, "created_at": now}
    touch: dict[str, Any] = {"channel": channel}
    if inbound:
        values["last_inbound_at"] = now
        touch = {"last_inbound_at": now}
    statement = (
        insert(Contact).values(**values)
        .on_conflict_do_update(index_elements=["channel", "address"], set_=touch)
        .returning(Contact)
    )
    contact: Contact = session.scalars(statement, execution_options={"populate_existing": True}).one()
    return contact


def lock_conversation(session: Session, contact_id: int, now: datetime) -> Conversation:
    """The contact's conversation, created when missing (the caller holds the contact's lock)."""
    insert = _insert(session)
    statement = (
        insert(Conversation).values(contact_id=contact_id, state={}, updated_at=now, turns=0)
        .on_conflict_do_update(index_elements=["contact_id"], set_={"contact_id": contact_id})
        .returning(Conversation)
    )
    conversation: Conversation = session.scalars(statement, execution_options={"populate_existing": True}).one()
    return conversation


def recent_inbound(session: Session, contact_id: int, since: datetime, limit: int) -> list[tuple[datetime, str]]:
    """The newest inbound messages of a contact since a moment: (received, text), newest first."""
    rows = session.exec(
        select(Message.created_at, Message.text)
        .where(Message.contact_id == contact_id, Message.direction == "in", col(Message.created_at) >= since)
        .order_by(col(Message.id).desc()).limit(limit)
    ).all()
    return [(created, text) for created, text in rows]


def find_contact(session: Session, channel: str, address: str) -> Contact | None:
    return session.exec(select(Contact).where(Contact.channel == channel, Contact.address == address)).first()


def touch_heartbeat(session: Session, name: str, now: datetime) -> None:
    """Upsert one JobRun row's time (safe when several processes do it at once)."""
    insert = _insert(session)
    session.execute(insert(JobRun).values(name=name, last_run_at=now, counts={})
                    .on_conflict_do_update(index_elements=["name"], set_={"last_run_at": now}))


def reset_conversation(session: Session, channel: str, address: str) -> bool:
    """Forget one address's conversation state (not its messages or tickets); False when the address is unknown."""
    contact = session.exec(
        select(Contact).where(Contact.channel == channel, Contact.address == address).with_for_update()
    ).first()
    if contact is None or contact.id is None:
        return False
    conversation = session.exec(
        select(Conversation).where(Conversation.contact_id == contact.id).with_for_update()
    ).first()
    if conversation is not None:
        conversation.state = {}
        session.add(conversation)
    return True


def find_inbound(session: Session, channel: str, external_id: str) -> Message | None:
    return session.exec(
        select(Message).where(Message.channel == channel, Message.external_id == external_id)
    ).first()


def replies_to(session: Session, message_id: int) -> list[Message]:
    return list(session.exec(select(Message).where(Message.reply_to_id == message_id).order_by(col(Message.id))))


def unsent_replies(session: Session, message_ids: list[int], *, claimed: bool = False) -> list[Message]:
    """Those of the given logged replies that no delivery has been recorded for (status still empty; with
    `claimed`, claimed for sending by this delivery)."""
    if not message_ids:
        return []
    status = col(Message.status) == SENDING if claimed else col(Message.status).is_(None)
    return list(session.exec(select(Message).where(col(Message.id).in_(message_ids), status)
                             .order_by(col(Message.id))))


SENDING = "sending"  # a delivery has claimed the logged reply and is sending it now


def claim_replies(session: Session, message_ids: list[int], stale_before: datetime) -> list[int]:
    """Claim logged replies for sending, each at most once: those without a status, or claimed by a delivery
    that never finished (the reply is older than `stale_before`). Concurrent deliveries of the same update
    claim disjoint sets; the ids claimed here are returned in order."""
    claimed = []
    for message_id in message_ids:
        result = session.execute(
            update(Message).where(
                col(Message.id) == message_id,
                col(Message.status).is_(None)
                | ((col(Message.status) == SENDING) & (col(Message.created_at) < stale_before)),
            ).values(status=SENDING).execution_options(synchronize_session=False))
        if getattr(result, "rowcount", 0) == 1:
            claimed.append(message_id)
    return claimed


def mark_replies(session: Session, message_ids: list[int], status: str) -> None:
    """Record how logged replies went out ("delivered", "queued"), once: a recorded status is never overwritten
    (a claim for sending is)."""
    if message_ids:
        session.execute(update(Message).where(
            col(Message.id).in_(message_ids), col(Message.status).is_(None) | (col(Message.status) == SENDING))
                        .values(status=status).execution_options(synchronize_session=False))


def add_message(session: Session, **values: Any) -> Message:
    message = Message(**values)
    session.add(message)
    session.flush()
    return message


def record_unmatched(session: Session, message_id: int | None, text: str, language: str | None, reason: str,
                     guesses: list[dict[str, Any]], created_at: datetime | None = None) -> None:
    session.add(Unmatched(message_id=message_id, text=text, language=language, reason=reason, guesses=guesses,
                          created_at=created_at or utcnow()))


def recent_unmatched(session: Session, limit: int = 50, status: str = "new") -> list[Unmatched]:
    return list(session.exec(
        select(Unmatched).where(Unmatched.status == status).order_by(col(Unmatched.id).desc()).limit(limit)
    ))


def add_dead_letter(session: Session, message_id: int | None, channel: str, error: str,
                    address: str | None = None, created_at: datetime | None = None) -> None:
    session.add(DeadLetter(message_id=message_id, channel=channel, address=address, error=error[:2000],
                           created_at=created_at or utcnow()))


def transcript(session: Session, contact_id: int, limit: int = 40) -> list[Message]:
    rows = session.exec(
        select(Message).where(Message.contact_id == contact_id).order_by(col(Message.id).desc()).limit(limit)
    )
    return list(reversed(list(rows)))


def enqueue(session: Session, channel: str, address: str, body: dict[str, Any], *, contact_id: int | None = None,
            purpose: str = "message", about_contact_id: int | None = None) -> Outbox:
    """Queue a message; `about_contact_id` names the resident whose words it carries to someone else."""
    row = Outbox(channel=channel, address=address, body=body, contact_id=contact_id, purpose=purpose,
                 next_attempt_at=utcnow(), about_contact_id=about_contact_id)
    session.add(row)
    session.flush()
    return row


def latest_revisions(session: Session, kind: str | None = None) -> list[ContentRevision]:
    """The newest content revision of every (kind, key), optionally of one kind only."""
    newest = select(ContentRevision.kind, ContentRevision.key, func.max(ContentRevision.id).label("top"))
    if kind is not None:
        newest = newest.where(ContentRevision.kind == kind)
    top = newest.group_by(ContentRevision.kind, ContentRevision.key).subquery()
    return list(session.exec(select(ContentRevision).join(top, col(ContentRevision.id) == top.c.top)))
