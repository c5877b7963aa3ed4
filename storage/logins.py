"""Login throttling rows: one per (account, client address), reserved atomically before a password is checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import LoginThrottle

FORGET_AFTER = timedelta(days=1)  # failures are forgotten a day after the last one


def reserve_attempt(
    session: Session, key: str, now: datetime, *, free: int, delay: Callable[[int], timedelta]
) -> datetime | None:
    """Count one login attempt for `key` before its password is checked. None = go ahead; otherwise the moment
    from which the next attempt is allowed.

    The first `free` attempts pass at once; from then on each attempt must wait `delay(n)` after the previous
    one (n = 0, 1, 2 ...). The row is locked while it is read and updated (PostgreSQL: SELECT ... FOR UPDATE;
    SQLite: the write transaction), so concurrent attempts never check more passwords than allowed."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, next_allowed_at=None, updated_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.exec(
        select(LoginThrottle).where(LoginThrottle.key == key).with_for_update(),
        execution_options={"populate_existing": True},
    ).one()
    if row.next_allowed_at is not None and row.next_allowed_at > now:
        return row.next_allowed_at
    if now - row.updated_at > FORGET_AFTER:
        row.failures = 0
    row.failures += 1
    row.next_allowed_at = now + delay(row.failures - free) if row.failures >= free else None
    row.updated_at = now
    session.add(row)
    return None


def clear_attempts(session: Session, key: str) -> None:
    """A good password: this (account, address) starts afresh."""
    session.execute(delete(LoginThrottle).where(col(LoginThrottle.key) == key))


def forget_old_attempts(session: Session, now: datetime) -> None:
    session.execute(delete(LoginThrottle).where(col(LoginThrottle.updated_at) < now - FORGET_AFTER))
