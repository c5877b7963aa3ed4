"""Read-only listings for the `digibuur` admin commands: tickets (oldest first) and outbox rows (newest first)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Outbox, Ticket


def tickets(session: Session, status: str | None = None) -> list[Ticket]:
    """Every ticket, oldest first, or only those with `status`."""
    query = select(Ticket).order_by(col(Ticket.id))
    if status is not None:
        query = query.where(Ticket.status == status)
    return list(session.exec(query))


def outbox(session: Session, status: str | None = None) -> list[Outbox]:
    """Every outbox row, newest first, or only those with `status`."""
    query = select(Outbox).order_by(col(Outbox.created_at).desc(), col(Outbox.id).desc())
    if status is not None:
        query = query.where(Outbox.status == status)
    return list(session.exec(query))
