"""The one question after a handoff: a ticket closed as solved gets "did the helper help you?" the next morning
within the organisation's hours, once per ticket, never to an opted-out resident, never in the middle of a flow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.state import OfferedOption, State
from handoff.notify import find_organisation
from handoff.organisations import Organisation
from storage import conversation_states
from storage import satisfaction as questions
from storage.enums import TicketOutcome
from storage.models import Contact, Conversation
from storage.queries import enqueue
from storage.session import Session

HELPED = TicketOutcome.SOLVED
MORNING = time(9, 0)
BUSY = timedelta(minutes=30)  # a conversation active this recently is not interrupted
SURVEY_FLOW = "survey"
# the answers offered: key, sentence key of the label, words that also mean this answer
CHOICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("1", "survey_yes", ("yes",)), ("2", "survey_bit", ()), ("3", "survey_no", ("no",)),
)
# the caller words the question for a resident: (the outbox body, the label of every key in CHOICES)
Question = Callable[[Contact], tuple[dict[str, Any], dict[str, str]]]


def due_moment(org: Organisation | None, closed_at: datetime, timezone: str) -> datetime:
    """The next morning from 09:00 within the organisation's hours (09:00 when its hours are unknown)."""
    zone = ZoneInfo(timezone)
    morning = datetime.combine(closed_at.astimezone(zone).date() + timedelta(days=1), MORNING, tzinfo=zone)
    opened = org.next_open(morning, timezone) if org is not None else None
    return opened if opened is not None else morning


def schedule(session: Session, organisations: tuple[Organisation, ...], timezone: str) -> int:
    """A due question for every ticket closed as solved that has none yet."""
    count = 0
    for ticket in questions.solved_unasked(session):
        assert ticket.id is not None and ticket.closed_at is not None
        org = find_organisation(organisations, ticket.organisation)
        questions.plan(session, ticket, due_moment(org, ticket.closed_at, timezone))
        count += 1
    return count


def _open_now(org: Organisation | None, now: datetime, timezone: str) -> bool:
    known = org.is_open(now, timezone) if org is not None else None
    if known is None:
        return MORNING <= now.astimezone(ZoneInfo(timezone)).time() < time(17, 0)
    return known


def ask_due(session: Session, question: Question, organisations: tuple[Organisation, ...], now: datetime,
            timezone: str) -> dict[str, int]:
    """Send the due questions (outbox) and leave their options in the resident's conversation."""
    counts = {"asked": 0, "skipped": 0, "later": 0}
    for row in questions.due(session, now):
        contact = questions.contact(session, row)
        if contact is None or contact.opted_out or contact.channel not in ("sms", "whatsapp", "telegram"):
            row.status = "skipped"
            counts["skipped"] += 1
        elif not _open_now(find_organisation(organisations, row.organisation), now, timezone) or _busy(
                session, contact, now):
            row.due_at = now + timedelta(hours=1)
            counts["later"] += 1
        else:
            _ask(session, question, contact, now)
            row.status = "asked"
            row.asked_at = now
            counts["asked"] += 1
        questions.save(session, row)
    return counts


def _busy(session: Session, contact: Contact, now: datetime) -> bool:
    conversation = conversation_states.find(session, contact.id)
    if conversation is None:
        return False
    state = State.from_dict(conversation.state)
    return bool(state.flow) and now - conversation.updated_at < BUSY


def _ask(session: Session, question: Question, contact: Contact, now: datetime) -> None:
    body, labels = question(contact)
    enqueue(session, contact.channel, contact.address, body, contact_id=contact.id, purpose="satisfaction")
    conversation = conversation_states.lock(session, contact.id) or Conversation(contact_id=contact.id or 0, state={})
    state = State.from_dict(conversation.state)
    state.flow = SURVEY_FLOW
    state.question = None
    state.options = [OfferedOption(key=key, label=labels[key], action=f"survey:{key}", answers=list(answers))
                     for key, _, answers in CHOICES]
    conversation_states.save_state(session, conversation, state.to_dict(), now)
