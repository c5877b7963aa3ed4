"""Tickets from the resident's side: open (one per resident), add to, report status; codes like T-4821."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot.effects import OpenTicket, TicketReceipt, TicketStatusInfo
from handoff.organisations import Organisation
from handoff.resident import helper_first_name
from handoff.routing import Route, route
from storage.models import Contact, Ticket, TicketEvent
from storage.queries import transcript

OPEN_STATUSES = ("open", "claimed")


def new_code(session: Session) -> str:
    """A short code the resident can type: T- and four digits (six when four are running out)."""
    for _ in range(50):
        code = f"T-{secrets.randbelow(9000) + 1000}"
        if session.exec(select(Ticket.id).where(Ticket.code == code)).first() is None:
            return code
    return f"T-{secrets.randbelow(900000) + 100000}"


def open_ticket_for(session: Session, contact: Contact) -> Ticket | None:
    """The resident's open or claimed ticket, if any."""
    return session.exec(
        select(Ticket)
        .where(Ticket.contact_id == contact.id, col(Ticket.status).in_(OPEN_STATUSES))
        .order_by(col(Ticket.id).desc())
    ).first()


def open_counts(session: Session) -> dict[str, int]:
    """Open + claimed real tickets per organisation (routing prefers the least busy; tests do not count)."""
    rows = session.exec(
        select(Ticket.organisation, func.count())
        .where(col(Ticket.status).in_(OPEN_STATUSES), col(Ticket.test).is_(False))
        .group_by(Ticket.organisation)
    )
    return {org: int(count) for org, count in rows}


def snapshot(session: Session, contact_id: int) -> list[dict[str, Any]]:
    """The recent conversation, for the helper."""
    return [
        {"from": "resident" if m.direction == "in" else "digibuur", "text": m.text, "at": m.created_at.isoformat()}
        for m in transcript(session, contact_id)
    ]


def window_day(window: str) -> date | None:
    """The day of a 'day:YYYY-MM-DD' callback window."""
    if not window.startswith("day:"):
        return None
    try:
        return date.fromisoformat(window.removeprefix("day:"))
    except ValueError:
        return None


def expectation(org: Organisation | None, window: str, now: datetime, timezone: str) -> tuple[datetime | None, bool]:
    """When a helper of this organisation can be expected: (moment, in_hours).

    In hours: (closing time today, True) = "today before 17:00". Out of hours: (next opening, False).
    A chosen day: (the first opening on that day, or that day's start when hours are unknown, True).
    Unknown hours: (None, True) = "as soon as possible".
    """
    zone = ZoneInfo(timezone)
    day = window_day(window)
    if day is not None and day > now.astimezone(zone).date():
        start = datetime.combine(day, time(0, 0), tzinfo=zone)
        opening = org.next_open(start, timezone) if org else None
        return (opening if opening is not None and opening.date() == day else start), True
    if org is None:
        return None, True
    state = org.is_open(now, timezone)
    if state is None:
        return None, True
    if state:
        return org.closes_at(now, timezone), True
    return org.next_open(now, timezone), False


def _find_org(organisations: tuple[Organisation, ...], org_id: str) -> Organisation | None:
    return next((o for o in organisations if o.id == org_id), None)


def _add_request(session: Session, existing: Ticket, contact_id: int, effect: OpenTicket, now: datetime) -> None:
    existing.last_activity_at = now
    existing.transcript = snapshot(session, contact_id)
    if existing.status == "open":
        existing.callback_number = effect.callback_number or existing.callback_number
        existing.callback_window = effect.callback_window or existing.callback_window
    session.add(existing)
    detail = f"{effect.topic}; call {effect.callback_number or '-'} ({effect.callback_window}, {effect.language})"
    session.add(
        TicketEvent(ticket_id=existing.id or 0, kind="second_request", text=detail, actor="resident", created_at=now)
    )


