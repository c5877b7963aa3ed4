"""The one question after a ticket closed as solved: which tickets need one, which are due, and their rows."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.enums import TicketOutcome, TicketStatus
from storage.models import Contact, Satisfaction, Ticket


def solved_unasked(session: Session) -> list[Ticket]:
    """Real tickets closed as solved, with a resident and a closing time, that have no question planned yet."""
    asked = select(Satisfaction.ticket_id)
    return list(session.exec(select(Ticket).where(
        Ticket.status == TicketStatus.CLOSED, Ticket.outcome == TicketOutcome.SOLVED, col(Ticket.test).is_(False),
        col(Ticket.contact_id).is_not(None), col(Ticket.closed_at).is_not(None), col(Ticket.id).not_in(asked))))


def plan(session: Session, ticket: Ticket, due_at: datetime) -> Satisfaction:
    """A due question for this ticket."""
    row = Satisfaction(ticket_id=ticket.id or 0, contact_id=ticket.contact_id, organisation=ticket.organisation,
                       due_at=due_at)
    session.add(row)
    return row


def due(session: Session, now: datetime) -> list[Satisfaction]:
    """The questions due by now that no other worker holds (row locks, skip locked)."""
    return list(session.exec(select(Satisfaction).where(Satisfaction.status == "due", col(Satisfaction.due_at) <= now)
                             .with_for_update(skip_locked=True)).all())


def contact(session: Session, row: Satisfaction) -> Contact | None:
    """The resident the question is for."""
    return session.get(Contact, row.contact_id) if row.contact_id is not None else None


def save(session: Session, row: Satisfaction) -> None:
    """Write the row's changed fields with the transaction."""
    session.add(row)
