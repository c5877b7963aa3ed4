"""The outbox table: queue messages, claim due rows (row locks, skip locked), and record each send's outcome."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.enums import OutboxStatus
from storage.models import Outbox


def enqueue(session: Session, channel: str, address: str, body: dict[str, Any], *, now: datetime,
            contact_id: int | None = None, purpose: str = "message", about_contact_id: int | None = None) -> Outbox:
    """Queue a message due at `now`; `about_contact_id` names the resident whose words it carries to someone else."""
    row = Outbox(channel=channel, address=address, body=body, contact_id=contact_id, purpose=purpose,
                 next_attempt_at=now, about_contact_id=about_contact_id)
    session.add(row)
    session.flush()
    return row


def fail_stale(session: Session, now: datetime, error: str) -> list[int]:
    """Rows still "sending" past their deadline (a crash mid-send) become failed with `error`, never resent.
    Returns their ids."""
    rows = session.exec(
        select(Outbox)
        .where(Outbox.status == OutboxStatus.SENDING, col(Outbox.next_attempt_at) <= now)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        row.status = OutboxStatus.FAILED
        row.last_error = error
        session.add(row)
    return [row.id for row in rows if row.id is not None]


def due(session: Session, channel: str, now: datetime, limit: int) -> list[Outbox]:
    """Pending rows of one channel whose time has come, oldest first, locked (rows another worker holds are
    skipped)."""
    return list(session.exec(
        select(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING, Outbox.channel == channel, col(Outbox.next_attempt_at) <= now)
        .order_by(col(Outbox.next_attempt_at), col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all())


def due_elsewhere(session: Session, channels: Iterable[str], now: datetime, limit: int) -> list[Outbox]:
    """Pending due rows on any channel not in `channels` (all channels when it is empty), locked."""
    query = select(Outbox).where(Outbox.status == OutboxStatus.PENDING, col(Outbox.next_attempt_at) <= now)
    wanted = set(channels)
    if wanted:
        query = query.where(col(Outbox.channel).not_in(wanted))
    return list(session.exec(query.limit(limit).with_for_update(skip_locked=True)).all())


def mark_sending(session: Session, row: Outbox, deadline: datetime) -> None:
    """Claim a row: one more attempt, and the deadline after which its outcome counts as unknown."""
    row.status = OutboxStatus.SENDING
    row.attempts += 1
    row.next_attempt_at = deadline
    session.add(row)


def mark_skipped(session: Session, row: Outbox, reason: str) -> None:
    row.status = OutboxStatus.SKIPPED
    row.last_error = reason
    session.add(row)


def lock_sending(session: Session, outbox_id: int) -> Outbox | None:
    """The claimed row, locked; None when it is gone (forget-me) or no longer "sending" (already resolved)."""
    row = session.get(Outbox, outbox_id, with_for_update=True)
    if row is None or row.status != OutboxStatus.SENDING:
        return None
    return row


def mark_sent(session: Session, row: Outbox, provider_id: str | None, now: datetime) -> None:
    row.status = OutboxStatus.SENT
    row.provider_id = provider_id
    row.sent_at = now
    row.last_error = None
    session.add(row)


def mark_retry(session: Session, row: Outbox, at: datetime, error: str | None,
               body: dict[str, Any] | None = None) -> None:
    """Back to pending until `at`; `body` replaces the body when part of it was already sent."""
    row.status = OutboxStatus.PENDING
    row.next_attempt_at = at
    row.last_error = error
    if body is not None:
        row.body = body
    session.add(row)


def mark_failed(session: Session, row: Outbox, error: str | None, *, provider_id: str | None = None,
                body: dict[str, Any] | None = None) -> None:
    """Given up (a dead letter for staff); a provider id or the unsent rest of the body is kept when given."""
    row.status = OutboxStatus.FAILED
    row.last_error = error
    if provider_id is not None:
        row.provider_id = provider_id
    if body is not None:
        row.body = body
    session.add(row)


def release(session: Session, outbox_ids: Iterable[int], until: datetime) -> int:
    """Put claimed rows back untouched (pending until `until`, the attempt not counted). Returns how many."""
    count = 0
    for outbox_id in outbox_ids:
        row = lock_sending(session, outbox_id)
        if row is not None:
            row.status = OutboxStatus.PENDING
            row.attempts = max(row.attempts - 1, 0)
            row.next_attempt_at = until
            session.add(row)
            count += 1
    return count
