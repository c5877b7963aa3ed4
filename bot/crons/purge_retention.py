"""Privacy: after RETENTION_DAYS, wipe closed tickets' words and numbers, old messages, unmatched texts, dead
letters and outbox rows; on SQLite the erased pages are then checkpointed out of the WAL."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.runtime import Deps
from storage import privacy
from storage.db import checkpoint_erasure, transaction


def _purge_messages(deps: Deps, cutoff: datetime) -> int:
    removed = 0
    while True:
        with transaction(deps.db) as session:
            count = privacy.purge_messages_batch(session, cutoff)
        if not count:
            return removed
        removed += count


def run(deps: Deps, now: datetime) -> dict[str, int]:
    cutoff = now - timedelta(days=deps.settings.retention_days)
    with transaction(deps.db) as session:
        tickets = privacy.purge_closed_tickets(session, cutoff, now)
        unmatched = privacy.purge_unmatched(session, cutoff)  # first, while they still point at their message
        letters = privacy.purge_dead_letters(session, cutoff)
        booked = privacy.purge_bookings(session, cutoff)
    messages = _purge_messages(deps, cutoff)
    with transaction(deps.db) as session:
        outbox = privacy.purge_outbox(session, cutoff)
    counts = {
        "tickets_purged": tickets,
        "messages_deleted": messages,
        "unmatched_deleted": unmatched,
        "dead_letters_deleted": letters,
        "outbox_deleted": outbox,
        "bookings_purged": booked,
    }
    if any(counts.values()):
        checkpoint_erasure(deps.db)
    return counts
