"""Tickets and their events: find, open, claim, release, close, list for the inbox, and the scans of the ticket jobs.

Every function takes an open Session and never commits. `add_event` is the one place a TicketEvent is built;
`close` is the one way a ticket is closed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, func, or_, select

from storage.enums import TicketStatus
from storage.models import Contact, Ticket, TicketEvent, User

OPEN_STATUSES: tuple[TicketStatus, ...] = (TicketStatus.OPEN, TicketStatus.CLAIMED)


# -- events -----------------------------------------------------------------------------------------------


def add_event(session: Session, ticket_id: int | None, kind: str, text: str, actor: str | None,
              now: datetime) -> TicketEvent:
    """Record something that happened to a ticket (the one place a TicketEvent is built)."""
    event = TicketEvent(ticket_id=ticket_id or 0, kind=kind, text=text, actor=actor, created_at=now)
    session.add(event)
    return event


def events(session: Session, ticket_id: int | None, kinds: tuple[str, ...] | None = None) -> list[TicketEvent]:
    """The ticket's events, oldest first (only these kinds when given)."""
    query = select(TicketEvent).where(TicketEvent.ticket_id == ticket_id)
    if kinds is not None:
        query = query.where(col(TicketEvent.kind).in_(kinds))
    return list(session.exec(query.order_by(col(TicketEvent.id))))


# -- finding ----------------------------------------------------------------------------------------------


def code_taken(session: Session, code: str) -> bool:
    """Does a ticket with this code exist?"""
    return session.exec(select(Ticket.id).where(Ticket.code == code)).first() is not None


def by_code(session: Session, code: str, *, lock: bool = False, fresh: bool = False) -> Ticket | None:
    """The ticket with this exact code; `lock` takes its row lock, `fresh` re-reads a row the session holds."""
    query = select(Ticket).where(Ticket.code == code)
    if lock:
        query = query.with_for_update()
    if fresh:
        query = query.execution_options(populate_existing=True)
    return session.exec(query).first()


def by_id(session: Session, ticket_id: int) -> Ticket | None:
    """The ticket with this id."""
    return session.get(Ticket, ticket_id)


def open_for_contact(session: Session, contact_id: int | None) -> Ticket | None:
    """The resident's newest open or claimed ticket, if any."""
    return session.exec(
        select(Ticket)
        .where(Ticket.contact_id == contact_id, col(Ticket.status).in_(OPEN_STATUSES))
        .order_by(col(Ticket.id).desc())
    ).first()


def latest_for_contact(session: Session, contact_id: int | None, code: str | None = None) -> Ticket | None:
    """The resident's newest ticket (only one with this code when given)."""
    query = select(Ticket).where(Ticket.contact_id == contact_id)
    if code is not None:
        query = query.where(Ticket.code == code)
    return session.exec(query.order_by(col(Ticket.id).desc())).first()


def open_counts(session: Session) -> dict[str, int]:
    """Open + claimed real tickets per organisation (test tickets do not count)."""
    rows = session.exec(
        select(Ticket.organisation, func.count())
        .where(col(Ticket.status).in_(OPEN_STATUSES), col(Ticket.test).is_(False))
        .group_by(Ticket.organisation)
    )
    return {org: int(count) for org, count in rows}


def resident(session: Session, ticket: Ticket) -> Contact | None:
    """The contact behind the ticket (None for an anonymised ticket)."""
    return session.get(Contact, ticket.contact_id) if ticket.contact_id is not None else None


def claimer(session: Session, ticket: Ticket) -> User | None:
    """The account that claimed the ticket (None for an open ticket or a Telegram claim without account)."""
    return session.get(User, ticket.claimed_by) if ticket.claimed_by is not None else None


def for_inbox(
    session: Session,
    *,
    organisation: str | None,
    test: bool,
    status: str | None = None,
    mine: bool = False,
    claimed_by: int | None = None,
    limit: int = 200,
) -> list[Ticket]:
    """Tickets for an inbox scope, newest first: of one organisation (None: all), test or real ones, in one
    status; `mine`: only those claimed (or closed) by the account `claimed_by`."""
    query = select(Ticket)
    if organisation is not None:
        query = query.where(Ticket.organisation == organisation)
    query = query.where(col(Ticket.test).is_(test))
    if mine:
        query = query.where(Ticket.claimed_by == claimed_by, Ticket.status != TicketStatus.OPEN)
    if status is not None:
        query = query.where(Ticket.status == status)
    return list(session.exec(query.order_by(col(Ticket.id).desc()).limit(limit)))


# -- changing ---------------------------------------------------------------------------------------------


def create(session: Session, **fields: Any) -> Ticket:
    """Insert a ticket and give it its id."""
    ticket = Ticket(**fields)
    session.add(ticket)
    session.flush()
    return ticket


def save(session: Session, ticket: Ticket) -> None:
    """Write the ticket's changed fields with the transaction."""
    session.add(ticket)


def flush(session: Session) -> None:
    """Send the pending changes to the database now (ids, constraint checks), without committing."""
    session.flush()


def refresh(session: Session, ticket: Ticket) -> None:
    """Re-read the ticket from the database."""
    session.refresh(ticket)


