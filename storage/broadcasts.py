"""Broadcasts: their rows, their audience of consenting contacts, and each recipient queued once with its outbox
row in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from storage.enums import BroadcastStatus, OutboxStatus
from storage.models import Broadcast, BroadcastRecipient, Contact, Conversation, Outbox, Subscription
from storage.outbound import FOLLOW
from storage.queries import _insert


def add(session: Session, *, audience: str, texts: dict[str, str], kind: str, status: BroadcastStatus,
        recipients: int, created_by: str, now: datetime, send_at: datetime) -> Broadcast:
    row = Broadcast(audience=audience, texts=dict(texts), kind=kind, status=status, recipients=recipients,
                    created_by=created_by, created_at=now, send_at=send_at)
    session.add(row)
    session.flush()
    return row


def lock(session: Session, broadcast_id: int) -> Broadcast | None:
    """The broadcast, locked until the transaction ends."""
    return session.get(Broadcast, broadcast_id, with_for_update=True)


def newest_first(session: Session) -> list[Broadcast]:
    return list(session.exec(select(Broadcast).order_by(col(Broadcast.id).desc())))


def consenting(session: Session, kind: str, channels: Iterable[str], *, place_id: str | None = None,
               language: str | None = None) -> list[Contact]:
    """Contacts with a running consent of `kind` (of one place, for "follow"), not opted out, on one of `channels`,
    optionally speaking `language`; each once, by id."""
    query = (select(Contact).join(Subscription, col(Subscription.contact_id) == col(Contact.id))
             .where(Subscription.kind == kind, col(Subscription.ended_at).is_(None), col(Contact.opted_out).is_(False),
                    col(Contact.channel).in_(tuple(channels))))
    if place_id is not None:
        query = query.where(Subscription.place_id == place_id)
    if language is not None:
        query = query.where(Contact.language == language)
    return list(session.exec(query.distinct().order_by(col(Contact.id))))


def follower_count(session: Session, place_id: str) -> int:
    """Running follows of the place by contacts who did not opt out."""
    return int(session.exec(
        select(func.count()).select_from(Subscription).join(Contact, col(Contact.id) == col(Subscription.contact_id))
        .where(Subscription.kind == FOLLOW, Subscription.place_id == place_id, col(Subscription.ended_at).is_(None),
               col(Contact.opted_out).is_(False))).one())


def conversation_state(session: Session, contact_id: int) -> dict[str, Any]:
    """The contact's saved dialogue state ({} without a conversation)."""
    state = session.exec(select(Conversation.state).where(Conversation.contact_id == contact_id)).first()
    return state if isinstance(state, dict) else {}


def queued_contacts(session: Session, broadcast_id: int) -> set[int]:
    """The contacts that already have their recipient row."""
    return set(session.exec(select(BroadcastRecipient.contact_id)
                            .where(BroadcastRecipient.broadcast_id == broadcast_id)).all())


def recipient_count(session: Session, broadcast_id: int) -> int:
    return int(session.exec(select(func.count()).select_from(BroadcastRecipient)
                            .where(BroadcastRecipient.broadcast_id == broadcast_id)).one())


def queue_recipient(session: Session, broadcast_id: int, contact: Contact, body: dict[str, Any],
                    now: datetime) -> bool:
    """The unique (broadcast, contact) row and its outbox row, in this transaction; False when the contact was
    already queued (by an earlier run, or a worker killed after committing)."""
    inserted = session.execute(
        _insert(session)(BroadcastRecipient).values(broadcast_id=broadcast_id, contact_id=contact.id, created_at=now)
        .on_conflict_do_nothing(index_elements=["broadcast_id", "contact_id"])
        .returning(BroadcastRecipient.id)).scalar()
    if inserted is None:
        return False
    outbox = Outbox(channel=contact.channel, address=contact.address, contact_id=contact.id, body=body,
                    purpose="broadcast", next_attempt_at=now, created_at=now)
    session.add(outbox)
    session.flush()
    session.execute(update(BroadcastRecipient).where(col(BroadcastRecipient.id) == inserted)
                    .values(outbox_id=outbox.id))
    return True


def skip_queued(session: Session, broadcast_id: int, reason: str) -> int:
    """Skip the broadcast's outbox rows still waiting to be sent; how many."""
    queued = select(BroadcastRecipient.outbox_id).where(BroadcastRecipient.broadcast_id == broadcast_id)
    result = session.execute(
        update(Outbox).where(col(Outbox.id).in_(queued), col(Outbox.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.SKIPPED, last_error=reason).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def outbox_states(session: Session, broadcast_ids: list[int]) -> list[tuple[int, str, datetime | None]]:
    """(broadcast id, outbox status, sent at) of every queued recipient of these broadcasts."""
    if not broadcast_ids:
        return []
    rows = session.exec(select(BroadcastRecipient.broadcast_id, Outbox.status, Outbox.sent_at)
                        .join(Outbox, col(Outbox.id) == col(BroadcastRecipient.outbox_id))
                        .where(col(BroadcastRecipient.broadcast_id).in_(broadcast_ids))).all()
    return [(broadcast_id, status, sent_at) for broadcast_id, status, sent_at in rows]
