"""Close tickets left idle for days, telling the resident how to ask again (ho_closed_idle)."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sqlmodel import col, or_, select

from bot.runtime import Deps
from handoff.policy import load_policy
from handoff.resident import message_resident, set_conversation_ticket
from storage.db import transaction
from storage.models import Ticket, TicketEvent


def run(deps: Deps, now: datetime) -> dict[str, int]:
    policy = load_policy()
    cutoff = now - timedelta(days=policy.idle_close_days)
    texts = deps.library().texts
    counts = {"closed": 0, "told": 0}
    with transaction(deps.db) as session:
        ids = list(
            session.exec(
                select(Ticket.id).where(
                    col(Ticket.status).in_(("open", "claimed")),
                    col(Ticket.last_activity_at) < cutoff,
                    or_(col(Ticket.call_again_at).is_(None), col(Ticket.call_again_at) < cutoff),
                )
            )
        )
    for ticket_id in ids:
        with transaction(deps.db) as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None or ticket.status == "closed" or ticket.last_activity_at >= cutoff:
                continue
            if ticket.contact_id is not None:
                set_conversation_ticket(session, ticket.contact_id, None, False, only_if_code=ticket.code)
            ticket.status = "closed"
            ticket.outcome = ticket.outcome or "idle"
            ticket.closed_at = now
            session.add(ticket)
            session.add(
                TicketEvent(ticket_id=ticket.id or 0, kind="closed", text="idle", actor="digibuur", created_at=now)
            )
            text = partial(texts.get, key="ho_closed_idle", code=ticket.code)
            if message_resident(session, ticket, text, purpose="ticket_closed_idle", now=now) is not None:
                counts["told"] += 1
            counts["closed"] += 1
    return counts
