"""Helpers by e-mail: who hears of new tickets (organisation address, helper accounts; each ticket, a daily
digest, or none), and the mails queued in the outbox. A mail names the ticket code, topic, language, callback
window and the inbox link: never the resident's number or words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from handoff.helper_texts import helper_texts, inbox_link, window_label
from handoff.notify import TicketHook, find_organisation, topic_label
from handoff.organisations import Organisation
from storage import ticket_notifications, tickets
from storage.enums import TicketStatus
from storage.models import Contact, NotifyChoice, Ticket
from storage.queries import enqueue
from storage.session import Session
from storage.types import utcnow

MODES = ("each", "digest", "none")
TICKET_MAIL = "ticket_mail:"  # + the ticket code: the outbox purpose of a mail about one ticket
DIGEST_MAIL = "ticket_digest"


@dataclass(frozen=True)
class MailTarget:
    email: str
    mode: str
    user_id: int | None = None


def organisation_choice(session: Session, organisation: str) -> NotifyChoice | None:
    return ticket_notifications.organisation_choice(session, organisation)


def set_choice(session: Session, organisation: str, *, email: str, mode: str, user_id: int | None = None) -> None:
    """Store an address and how often it hears of new tickets (an empty address for a helper: the login e-mail)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    ticket_notifications.save_choice(session, organisation, user_id, email=email.strip(), mode=mode, now=utcnow())


def targets(session: Session, organisation: str) -> list[MailTarget]:
    """Every address of an organisation with its choice; a helper account gets each ticket unless it chose."""
    found: list[MailTarget] = []
    own = organisation_choice(session, organisation)
    if own is not None and own.email:
        found.append(MailTarget(own.email, own.mode))
    choices = ticket_notifications.helper_choices(session, organisation)
    for user in ticket_notifications.active_helpers(session, organisation):
        choice = choices.get(user.id)
        email = (choice.email if choice is not None and choice.email else user.email).strip()
        mode = choice.mode if choice is not None else "each"
        if email and email.lower() not in {t.email.lower() for t in found}:
            found.append(MailTarget(email, mode, user.id))
    return found


def _line(ticket: Ticket, org: Organisation | None, base_url: str | None) -> tuple[str, str]:
    texts = helper_texts()
    language = texts.for_organisation(org)
    text = texts.get(language, "announce_new", code=ticket.code, lang=ticket.language,
                     topic=topic_label(ticket, language, texts),
                     window=window_label(ticket.callback_window, language, texts),
                     link=inbox_link(ticket.code, base_url))
    return language, text


def _body(subject: str, text: str) -> dict[str, Any]:
    return {"subject": subject, "text": text}


def mail_ticket(session: Session, ticket: Ticket, org: Organisation | None, base_url: str | None) -> int:
    """Queue one mail per 'each ticket' address of the ticket's organisation; how many (test tickets: none)."""
    if ticket.test:
        return 0
    _, text = _line(ticket, org, base_url)
    count = 0
    for target in targets(session, ticket.organisation):
        if target.mode == "each":
            enqueue(session, "email", target.email, _body(f"digibuur {ticket.code}", text),
                    purpose=f"{TICKET_MAIL}{ticket.code}")
            count += 1
    return count


def mail_hook_for(organisations: Callable[[], tuple[Organisation, ...]], base_url: str | None) -> TicketHook:
    """A ticket-opened hook: e-mail the new ticket to whoever chose 'each ticket'."""

    def hook(session: Session, ticket: Ticket, contact: Contact) -> None:
        if ticket.status != TicketStatus.OPEN or ticket_notifications.queued(session, f"{TICKET_MAIL}{ticket.code}"):
            return  # a second request added to a ticket that was mailed already
        mail_ticket(session, ticket, find_organisation(organisations(), ticket.organisation), base_url)

    return hook


def send_digests(session: Session, organisations: tuple[Organisation, ...], since: datetime, day: str,
                 base_url: str | None) -> int:
    """One mail per 'daily digest' address with the tickets opened since `since`, once per day (`day`)."""
    sent = 0
    by_org: dict[str, list[Ticket]] = {}
    for ticket in tickets.opened_since(session, since):
        by_org.setdefault(ticket.organisation, []).append(ticket)
    for org_id, opened in by_org.items():
        org = find_organisation(organisations, org_id)
        for target in targets(session, org_id):
            if target.mode != "digest" or _digest_done(session, target.email, day):
                continue
            text = "\n".join(_line(ticket, org, base_url)[1] for ticket in opened)
            enqueue(session, "email", target.email,
                    {**_body(f"digibuur {day}: " + ", ".join(t.code for t in opened), text), "day": day},
                    purpose=DIGEST_MAIL)
            sent += 1
    return sent


def _digest_done(session: Session, email: str, day: str) -> bool:
    rows = ticket_notifications.bodies(session, DIGEST_MAIL, email)
    return any(isinstance(body, dict) and body.get("day") == day for body in rows)


def untold_tickets(session: Session, organisations: tuple[Organisation, ...], older_than: datetime) -> list[str]:
    """Open tickets waiting since before `older_than` that no helper heard of: no announcement to a group or
    number, and no e-mail sent."""
    untold = []
    for ticket in tickets.waiting_before(session, older_than):
        org = find_organisation(organisations, ticket.organisation)
        if org is not None and org.notify != "inbox" and org.notify_target:
            continue
        if not ticket_notifications.queued(session, f"{TICKET_MAIL}{ticket.code}", sent_only=True):
            untold.append(ticket.code)
    return untold