def claim(session: Session, ticket: Ticket, *, user_id: int | None, name: str, now: datetime) -> bool:
    """One conditional UPDATE ... WHERE status = 'open': exactly one of simultaneous callers gets True.
    The winner's `ticket` is re-read; no event is recorded here."""
    result = session.execute(
        update(Ticket)
        .where(col(Ticket.id) == ticket.id, col(Ticket.status) == TicketStatus.OPEN)
        .values(status=TicketStatus.CLAIMED, claimed_by=user_id, claimed_by_name=name[:120], claimed_at=now,
                last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    session.refresh(ticket)
    return True


def release(session: Session, ticket: Ticket, now: datetime) -> bool:
    """Make a claimed ticket open again (to be announced anew); False when it was not claimed any more."""
    result = session.execute(
        update(Ticket)
        .where(col(Ticket.id) == ticket.id, col(Ticket.status) == TicketStatus.CLAIMED)
        .values(
            status=TicketStatus.OPEN,
            claimed_by=None,
            claimed_by_name=None,
            claimed_at=None,
            announced_at=None,
            announce_count=0,
            last_activity_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    session.refresh(ticket)
    return True


def close(session: Session, ticket: Ticket, *, now: datetime, actor: str | None, outcome: str | None = None,
          text: str | None = None, touch: bool = True) -> None:
    """The one way to close a ticket: status closed, closed_at, the outcome when given, and a "closed" event
    (its text: `text`, else the outcome). `touch` also moves last_activity_at to now."""
    ticket.status = TicketStatus.CLOSED
    ticket.closed_at = now
    if touch:
        ticket.last_activity_at = now
    if outcome is not None:
        ticket.outcome = outcome
    session.add(ticket)
    add_event(session, ticket.id, "closed", text if text is not None else (outcome or ""), actor, now)


def log_outcome(session: Session, ticket: Ticket, *, outcome: str, note: str | None, call_again_at: datetime | None,
                detail: str, actor: str | None, now: datetime) -> None:
    """Store a call's outcome (a new note when given, the call-again moment or None) with an "outcome" event."""
    ticket.outcome = outcome
    if note is not None:
        ticket.note = note
    ticket.call_again_at = call_again_at
    ticket.reminded_at = None
    ticket.last_activity_at = now
    session.add(ticket)
    add_event(session, ticket.id, "outcome", detail, actor, now)


def mark_announced(session: Session, ticket: Ticket, now: datetime) -> None:
    """The ticket was announced (once more) to its organisation."""
    ticket.announced_at = now
    ticket.announce_count = (ticket.announce_count or 0) + 1
    session.add(ticket)


def reroute(session: Session, ticket: Ticket, organisation: str, reason: str, event_text: str,
            now: datetime) -> None:
    """Move the ticket to another organisation, to be announced there afresh, with a "rerouted" event."""
    ticket.organisation = organisation
    ticket.routing_reason = reason
    ticket.announce_count = 0
    ticket.announced_at = None
    ticket.last_activity_at = now
    session.add(ticket)
    add_event(session, ticket.id, "rerouted", event_text, "digibuur", now)


# -- scans for the ticket jobs ----------------------------------------------------------------------------


def open_ids(session: Session) -> list[int]:
    """The ids of the real (not test) open tickets, oldest first."""
    rows = session.exec(select(Ticket.id).where(Ticket.status == TicketStatus.OPEN, col(Ticket.test).is_(False))
                        .order_by(col(Ticket.id)))
    return [ticket_id for ticket_id in rows if ticket_id is not None]


def lock_open(session: Session, ticket_id: int) -> Ticket | None:
    """The ticket when it is still open and no other worker holds it (row lock, skip locked)."""
    return session.exec(
        select(Ticket).where(Ticket.id == ticket_id, Ticket.status == TicketStatus.OPEN)
        .with_for_update(skip_locked=True)
    ).first()


def idle_ids(session: Session, cutoff: datetime) -> list[int]:
    """Open or claimed tickets without activity since `cutoff` and no call-again moment after it."""
    rows = session.exec(
        select(Ticket.id).where(
            col(Ticket.status).in_(OPEN_STATUSES),
            col(Ticket.last_activity_at) < cutoff,
            or_(col(Ticket.call_again_at).is_(None), col(Ticket.call_again_at) < cutoff),
        )
    )
    return [ticket_id for ticket_id in rows if ticket_id is not None]


def due_call_again(session: Session, now: datetime) -> list[Ticket]:
    """Claimed real tickets whose call-again moment has come and was not reminded yet (locked, skip locked)."""
    return list(session.exec(
        select(Ticket)
        .where(
            Ticket.status == TicketStatus.CLAIMED,
            col(Ticket.test).is_(False),
            col(Ticket.call_again_at).is_not(None),
            col(Ticket.call_again_at) <= now,
            or_(col(Ticket.reminded_at).is_(None), col(Ticket.reminded_at) < col(Ticket.call_again_at)),
        )
        .with_for_update(skip_locked=True)
    ).all())


def opened_since(session: Session, since: datetime) -> list[Ticket]:
    """Real tickets created at or after `since`, oldest first."""
    return list(session.exec(select(Ticket).where(col(Ticket.created_at) >= since, col(Ticket.test).is_(False))
                             .order_by(col(Ticket.id))))


def waiting_before(session: Session, older_than: datetime) -> list[Ticket]:
    """Real open tickets created before `older_than`."""
    return list(session.exec(select(Ticket).where(Ticket.status == TicketStatus.OPEN, col(Ticket.test).is_(False),
                                                  col(Ticket.created_at) < older_than)).all())
