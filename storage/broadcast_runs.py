"""The broadcast job's scan: broadcasts due to (go on) sending."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Broadcast


def due(session: Session, now: datetime) -> list[Broadcast]:
    """Scheduled or sending broadcasts whose moment has come, oldest first (row locks, skip locked)."""
    return list(session.exec(select(Broadcast).where(col(Broadcast.status).in_(("scheduled", "sending")),
                                                     col(Broadcast.send_at) <= now)
                             .order_by(col(Broadcast.id)).with_for_update(skip_locked=True)).all())
