"""Reaching the resident behind a ticket: outbox messages (never after STOP) and their conversation state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import phonenumbers

from bot.content_base.languages import shipped_languages
from storage import conversation_states, tickets
from storage.models import Contact, Outbox, Ticket
from storage.queries import enqueue
from storage.session import Session

WHATSAPP_WINDOW = timedelta(hours=24)
SMS_TYPES = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


def can_text(number: str) -> bool:
    """A mobile number in E.164 (a caller's shown number); not a landline, not a withheld caller."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed)) and phonenumbers.number_type(parsed) in SMS_TYPES


def reachable_contact(session: Session, ticket: Ticket) -> Contact | None:
    """The resident's contact, or None when they sent STOP or were forgotten."""
    contact = tickets.resident(session, ticket)
    if contact is None or contact.opted_out:
        return None
    return contact


def message_resident(
    session: Session, ticket: Ticket, text_for: Callable[[str], str], *, purpose: str, now: datetime
) -> Outbox | None:
    """Queue one message to the resident in their language; None (nothing queued) when they cannot be reached.

    WhatsApp outside the 24-hour window needs an approved template: the body says so with "template": true.
    """
    contact = reachable_contact(session, ticket)
    if contact is None or ticket.test:
        return None  # a simulator's ticket has no resident to write to
    language = contact.language or ticket.language or shipped_languages().source
    last = contact.last_inbound_at
    template = contact.channel == "whatsapp" and (last is None or now - last > WHATSAPP_WINDOW)
    body: dict[str, Any] = {
        "text": text_for(language),
        "options": [],
        "place": None,
        "ask_location": False,
        "inline_buttons": [],
        "template": template,
    }
    channel, contact_id = contact.channel, contact.id
    if channel == "voice":  # a caller hears nothing from us between calls: text their mobile number, if shown
        if not can_text(contact.address):
            return None
        channel, contact_id = "sms", None  # the outbox finds the SMS contact by number (a STOP by SMS holds)
    row = enqueue(session, channel, contact.address, body, contact_id=contact_id, purpose=purpose,
                  about_contact_id=contact.id)
    row.next_attempt_at = now  # enqueue added the row to the session: this goes in with it
    return row


def set_conversation_ticket(
    session: Session,
    contact_id: int,
    code: str | None,
    claimed: bool | None,
    *,
    lock_only: bool = False,
    only_if_code: str | None = None,
) -> None:
    """Lock the resident's conversation row and set state["ticket"] / state["ticket_claimed"].

    lock_only: just take the row lock (lock order: conversation before ticket, as the service does).
    only_if_code: change nothing unless the conversation points at this ticket (closing an old ticket must
    not forget a newer one). A claim also clears the pending menu/prompt, so messages reach the helper.
    """
    conversation = conversation_states.lock(session, contact_id, fresh=True)
    if conversation is None or lock_only:
        return
    state = dict(conversation.state or {})
    if only_if_code is not None and state.get("ticket") != only_if_code:
        return
    state["ticket"] = code
    state["ticket_claimed"] = bool(claimed)
    if claimed:
        # a helper has it now: the resident's next messages go to the helper, not to an old menu or prompt
        state["flow"] = ""
        state["options"] = []
    conversation_states.save_state(session, conversation, state)


def helper_first_name(name: str | None) -> str:
    """How a helper is named to the resident: the first name only ("telegram:Sara P." -> "Sara")."""
    clean = (name or "").removeprefix("telegram:").strip()
    if "@" in clean:
        return ""
    return clean.split(" ")[0][:40] if clean else ""
