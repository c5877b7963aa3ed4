"""The helper inbox's domain API: list, read, claim, release, log outcomes, close, message the resident.

Every function takes an open Session and never commits: the caller (a web route, the CLI, a job) owns the
transaction, so one request = one transaction. Errors are raised as InboxError subclasses:
TicketNotFound (unknown code, or a code the viewer may not see: the same answer, so codes cannot be probed),
NotAllowed (the viewer may see the ticket but not do this), InvalidAction (wrong outcome, closed ticket, ...).

Permission rules: an inactive user sees nothing; a helper sees and acts only on tickets routed to their own
organisation, and on a claimed ticket only when they claimed it (or it was claimed from Telegram by someone
without an account); staff and admin see and act on everything.

The resident is kept in the loop through the outbox (never directly): a claim enqueues ho_claimed_notice in
the resident's language, send_to_resident enqueues ho_helper_message. Nothing is enqueued for a resident who
sent STOP (or asked to be forgotten); the action is still recorded as a ticket event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.content.texts import Texts
from handoff.live import live_organisations, live_texts
from handoff.organisations import Organisation
from handoff.resident import helper_first_name, message_resident, set_conversation_ticket
from storage.models import Contact, Ticket, TicketEvent, User

Scope = Literal["unclaimed", "mine", "organisation", "all", "test"]
SCOPES: tuple[str, ...] = ("unclaimed", "mine", "organisation", "all", "test")
STATUSES: tuple[str, ...] = ("open", "claimed", "closed")
OUTCOMES: tuple[str, ...] = ("solved", "no_answer", "call_again", "referred", "other")
CLOSING_OUTCOMES: tuple[str, ...] = ("solved", "referred")
STAFF_ROLES: tuple[str, ...] = ("staff", "admin")
MAX_MESSAGE_CHARS = 1000


class InboxError(Exception):
    """Base class: the inbox action could not be done; str(error) is a short English reason."""


class TicketNotFound(InboxError):
    """No ticket with this code that the viewer may see."""


class NotAllowed(InboxError):
    """The viewer may see the ticket but may not do this with it."""


class InvalidAction(InboxError):
    """The action does not fit the ticket (closed already, unknown outcome, missing call-again time)."""


@dataclass(frozen=True)
class TranscriptLine:
    """One line of the conversation: sender is "resident", "digibuur" or "helper"."""

    sender: str
    text: str
    at: str


@dataclass(frozen=True)
class EventView:
    """Something that happened to the ticket (opened, claimed, outcome, rerouted, message_to_resident, ...)."""

    kind: str
    text: str
    actor: str | None
    at: datetime


@dataclass(frozen=True)
class TicketView:
    """One row of the inbox list."""

    code: str
    status: str
    organisation: str
    organisation_name: str
    language: str
    topic: str
    guide: str | None
    step: str | None  # the guide step id where it went wrong
    callback_number: str | None
    callback_window: str
    channel: str
    created_at: datetime
    last_activity_at: datetime
    claimed_by: int | None
    claimed_by_name: str | None
    claimed_at: datetime | None
    outcome: str | None
    call_again_at: datetime | None
    closed_at: datetime | None
    routing_reason: str
    message_count: int
    test: bool = False
    organisation_speaks: bool = True  # the organisation's helpers speak the ticket's language


@dataclass(frozen=True)
class TicketDetail:
    """Everything the helper needs before calling, plus what the viewer may do now."""

    ticket: TicketView
    transcript: tuple[TranscriptLine, ...]
    context: dict[str, Any]
    note: str | None
    events: tuple[EventView, ...]
    resident_reachable: bool
    can_claim: bool
    can_act: bool


# -- permissions ------------------------------------------------------------------------------------------


def is_staff(viewer: User) -> bool:
    """Staff and admin see every organisation's tickets."""
    return viewer.active and viewer.role in STAFF_ROLES


def can_see(viewer: User, ticket: Ticket) -> bool:
    """A helper sees their organisation's tickets; staff/admin see all; inactive users see nothing."""
    if not viewer.active:
        return False
    if viewer.role in STAFF_ROLES:
        return True
    return viewer.role == "helper" and bool(viewer.organisation) and viewer.organisation == ticket.organisation


def can_act(viewer: User, ticket: Ticket) -> bool:
    """May the viewer release, log an outcome, close or message on this ticket right now?"""
    if not can_see(viewer, ticket) or ticket.status == "closed":
        return False
    if is_staff(viewer) or ticket.status == "open":
        return True
    return ticket.claimed_by is None or ticket.claimed_by == viewer.id


def actor_name(viewer: User) -> str:
    """How a user appears in ticket events."""
    return viewer.name or viewer.email


# -- reading ----------------------------------------------------------------------------------------------


