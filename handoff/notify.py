"""Telling helpers: announce new tickets to the organisation's Telegram group or SMS number (via the outbox).

Wire `announce_hook` into Deps.on_ticket_opened and `message_hook` into Deps.on_ticket_message.
Phone numbers and message texts are never put in a group announcement: the helper opens the inbox for those.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from handoff.helper_texts import HelperTexts, helper_texts, inbox_link, window_label
from handoff.live import live_organisations
from handoff.organisations import Organisation
from storage import tickets
from storage.enums import TicketStatus
from storage.models import Contact, Outbox, Ticket, User
from storage.queries import enqueue, find_contact
from storage.session import Session
from storage.types import utcnow

TicketHook = Callable[[Session, Ticket, Contact], None]
ANNOUNCE_KINDS = ("announce_new", "announce_again", "announce_rerouted")


def find_organisation(organisations: tuple[Organisation, ...], org_id: str) -> Organisation | None:
    return next((o for o in organisations if o.id == org_id), None)


def topic_label(ticket: Ticket, language: str, texts: HelperTexts) -> str:
    """'hotspot-iphone, step 5' when the resident was in a guide, else the topic."""
    context = ticket.context or {}
    if context.get("guide") and context.get("step") not in (None, ""):
        return texts.get(language, "step", guide=context["guide"], step=context["step"])
    return str(context.get("guide") or ticket.topic or "other")


def _opted_out_number(session: Session, channel: str, address: str) -> bool:
    contact = find_contact(session, channel, address)
    return contact is not None and contact.opted_out


def send_to_organisation(
    session: Session,
    org: Organisation,
    text: str,
    *,
    purpose: str,
    buttons: list[list[dict[str, str]]] | None = None,
    about_contact_id: int | None = None,
) -> Outbox | None:
    """Queue a message to the organisation's Telegram group or SMS number; None for inbox-only organisations
    (or a number that sent STOP)."""
    if org.notify == "inbox" or not org.notify_target:
        return None
    channel = "telegram" if org.notify == "telegram" else "sms"
    if _opted_out_number(session, channel, org.notify_target):
        return None
    body: dict[str, Any] = {
        "text": text,
        "options": [],
        "place": None,
        "ask_location": False,
        "inline_buttons": buttons if channel == "telegram" and buttons else [],
        "template": False,
    }
    return enqueue(session, channel, org.notify_target, body, purpose=purpose, about_contact_id=about_contact_id)


def send_to_helper(
    session: Session,
    user: User | None,
    org: Organisation | None,
    text: str,
    *,
    purpose: str,
    private_text: str | None = None,
    about_contact_id: int | None = None,
) -> Outbox | None:
    """A helper with a linked Telegram account gets a direct message (private_text when given); otherwise the
    organisation's channel gets `text` (which must not contain personal data). `about_contact_id` names the
    resident the message is about, so forget-me and the retention purge find it."""
    if user is not None and user.telegram_user_id is not None and user.active:
        body: dict[str, Any] = {
            "text": private_text or text,
            "options": [],
            "place": None,
            "ask_location": False,
            "inline_buttons": [],
            "template": False,
        }
        return enqueue(
            session, "telegram", str(user.telegram_user_id), body, purpose=purpose, about_contact_id=about_contact_id
        )
    if org is None:
        return None
    return send_to_organisation(session, org, text, purpose=purpose, about_contact_id=about_contact_id)


def announce(
    session: Session,
    ticket: Ticket,
    org: Organisation | None,
    now: datetime,
    *,
    kind: str = "announce_new",
    base_url: str | None = None,
) -> bool:
    """Announce the ticket to its organisation and mark it announced (inbox-only organisations: marked only).
    True when a message was queued."""
    if kind not in ANNOUNCE_KINDS:
        raise ValueError(f"unknown announcement {kind}")
    if ticket.test:
        return False  # a simulator's ticket: helpers are never told
    texts = helper_texts()
    language = texts.for_organisation(org)
    text = texts.get(
        language,
        kind,
        code=ticket.code,
        lang=ticket.language,
        topic=topic_label(ticket, language, texts),
        window=window_label(ticket.callback_window, language, texts),
        link=inbox_link(ticket.code, base_url),
    )
    buttons = [[{"text": texts.get(language, "claim_button"), "callback_data": f"claim:{ticket.code}"}]]
    row = (
        send_to_organisation(
            session, org, text, purpose="ticket_announcement", buttons=buttons, about_contact_id=ticket.contact_id
        )
        if org
        else None
    )
    tickets.mark_announced(session, ticket, now)
    return row is not None


def announce_hook_for(organisations: Callable[[], tuple[Organisation, ...]], base_url: str | None = None) -> TicketHook:
    """A ticket-opened hook that reads the organisations from the given source (e.g. deps.organisations)."""

    def hook(session: Session, ticket: Ticket, contact: Contact) -> None:
        if ticket.status != TicketStatus.OPEN or ticket.announced_at is not None:
            return  # a second request added to an existing ticket: announced already
        org = find_organisation(organisations(), ticket.organisation)
        announce(session, ticket, org, ticket.last_activity_at or utcnow(), base_url=base_url)

    return hook


def announce_hook(session: Session, ticket: Ticket, contact: Contact) -> None:
    """Deps.on_ticket_opened hook: announce a new ticket to its organisation (live organisations from the DB)."""
    announce_hook_for(lambda: live_organisations(session))(session, ticket, contact)


def message_hook_for(base_url: str | None) -> TicketHook:
    """The message hook with inbox links on the given public URL (Settings.public_base_url)."""

    def hook(session: Session, ticket: Ticket, contact: Contact) -> None:
        message_hook(session, ticket, contact, base_url)

    return hook


def message_hook(session: Session, ticket: Ticket, contact: Contact, base_url: str | None = None) -> None:
    """Deps.on_ticket_message hook: tell the claiming helper that the resident wrote (the text only in a
    private Telegram message to a linked helper account; a group only hears that there is a new message)."""
    if ticket.status != TicketStatus.CLAIMED or ticket.test:
        return
    texts = helper_texts()
    org = find_organisation(live_organisations(session), ticket.organisation)
    language = texts.for_organisation(org)
    user = tickets.claimer(session, ticket)
    last = (ticket.transcript or [{}])[-1]
    send_to_helper(
        session,
        user,
        org,
        texts.get(language, "resident_wrote", code=ticket.code, link=inbox_link(ticket.code, base_url)),
        purpose="ticket_message",
        private_text=texts.get(language, "resident_wrote_text", code=ticket.code, text=str(last.get("text", ""))),
        about_contact_id=contact.id,
    )
