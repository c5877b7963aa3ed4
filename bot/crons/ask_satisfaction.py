"""Plan and ask the one question after a handoff closed as solved (the next morning, in the organisation's hours)."""

from __future__ import annotations

from datetime import datetime

from bot.runtime import Deps
from handoff.satisfaction import ask_due, schedule
from storage.db import transaction


def run(deps: Deps, now: datetime) -> dict[str, int]:
    organisations = deps.organisations()
    timezone = deps.settings.timezone
    with transaction(deps.db) as session:
        planned = schedule(session, organisations, timezone)
    with transaction(deps.db) as session:
        counts = ask_due(session, deps.library(), organisations, now, timezone)
    return {"planned": planned, **counts}
