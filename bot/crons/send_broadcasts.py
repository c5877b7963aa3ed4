"""Queue the recipients of due broadcasts through the outbox, one batch per run (the outbox job sends them)."""

from __future__ import annotations

from datetime import datetime

from bot.outbound.broadcasts import advance
from bot.runtime import Deps
from storage import broadcast_runs
from storage.db import transaction


def run(deps: Deps, now: datetime) -> dict[str, int]:
    library = deps.library()
    queued = 0
    with transaction(deps.db) as session:
        for broadcast in broadcast_runs.due(session, now):
            queued += advance(session, broadcast, library, now, deps.settings.broadcast_batch)
    return {"queued": queued}
