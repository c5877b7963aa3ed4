"""Queue the recipients of due broadcasts through the outbox, one batch per run (the outbox job sends them)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from bot.broadcasts import advance
from bot.runtime import Deps
from storage.db import transaction
from storage.models import Broadcast


def run(deps: Deps, now: datetime) -> dict[str, int]:
    library = deps.library()
    queued = 0
    with transaction(deps.db) as session:
        due = session.exec(select(Broadcast).where(col(Broadcast.status).in_(("scheduled", "sending")),
                                                   col(Broadcast.send_at) <= now)
                           .order_by(col(Broadcast.id)).with_for_update(skip_locked=True)).all()
        for broadcast in due:
            queued += advance(session, broadcast, library, now, deps.settings.broadcast_batch)
    return {"queued": queued}
