"""Tickets: open (one per resident), add to, report status; codes like T-4821."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from bot.effects import OpenTicket, TicketReceipt, TicketStatusInfo
from handoff.organisations import Organisation
from handoff.routing import route
from storage.models import Contact, Ticket, TicketEvent, User
from storage.queries import transcript

OPEN_STATUSES = ("open", "claimed")


def new_code(session: Session) -> str:
    for _ in range(50):
        code = f"T-{secrets.randbelow(9000) + 1000}"
        if session.exec(select(Ticket.id).where(Ticket.code == code)).first() is None:
            return code
    return f"T-{secrets.randbelow(900000) + 100000}"


def open_ticket_for(session: Session, contact: Contact) -> Ticket | None:
    return session.exec(
        select(Ticket).where(Ticket.contact_id == contact.id, col(Ticket.status).in_(OPEN_STATUSES))
        .order_by(col(Ticket.id).desc())
    ).first()


def open_counts(session: Session) -> dict[str, int]:
    rows = session.exec(
        select(Ticket.organisation, func.count()).where(col(Ticket.status).in_(OPEN_STATUSES))
        .group_by(Ticket.organisation)
    )
    return {org: int(count) for org, count in rows}


def snapshot(session: Session, contact_id: int) -> list[dict[str, Any]]:
    return [
        {"from": "resident" if m.direction == "in" else "digibuur", "text": m.text, "at": m.created_at.isoformat()}
        for m in transcript(session, contact_id)
    ]


def open_ticket(session: Session, contact: Contact, effect: OpenTicket, *, organisations: tuple[Organisation, ...],
                now: datetime, timezone: str) -> tuple[Ticket, TicketReceipt]:
    """Open a ticket, or add this request to the resident's open one (only one open ticket per resident)."""
    assert contact.id is not None
    existing = open_ticket_for(session, contact)
    if existing is not None:
        existing.last_activity_at = now
        existing.transcript = snapshot(session, contact.id)
        session.add(existing)
        session.add(TicketEvent(ticket_id=existing.id or 0, kind="second_request", text=effect.topic, created_at=now))
        org = next((o for o in organisations if o.id == existing.organisation), None)
        return existing, TicketReceipt(code=existing.code, organisation=org.name if org else existing.organisation,
                                       expected_at=None, in_hours=True, added_to_existing=True)
    chosen = route(organisations, language=effect.language, topic=effect.topic, open_counts=open_counts(session),
                   now=now, timezone=timezone)
    org_id = chosen.organisation.id if chosen else "unassigned"
    org_name = chosen.organisation.name if chosen else "digibuur"
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
    )
    session.add(ticket)
    session.flush()
    session.add(TicketEvent(ticket_id=ticket.id or 0, kind="opened", text=ticket.routing_reason, created_at=now))
    receipt = TicketReceipt(code=ticket.code, organisation=org_name,
                            expected_at=chosen.expected_at if chosen else None,
                            in_hours=chosen.in_hours if chosen else True)
    return ticket, receipt


def add_to_ticket(session: Session, code: str, text: str, now: datetime) -> Ticket | None:
    ticket = session.exec(select(Ticket).where(Ticket.code == code)).first()
    if ticket is None or ticket.status not in OPEN_STATUSES:
        return None
    ticket.transcript = [*ticket.transcript, {"from": "resident", "text": text, "at": now.isoformat()}]
    ticket.last_activity_at = now
    session.add(ticket)
    session.add(TicketEvent(ticket_id=ticket.id or 0, kind="resident_message", text=text, created_at=now))
    return ticket


def status_info(session: Session, contact: Contact, code: str | None,
                organisations: tuple[Organisation, ...]) -> TicketStatusInfo:
    query = select(Ticket).where(Ticket.contact_id == contact.id)
    if code:
        query = query.where(Ticket.code == code.upper())
    ticket = session.exec(query.order_by(col(Ticket.id).desc())).first()
    if ticket is None:
        return TicketStatusInfo(code=None, status=None)
    org = next((o for o in organisations if o.id == ticket.organisation), None)
    helper = ""
    if ticket.claimed_by is not None:
        user = session.get(User, ticket.claimed_by)
        helper = (user.name or "") if user else ""
    return TicketStatusInfo(code=ticket.code, status=ticket.status, organisation=org.name if org else ticket.organisation,
                            helper=helper)
