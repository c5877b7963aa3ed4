"""Privacy: after RETENTION_DAYS, wipe closed tickets' transcripts and numbers, and old message-log rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import col, select

from bot.service import Deps
from storage.db import transaction
from storage.models import DeadLetter, Message, Outbox, Ticket, TicketEvent, Unmatched

PERSONAL_EVENT_KINDS = ("resident_message", "message_to_resident", "second_request")
BATCH = 500


def _purge_tickets(deps: Deps, cutoff: datetime, now: datetime) -> int:
    with transaction(deps.db) as session:
        tickets = session.exec(
            select(Ticket).where(
                Ticket.status == "closed", col(Ticket.closed_at) < cutoff, col(Ticket.purged_at).is_(None)
            )
        ).all()
        for ticket in tickets:
            ticket.transcript = []
            ticket.callback_number = None
            ticket.note = None
            ticket.purged_at = now
            session.add(ticket)
            session.execute(
                update(TicketEvent)
                .where(col(TicketEvent.ticket_id) == ticket.id, col(TicketEvent.kind).in_(PERSONAL_EVENT_KINDS))
                .values(text="")
            )
        return len(tickets)


def _purge_messages(deps: Deps, cutoff: datetime) -> int:
    removed = 0
    while True:
        with transaction(deps.db) as session:
            ids = list(session.exec(select(Message.id).where(col(Message.created_at) < cutoff).limit(BATCH)))
            if not ids:
                return removed
            session.execute(update(Message).where(col(Message.reply_to_id).in_(ids)).values(reply_to_id=None))
            session.execute(update(Unmatched).where(col(Unmatched.message_id).in_(ids)).values(message_id=None))
            session.execute(update(DeadLetter).where(col(DeadLetter.message_id).in_(ids)).values(message_id=None))
            session.execute(delete(Message).where(col(Message.id).in_(ids)))
            removed += len(ids)


def _purge_outbox(deps: Deps, cutoff: datetime) -> int:
    with transaction(deps.db) as session:
        result = session.execute(
            delete(Outbox).where(col(Outbox.created_at) < cutoff, col(Outbox.status).in_(("sent", "failed", "skipped")))
        )
        return int(getattr(result, "rowcount", 0) or 0)


def run(deps: Deps, now: datetime) -> dict[str, int]:
    cutoff = now - timedelta(days=deps.settings.retention_days)
    return {
        "tickets_purged": _purge_tickets(deps, cutoff, now),
        "messages_deleted": _purge_messages(deps, cutoff),
        "outbox_deleted": _purge_outbox(deps, cutoff),
    }