def _organisation_name(organisations: tuple[Organisation, ...], org_id: str) -> str:
    return next((o.name for o in organisations if o.id == org_id), org_id)


def _step(context: dict[str, Any]) -> str | None:
    value = context.get("step")
    return None if value in (None, "") else str(value)


def ticket_view(ticket: Ticket, organisations: tuple[Organisation, ...]) -> TicketView:
    """The list row for a ticket (no permission check: use list_tickets / get_ticket from routes)."""
    context = dict(ticket.context or {})
    return TicketView(
        code=ticket.code,
        status=ticket.status,
        organisation=ticket.organisation,
        organisation_name=_organisation_name(organisations, ticket.organisation),
        language=ticket.language,
        topic=ticket.topic,
        guide=str(context["guide"]) if context.get("guide") else None,
        step=_step(context),
        callback_number=ticket.callback_number,
        callback_window=ticket.callback_window,
        channel=ticket.channel,
        created_at=ticket.created_at,
        last_activity_at=ticket.last_activity_at,
        claimed_by=ticket.claimed_by,
        claimed_by_name=ticket.claimed_by_name,
        claimed_at=ticket.claimed_at,
        outcome=ticket.outcome,
        call_again_at=ticket.call_again_at,
        closed_at=ticket.closed_at,
        routing_reason=ticket.routing_reason,
        message_count=len(ticket.transcript or []),
        test=ticket.test,
        organisation_speaks=_speaks(organisations, ticket.organisation, ticket.language),
    )


def _speaks(organisations: tuple[Organisation, ...], org_id: str, language: str) -> bool:
    org = next((o for o in organisations if o.id == org_id), None)
    return org is None or language in org.languages


def list_tickets(
    session: Session,
    *,
    viewer: User,
    scope: Scope,
    status: str | None = None,
    limit: int = 200,
    organisations: tuple[Organisation, ...] | None = None,
) -> list[TicketView]:
    """The tickets the viewer may see, in one of four scopes, optionally filtered by status.

    scope: "unclaimed" = open tickets; "mine" = claimed by the viewer; "organisation" = the viewer's
    organisation (staff without an organisation: all); "all" = everything the viewer may see (a helper
    still only sees their organisation); "test" = tickets opened from a simulator, which no other scope
    shows. Order: open first (oldest first: they have waited longest),
    then claimed (oldest first), then closed (newest first).
    """
    if scope not in SCOPES:
        raise InvalidAction(f"unknown scope {scope!r}")
    if status is not None and status not in STATUSES:
        raise InvalidAction(f"unknown status {status!r}")
    if not viewer.active:
        return []
    query = select(Ticket)
    if not is_staff(viewer):
        if viewer.role != "helper" or not viewer.organisation:
            return []
        query = query.where(Ticket.organisation == viewer.organisation)
    elif scope == "organisation" and viewer.organisation:
        query = query.where(Ticket.organisation == viewer.organisation)
    query = query.where(col(Ticket.test).is_(scope == "test"))
    if scope == "unclaimed":
        query = query.where(Ticket.status == "open")
    elif scope == "mine":
        query = query.where(Ticket.claimed_by == viewer.id, Ticket.status != "open")
    if status is not None:
        query = query.where(Ticket.status == status)
    rows = list(session.exec(query.order_by(col(Ticket.id).desc()).limit(limit)))
    rank = {"open": 0, "claimed": 1, "closed": 2}
    rows.sort(
        key=lambda t: (
            rank.get(t.status, 3),
            -t.created_at.timestamp() if t.status == "closed" else t.created_at.timestamp(),
        )
    )
    orgs = organisations if organisations is not None else live_organisations(session)
    return [ticket_view(t, orgs) for t in rows]


def _find(session: Session, viewer: User, code: str, *, lock: bool = False) -> Ticket:
    query = select(Ticket).where(Ticket.code == code.strip().upper())
    if lock:
        query = query.with_for_update()
    ticket = session.exec(query.execution_options(populate_existing=True)).first()
    if ticket is None or not can_see(viewer, ticket):
        raise TicketNotFound(f"no ticket {code}")
    return ticket


def _reachable(session: Session, ticket: Ticket) -> bool:
    if ticket.contact_id is None:
        return False
    contact = session.get(Contact, ticket.contact_id)
    return contact is not None and not contact.opted_out


