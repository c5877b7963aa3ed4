"""Remind the helper when a "call again at" moment they logged has come."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, or_, select

from bot.runtime import Deps
from handoff.helper_texts import helper_texts, inbox_link, local_time
from handoff.notify import find_organisation, send_to_helper
from storage.db import transaction
from storage.models import Ticket, TicketEvent, User


def run(deps: Deps, now: datetime) -> dict[str, int]:
    texts = helper_texts()
    organisations = deps.organisations()
    counts = {"reminded": 0, "sent": 0}
    with transaction(deps.db) as session:
        due = session.exec(
            select(Ticket)
            .where(
                Ticket.status == "claimed",
                col(Ticket.test).is_(False),
                col(Ticket.call_again_at).is_not(None),
                col(Ticket.call_again_at) <= now,
                or_(col(Ticket.reminded_at).is_(None), col(Ticket.reminded_at) < col(Ticket.call_again_at)),
            )
            .with_for_update(skip_locked=True)
        ).all()
        for ticket in due:
            assert ticket.call_again_at is not None
            org = find_organisation(organisations, ticket.organisation)
            language = texts.for_organisation(org)
            user = session.get(User, ticket.claimed_by) if ticket.claimed_by is not None else None
            text = texts.get(
                language,
                "call_again",
                code=ticket.code,
                time=local_time(ticket.call_again_at, language, deps.settings.timezone),
                link=inbox_link(ticket.code, deps.settings.public_base_url),
            )
            if send_to_helper(
                session, user, org, text, purpose="call_again_reminder", about_contact_id=ticket.contact_id
            ) is not None:
                counts["sent"] += 1
            ticket.reminded_at = now
            session.add(ticket)
            session.add(
                TicketEvent(
                    ticket_id=ticket.id or 0,
                    kind="reminder",
                    actor="digibuur",
                    created_at=now,
                    text=f"call again at {ticket.call_again_at.isoformat()}",
                )
            )
            counts["reminded"] += 1
    return counts