def open_ticket(
    session: Session,
    contact: Contact,
    effect: OpenTicket,
    *,
    organisations: tuple[Organisation, ...],
    now: datetime,
    timezone: str,
    test: bool = False,
) -> tuple[Ticket, TicketReceipt]:
    """Open a ticket, or add this request to the resident's open one (only one open ticket per resident).
    The route and its reasons are recorded on the ticket and in its first event. A `test` ticket (from a
    simulator) is routed the same way but never announced, and nothing reaches the outbox for it."""
    assert contact.id is not None
    existing = open_ticket_for(session, contact)
    if existing is not None:
        _add_request(session, existing, contact.id, effect, now)
        org = _find_org(organisations, existing.organisation)
        return existing, TicketReceipt(
            code=existing.code,
            organisation=org.name if org else existing.organisation,
            expected_at=None,
            in_hours=True,
            added_to_existing=True,
        )
    chosen: Route | None = route(
        organisations,
        language=effect.language,
        topic=effect.topic,
        open_counts=open_counts(session),
        now=now,
        timezone=timezone,
    )
    org_id = chosen.organisation.id if chosen else "unassigned"
    ticket = Ticket(
        code=new_code(session),
        contact_id=contact.id,
        organisation=org_id,
        routing_reason=chosen.reason if chosen else "no active organisation",
        language=effect.language,
        topic=effect.topic,
        context=dict(effect.context),
        channel=contact.channel,
        callback_number=effect.callback_number,
        callback_window=effect.callback_window,
        transcript=snapshot(session, contact.id),
        created_at=now,
        last_activity_at=now,
        test=test,
    )
    session.add(ticket)
    session.flush()
    session.add(
        TicketEvent(
            ticket_id=ticket.id or 0,
            kind="opened",
            text=f"{org_id}: {ticket.routing_reason}",
            actor="digibuur",
            created_at=now,
        )
    )
    org = chosen.organisation if chosen else None
    expected_at, in_hours = expectation(org, effect.callback_window, now, timezone)
    receipt = TicketReceipt(
        code=ticket.code, organisation=org.name if org else "digibuur", expected_at=expected_at, in_hours=in_hours,
        language=effect.language, helper_languages=org.languages if org else (),
    )
    return ticket, receipt


def add_to_ticket(session: Session, code: str, text: str, now: datetime) -> Ticket | None:
    """Add a resident's message to their open ticket; None when it is not open any more."""
    ticket = session.exec(select(Ticket).where(Ticket.code == code)).first()
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return None
    ticket.transcript = [*(ticket.transcript or []), {"from": "resident", "text": text, "at": now.isoformat()}]
    ticket.last_activity_at = now
    session.add(ticket)
    session.add(
        TicketEvent(ticket_id=ticket.id or 0, kind="resident_message", text=text, actor="resident", created_at=now)
    )
    return ticket


def status_info(
    session: Session,
    contact: Contact,
    code: str | None,
    organisations: tuple[Organisation, ...],
    *,
    now: datetime | None = None,
    timezone: str = "Europe/Brussels",
) -> TicketStatusInfo:
    """Where the resident's ticket stands (only their own tickets: another code answers 'none').
    With `now`, an open ticket waiting for the helpdesk to open gets that opening time as expected_at."""
    query = select(Ticket).where(Ticket.contact_id == contact.id)
    if code:
        query = query.where(Ticket.code == code.strip().upper())
    ticket = session.exec(query.order_by(col(Ticket.id).desc())).first()
    if ticket is None:
        return TicketStatusInfo(code=None, status=None)
    org = _find_org(organisations, ticket.organisation)
    expected_at = None
    if ticket.status == "open" and now is not None:
        moment, in_hours = expectation(org, ticket.callback_window, now, timezone)
        chosen_day = window_day(ticket.callback_window)
        later_day = chosen_day is not None and chosen_day > now.astimezone(ZoneInfo(timezone)).date()
        if not in_hours or later_day:
            expected_at = moment  # "tomorrow from 9:00", "on Monday 30/11"; in hours: "as soon as possible"
    return TicketStatusInfo(
        code=ticket.code,
        status=ticket.status,
        organisation=org.name if org else ticket.organisation,
        helper=helper_first_name(ticket.claimed_by_name),
        expected_at=expected_at,
    )
