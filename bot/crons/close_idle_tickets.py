"""Close tickets left idle for days, telling the resident how to ask again (ho_closed_idle)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from bot.runtime import Deps
from handoff.inbox import close_ticket
from handoff.policy import load_policy
from handoff.resident import message_resident
from storage import tickets
from storage.db import transaction
from storage.enums import TicketOutcome, TicketStatus


def run(deps: Deps, now: datetime) -> dict[str, int]:
    policy = load_policy()
    cutoff = now - timedelta(days=policy.idle_close_days)
    texts = deps.library().texts
    counts = {"closed": 0, "told": 0}
    with transaction(deps.db) as session:
        ids = tickets.idle_ids(session, cutoff)
    for ticket_id in ids:
        with transaction(deps.db) as session:
            ticket = tickets.by_id(session, ticket_id)
            if ticket is None or ticket.status == TicketStatus.CLOSED or ticket.last_activity_at >= cutoff:
                continue
            close_ticket(session, ticket, outcome=ticket.outcome or TicketOutcome.IDLE, actor="digibuur", now=now,
                         text="idle", touch=False)
            text = partial(texts.get, key="ho_closed_idle", code=ticket.code)
            if message_resident(session, ticket, text, purpose="ticket_closed_idle", now=now) is not None:
                counts["told"] += 1
            counts["closed"] += 1
    return counts