def get_ticket(
    session: Session, viewer: User, code: str, *, organisations: tuple[Organisation, ...] | None = None
) -> TicketDetail:
    """The full ticket: transcript, guide + step where it went wrong (from ticket.context), language,
    callback number + window, events (oldest first), and what the viewer may do. Raises TicketNotFound."""
    ticket = _find(session, viewer, code)
    events = session.exec(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(col(TicketEvent.id)))
    orgs = organisations if organisations is not None else live_organisations(session)
    return TicketDetail(
        ticket=ticket_view(ticket, orgs),
        transcript=tuple(
            TranscriptLine(sender=str(line.get("from", "")), text=str(line.get("text", "")), at=str(line.get("at", "")))
            for line in ticket.transcript or []
        ),
        context=dict(ticket.context or {}),
        note=ticket.note,
        events=tuple(EventView(kind=e.kind, text=e.text, actor=e.actor, at=e.created_at) for e in events),
        resident_reachable=_reachable(session, ticket),
        can_claim=ticket.status == "open" and can_see(viewer, ticket),
        can_act=can_act(viewer, ticket),
    )


# -- acting -----------------------------------------------------------------------------------------------


def _event(session: Session, ticket: Ticket, kind: str, text: str, actor: str | None, now: datetime) -> None:
    assert ticket.id is not None
    session.add(TicketEvent(ticket_id=ticket.id, kind=kind, text=text, actor=actor, created_at=now))


