"""Tickets from the resident's side: open (one per resident), add to, report status; codes like T-4821."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from bot.effects import CallbackPromise, OpenTicket, TicketReceipt, TicketStatusInfo
from handoff.organisations import Organisation
from handoff.promise import promise
from handoff.resident import helper_first_name
from handoff.routing import Route, route
from storage import tickets
from storage.enums import TicketStatus
from storage.models import Contact, Ticket
from storage.queries import transcript
from storage.session import Session

OPEN_STATUSES = tickets.OPEN_STATUSES


def new_code(session: Session) -> str:
    """A short code the resident can type: T- and four digits (six when four are running out)."""
    for _ in range(50):
        code = f"T-{secrets.randbelow(9000) + 1000}"
        if not tickets.code_taken(session, code):
            return code
    return f"T-{secrets.randbelow(900000) + 100000}"


def open_ticket_for(session: Session, contact: Contact) -> Ticket | None:
    """The resident's open or claimed ticket, if any."""
    return tickets.open_for_contact(session, contact.id)


def open_counts(session: Session) -> dict[str, int]:
    """Open + claimed real tickets per organisation (routing prefers the least busy; tests do not count)."""
    return tickets.open_counts(session)


def snapshot(session: Session, contact_id: int) -> list[dict[str, Any]]:
    """The recent conversation, for the helper."""
    return [
        {"from": "resident" if m.direction == "in" else "digibuur", "text": m.text, "at": m.created_at.isoformat()}
        for m in transcript(session, contact_id)
    ]


def expectation(org: Organisation | None, window: str, now: datetime, timezone: str) -> tuple[datetime | None, bool]:
    """The promise in the older two-value form: (moment, in_hours).

    A call possible now: (end of today's chance, True). Asap out of hours: (next opening, False). Otherwise
    (the earliest moment in the chosen window or day, True); unknown hours: (None, True).
    """
    return _two_values(promise(org, window, now, timezone))


def _two_values(made: CallbackPromise) -> tuple[datetime | None, bool]:
    if made.end is not None:
        return made.end, True
    return made.start if made.hours_known else None, not (made.window == "asap" and made.hours_known)


def _find_org(organisations: tuple[Organisation, ...], org_id: str) -> Organisation | None:
    return next((o for o in organisations if o.id == org_id), None)


def _add_request(session: Session, existing: Ticket, contact_id: int, effect: OpenTicket, now: datetime) -> None:
    existing.last_activity_at = now
    existing.transcript = snapshot(session, contact_id)
    if existing.status == TicketStatus.OPEN:
        existing.callback_number = effect.callback_number or existing.callback_number
        existing.callback_window = effect.callback_window or existing.callback_window
    tickets.save(session, existing)
    detail = f"{effect.topic}; call {effect.callback_number or '-'} ({effect.callback_window}, {effect.language})"
    tickets.add_event(session, existing.id, "second_request", detail, "resident", now)


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
    ticket = tickets.create(
        session,
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
    tickets.add_event(session, ticket.id, "opened", f"{org_id}: {ticket.routing_reason}", "digibuur", now)
    org = chosen.organisation if chosen else None
    made = promise(org, effect.callback_window, now, timezone)
    expected_at, in_hours = _two_values(made)
    receipt = TicketReceipt(
        code=ticket.code, organisation=org.name if org else "digibuur", expected_at=expected_at, in_hours=in_hours,
        language=effect.language, helper_languages=org.languages if org else (),
        promise=made,
    )
    return ticket, receipt


def add_to_ticket(session: Session, code: str, text: str, now: datetime) -> Ticket | None:
    """Add a resident's message to their open ticket; None when it is not open any more."""
    ticket = tickets.by_code(session, code)
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return None
    ticket.transcript = [*(ticket.transcript or []), {"from": "resident", "text": text, "at": now.isoformat()}]
    ticket.last_activity_at = now
    tickets.save(session, ticket)
    tickets.add_event(session, ticket.id, "resident_message", text, "resident", now)
    return ticket


def change_window(session: Session, code: str, window: str, organisations: tuple[Organisation, ...],
                  now: datetime, timezone: str) -> CallbackPromise | None:
    """The resident changes the callback window of their ticket while nobody has claimed it yet: the new promise,
    or None when the ticket is no longer open (then the message is added as any other)."""
    ticket = tickets.by_code(session, code)
    if ticket is None or ticket.status != TicketStatus.OPEN:
        return None
    before = ticket.callback_window
    ticket.callback_window = window
    ticket.last_activity_at = now
    tickets.save(session, ticket)
    tickets.add_event(session, ticket.id, "window_changed", f"{before} -> {window}", "resident", now)
    return promise(_find_org(organisations, ticket.organisation), window, now, timezone)


def change_number(session: Session, code: str, number: str, now: datetime) -> bool:
    """The resident gives another callback number while nobody has claimed the ticket yet; False when the
    ticket is no longer open (then the message is added as any other)."""
    ticket = tickets.by_code(session, code)
    if ticket is None or ticket.status != TicketStatus.OPEN:
        return False
    ticket.callback_number = number
    ticket.last_activity_at = now
    tickets.save(session, ticket)
    tickets.add_event(session, ticket.id, "number_changed", "", "resident", now)
    return True


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
    With `now`, an open ticket carries the callback promise as it stands at that moment."""
    ticket = tickets.latest_for_contact(session, contact.id, code.strip().upper() if code else None)
    if ticket is None:
        return TicketStatusInfo(code=None, status=None)
    org = _find_org(organisations, ticket.organisation)
    made = None
    if ticket.status == TicketStatus.OPEN and now is not None:
        made = promise(org, ticket.callback_window, now, timezone)
    return TicketStatusInfo(
        code=ticket.code,
        status=ticket.status,
        organisation=org.name if org else ticket.organisation,
        helper=helper_first_name(ticket.claimed_by_name),
        expected_at=(made.end or made.start) if made else None,
        promise=made,
    )
