"""A helper pressing "Claim" under a ticket announcement in the organisation's Telegram group."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.service import Deps
from handoff.helper_texts import helper_texts, inbox_link
from handoff.inbox import claim_ticket, is_staff
from handoff.notify import find_organisation
from storage.db import transaction
from storage.models import Ticket, User


def helper_for_telegram(session: Session, telegram_user_id: int) -> User | None:
    """The active helper account linked to this Telegram user, if any."""
    user = session.exec(select(User).where(User.telegram_user_id == telegram_user_id)).first()
    return user if user is not None and user.active else None


def handle_claim(deps: Deps, ticket_code: str, telegram_user_id: int, display_name: str, now: datetime) -> str:
    """Claim the ticket for the presser (in its own transaction) and return the answer text for them.

    A Telegram user linked to a helper account (User.telegram_user_id) claims as that helper, and only
    tickets of their organisation. An unlinked user claims as "telegram:<name>" (the button only appears in
    the organisation's own group). The answer never contains the resident's number: it is in the inbox.
    """
    code = ticket_code.strip().upper()
    texts = helper_texts()
    organisations = deps.organisations()
    with transaction(deps.db) as session:
        ticket = session.exec(select(Ticket).where(Ticket.code == code)).first()
        org = find_organisation(organisations, ticket.organisation) if ticket else None
        language = texts.for_organisation(org)
        if ticket is None:
            return texts.get(language, "claim_unknown", code=code)
        user = helper_for_telegram(session, telegram_user_id)
        if user is not None and not is_staff(user) and user.organisation != ticket.organisation:
            return texts.get(language, "claim_not_allowed", code=code)
        if ticket.status == "closed":
            return texts.get(language, "claim_closed", code=code)
        name = (
            (user.name or user.email)
            if user is not None
            else f"telegram:{display_name.strip()[:60] or telegram_user_id}"
        )
        link = inbox_link(code, deps.settings.public_base_url)
        if ticket.status == "open" and claim_ticket(
            session,
            ticket,
            user_id=user.id if user else None,
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
