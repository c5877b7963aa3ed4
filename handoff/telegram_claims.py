"""A helper pressing "Claim" under a ticket announcement in the organisation's Telegram group, and a helper
sending `/link CODE` to the bot to link their account."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.runtime import Deps
from handoff.helper_texts import helper_texts, inbox_link
from handoff.inbox import claim_ticket
from handoff.organisations import Organisation
from handoff.telegram_links import link_telegram
from storage.db import transaction
from storage.models import Ticket, User

CLAIM_ROLES = ("helper", "staff", "admin")


def helper_for_telegram(session: Session, telegram_user_id: int) -> User | None:
    """The active account linked to this Telegram user, if any."""
    user = session.exec(select(User).where(User.telegram_user_id == telegram_user_id)).first()
    return user if user is not None and user.active and user.role in CLAIM_ROLES else None


def organisation_for_chat(organisations: tuple[Organisation, ...], chat_id: int | None) -> Organisation | None:
    """The organisation whose configured Telegram group this chat is."""
    if chat_id is None:
        return None
    return next((org for org in organisations
                 if org.notify == "telegram" and str(org.notify_target or "").strip() == str(chat_id)), None)


def handle_claim(deps: Deps, ticket_code: str, telegram_user_id: int, display_name: str, now: datetime,
                 *, chat_id: int | None = None) -> str:
    """Claim the ticket for the presser (in its own transaction) and return the answer text for them.

    Accepted only in the Telegram group configured for the ticket's organisation, from a Telegram user linked
    to an account of that organisation. Anything else gets one neutral refusal, changes nothing and does not
    tell whether the code exists. The answer never contains the resident's number: it is in the inbox.
    """
    texts = helper_texts()
    organisations = deps.organisations()
    chat_org = organisation_for_chat(organisations, chat_id)
    language = texts.for_organisation(chat_org)
    refused = texts.get(language, "claim_refused")
    if chat_org is None:
        return refused
    code = ticket_code.strip().upper()
    with transaction(deps.db) as session:
        user = helper_for_telegram(session, telegram_user_id)
        if user is None or user.organisation != chat_org.id:
            return refused
        ticket = session.exec(select(Ticket).where(Ticket.code == code)).first()
        if ticket is None or ticket.organisation != chat_org.id or ticket.test:
            return refused
        if ticket.status == "closed":
            return texts.get(language, "claim_closed", code=code)
        name = user.name or user.email
        link = inbox_link(code, deps.settings.public_base_url)
        if ticket.status == "open" and claim_ticket(
            session,
            ticket,
            user_id=user.id,
            name=name,
            now=now,
            texts=deps.library().texts,
            organisations=organisations,
        ):
            return texts.get(language, "claim_ok", name=name, code=code, link=link)
        session.refresh(ticket)
        if ticket.status == "closed":
            return texts.get(language, "claim_closed", code=code)
        return texts.get(language, "claim_taken", code=code, name=ticket.claimed_by_name or "?")


def handle_link(deps: Deps, code: str, telegram_user_id: int, now: datetime, language: str = "nl") -> str:
    """`/link CODE` in a private chat with the bot: link the helper account whose code this is."""
    texts = helper_texts()
    with transaction(deps.db) as session:
        user = link_telegram(session, code, telegram_user_id, now)
        if user is None:
            return texts.get(language if language in texts.sentences else "nl", "link_refused")
        org = next((o for o in deps.organisations() if o.id == user.organisation), None)
        return texts.get(texts.for_organisation(org), "link_ok", name=user.name or user.email,
                         organisation=org.name if org else (user.organisation or "-"))
