"""The one question after a handoff: a ticket closed as solved gets "did the helper help you?" the next morning
within the organisation's hours, once per ticket, never to an opted-out resident, never in the middle of a flow."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.channels.outbox_body import body_from_reply
from bot.content.library import Library
from bot.messages import Option, Reply
from bot.state import OfferedOption, State
from handoff.notify import find_organisation
from handoff.organisations import Organisation
from storage.models import Contact, Conversation, Satisfaction, Ticket
from storage.queries import enqueue

HELPED = "solved"
MORNING = time(9, 0)
BUSY = timedelta(minutes=30)  # a conversation active this recently is not interrupted
SURVEY_FLOW = "survey"


def due_moment(org: Organisation | None, closed_at: datetime, timezone: str) -> datetime:
    """The next morning from 09:00 within the organisation's hours (09:00 when its hours are unknown)."""
    zone = ZoneInfo(timezone)
    morning = datetime.combine(closed_at.astimezone(zone).date() + timedelta(days=1), MORNING, tzinfo=zone)
    opened = org.next_open(morning, timezone) if org is not None else None
    return opened if opened is not None else morning


def schedule(session: Session, organisations: tuple[Organisation, ...], timezone: str) -> int:
    """A due question for every ticket closed as solved that has none yet."""
    asked = select(Satisfaction.ticket_id)
    tickets = session.exec(select(Ticket).where(Ticket.status == "closed", Ticket.outcome == HELPED,
                                                col(Ticket.test).is_(False), col(Ticket.contact_id).is_not(None),
                                                col(Ticket.closed_at).is_not(None), col(Ticket.id).not_in(asked)))
    count = 0
    for ticket in tickets:
        assert ticket.id is not None and ticket.closed_at is not None
        org = find_organisation(organisations, ticket.organisation)
        session.add(Satisfaction(ticket_id=ticket.id, contact_id=ticket.contact_id, organisation=ticket.organisation,
                                 due_at=due_moment(org, ticket.closed_at, timezone)))
        count += 1
    return count


def _open_now(org: Organisation | None, now: datetime, timezone: str) -> bool:
    known = org.is_open(now, timezone) if org is not None else None
    if known is None:
        return MORNING <= now.astimezone(ZoneInfo(timezone)).time() < time(17, 0)
    return known


def ask_due(session: Session, library: Library, organisations: tuple[Organisation, ...], now: datetime,
            timezone: str) -> dict[str, int]:
    """Send the due questions (outbox) and leave their options in the resident's conversation."""
    counts = {"asked": 0, "skipped": 0, "later": 0}
    rows = session.exec(select(Satisfaction).where(Satisfaction.status == "due", col(Satisfaction.due_at) <= now)
                        .with_for_update(skip_locked=True)).all()
    for row in rows:
        contact = session.get(Contact, row.contact_id) if row.contact_id is not None else None
        if contact is None or contact.opted_out or contact.channel not in ("sms", "whatsapp", "telegram"):
            row.status = "skipped"
            counts["skipped"] += 1
        elif not _open_now(find_organisation(organisations, row.organisation), now, timezone) or _busy(
                session, contact, now):
            row.due_at = now + timedelta(hours=1)
            counts["later"] += 1
        else:
            _ask(session, library, contact, now)
            row.status = "asked"
            row.asked_at = now
            counts["asked"] += 1
        session.add(row)
    return counts


def _busy(session: Session, contact: Contact, now: datetime) -> bool:
    conversation = session.exec(select(Conversation).where(Conversation.contact_id == contact.id)).first()
    if conversation is None:
        return False
    state = State.from_dict(conversation.state)
    return bool(state.flow) and now - conversation.updated_at < BUSY


def _ask(session: Session, library: Library, contact: Contact, now: datetime) -> None:
    texts = library.texts
    language = contact.language if contact.language in texts.languages else texts.deployment.default_language
    labels = [("1", texts.get(language, "survey_yes"), ["yes"]), ("2", texts.get(language, "survey_bit"), []),
              ("3", texts.get(language, "survey_no"), ["no"])]
    reply = texts.stamp(Reply(text=texts.get(language, "survey_question"),
                              options=tuple(Option(key=key, label=label) for key, label, _ in labels)), language)
    enqueue(session, contact.channel, contact.address, body_from_reply(reply), contact_id=contact.id,
            purpose="satisfaction")
    conversation = session.exec(select(Conversation).where(Conversation.contact_id == contact.id)
                                .with_for_update()).first() or Conversation(contact_id=contact.id or 0, state={})
    state = State.from_dict(conversation.state)
    state.flow = SURVEY_FLOW
    state.question = None
    state.options = [OfferedOption(key=key, label=label, action=f"survey:{key}", answers=answers)
                     for key, label, answers in labels]
    conversation.state = state.to_dict()
    conversation.updated_at = now
    session.add(conversation)