def claim_ticket(
    session: Session,
    ticket: Ticket,
    *,
    user_id: int | None,
    name: str,
    now: datetime,
    texts: Texts | None = None,
    organisations: tuple[Organisation, ...] | None = None,
) -> bool:
    """The race-safe claim shared by the inbox and Telegram: one conditional UPDATE ... WHERE status='open';
    exactly one caller sees rowcount 1. The winner records the event, updates the resident's conversation
    state and tells the resident (outbox). Callers check permissions first."""
    assert ticket.id is not None
    if ticket.contact_id is not None:
        # lock order everywhere: conversation, then ticket (as service.handle does)
        set_conversation_ticket(session, ticket.contact_id, None, None, lock_only=True)
    result = session.execute(
        update(Ticket)
        .where(col(Ticket.id) == ticket.id, col(Ticket.status) == "open")
        .values(status="claimed", claimed_by=user_id, claimed_by_name=name[:120], claimed_at=now, last_activity_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    session.refresh(ticket)
    _event(session, ticket, "claimed", "", name, now)
    if ticket.contact_id is not None:
        set_conversation_ticket(session, ticket.contact_id, ticket.code, True)
    orgs = organisations if organisations is not None else live_organisations(session)
    resident_texts = texts if texts is not None else live_texts(session)
    first_name = helper_first_name(name)
    message_resident(
        session,
        ticket,
        lambda language: resident_texts.get(
            language,
            "ho_claimed_notice",
            helper=first_name or resident_texts.get(language, "word_a_helper"),
            organisation=_organisation_name(orgs, ticket.organisation),
        ),
        purpose="ticket_claimed",
        now=now,
    )
    return True


def claim(
    session: Session,
    viewer: User,
    code: str,
    now: datetime,
    *,
    texts: Texts | None = None,
    organisations: tuple[Organisation, ...] | None = None,
) -> bool:
    """Claim an open ticket for the viewer. True = the viewer has it now; False = someone else was first
    (or it is not open any more). Exactly one of two simultaneous claims wins. On success the resident is
    told (ho_claimed_notice, in their language, unless they sent STOP) and their conversation state gets
    ticket_claimed = True, so their next messages are forwarded to the helper.
    `texts`/`organisations` default to the live content read from the database."""
    ticket = _find(session, viewer, code)
    if viewer.role not in ("helper", *STAFF_ROLES):
        raise NotAllowed("only helpers, staff and admins can claim")
    if ticket.status != "open":
        return False
    return claim_ticket(
        session, ticket, user_id=viewer.id, name=actor_name(viewer), now=now, texts=texts, organisations=organisations
    )


def release(session: Session, viewer: User, code: str, now: datetime) -> bool:
    """Give a claimed ticket back (it becomes open and is announced again). True when released; False when
    it was not claimed. Only the claimer (or staff/admin) may release."""
    ticket = _find(session, viewer, code)
    if ticket.status != "claimed":
        return False
    if not can_act(viewer, ticket):
        raise NotAllowed("only the helper who claimed it can release this ticket")
    if ticket.contact_id is not None:
        set_conversation_ticket(session, ticket.contact_id, None, None, lock_only=True)
    result = session.execute(
        update(Ticket)
        .where(col(Ticket.id) == ticket.id, col(Ticket.status) == "claimed")
        .values(
            status="open",
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
    _event(session, ticket, "released", "", actor_name(viewer), now)
    if ticket.contact_id is not None:
        set_conversation_ticket(session, ticket.contact_id, ticket.code, False)
    return True


def _close(
    session: Session, ticket: Ticket, *, outcome: str | None, actor: str, now: datetime, kind: str = "closed"
) -> None:
    ticket.status = "closed"
    ticket.closed_at = now
    ticket.last_activity_at = now
    if outcome is not None:
        ticket.outcome = outcome
    session.add(ticket)
    _event(session, ticket, kind, outcome or "", actor, now)
    if ticket.contact_id is not None:
        set_conversation_ticket(session, ticket.contact_id, None, False, only_if_code=ticket.code)


def record_outcome(
    session: Session,
    viewer: User,
    code: str,
    outcome: str,
    note: str | None,
    call_again_at: datetime | None,
    now: datetime,
) -> TicketView:
    """Log the result of a call. outcome is one of OUTCOMES:
    solved / referred: the ticket is closed; no_answer / other: it stays with the helper;
    call_again: needs call_again_at (aware datetime, in the future); the worker reminds the helper then.
    A note (optional) replaces the ticket's note. An open ticket is claimed for the viewer first.
    Raises InvalidAction / NotAllowed / TicketNotFound."""
    if outcome not in OUTCOMES:
        raise InvalidAction(f"outcome must be one of {', '.join(OUTCOMES)}")
    if outcome == "call_again":
        if call_again_at is None or call_again_at.tzinfo is None:
            raise InvalidAction("call_again needs a date and time (timezone-aware)")
        if call_again_at <= now:
            raise InvalidAction("call_again time must be in the future")
    ticket = _find(session, viewer, code)
    if ticket.status == "closed":
        raise InvalidAction("this ticket is closed")
    if not can_act(viewer, ticket):
        raise NotAllowed("another helper has this ticket")
    if ticket.status == "open" and not claim(session, viewer, code, now):
        raise NotAllowed("another helper has just claimed this ticket")
    ticket = _find(session, viewer, code)
    ticket.outcome = outcome
    if note is not None and note.strip():
        ticket.note = note.strip()[:4000]
    ticket.call_again_at = call_again_at if outcome == "call_again" else None
    ticket.reminded_at = None
    ticket.last_activity_at = now
    session.add(ticket)
    detail = outcome if outcome != "call_again" or call_again_at is None else f"call_again {call_again_at.isoformat()}"
    _event(session, ticket, "outcome", detail, actor_name(viewer), now)
    if outcome in CLOSING_OUTCOMES:
        _close(session, ticket, outcome=outcome, actor=actor_name(viewer), now=now)
    session.flush()
    return ticket_view(ticket, live_organisations(session))


def close(session: Session, viewer: User, code: str, now: datetime, *, outcome: str | None = None) -> bool:
    """Close a ticket (optionally with an outcome from OUTCOMES). True when closed now, False when it was
    closed already. The resident's conversation forgets the ticket; the resident is not messaged."""
    if outcome is not None and outcome not in OUTCOMES:
        raise InvalidAction(f"outcome must be one of {', '.join(OUTCOMES)}")
    ticket = _find(session, viewer, code)
    if ticket.status == "closed":
        return False
    if not can_act(viewer, ticket):
        raise NotAllowed("another helper has this ticket")
    _close(session, ticket, outcome=outcome, actor=actor_name(viewer), now=now)
    return True


def send_to_resident(
    session: Session,
    viewer: User,
    code: str,
    text: str,
    now: datetime,
    *,
    texts: Texts | None = None,
) -> bool:
    """Send a short message to the resident through the outbox ("Message from your helper: ..."), and add
    it to the transcript. True when queued; False when the resident cannot be reached (sent STOP, or was
    forgotten): then nothing is queued, and an event says so. Raises on empty text or a closed ticket."""
    body = " ".join(text.split())
    if not body:
        raise InvalidAction("the message is empty")
    if len(body) > MAX_MESSAGE_CHARS:
        raise InvalidAction(f"the message is longer than {MAX_MESSAGE_CHARS} characters")
    ticket = _find(session, viewer, code)
    if ticket.status == "closed":
        raise InvalidAction("this ticket is closed")
    if not can_act(viewer, ticket):
        raise NotAllowed("another helper has this ticket")
    resident_texts = texts if texts is not None else live_texts(session)
    queued = (
        message_resident(
            session,
            ticket,
            lambda language: resident_texts.get(language, "ho_helper_message", text=body),
            purpose="helper_message",
            now=now,
        )
        is not None
    )
    if queued:
        ticket.transcript = [*(ticket.transcript or []), {"from": "helper", "text": body, "at": now.isoformat()}]
        ticket.last_activity_at = now
        session.add(ticket)
        _event(session, ticket, "message_to_resident", body, actor_name(viewer), now)
    else:
        _event(
            session,
            ticket,
            "message_not_sent",
            "resident cannot be reached (STOP or forgotten)",
            actor_name(viewer),
            now,
        )
    return queued
