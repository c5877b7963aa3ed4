"""Remind the helper when a "call again at" moment they logged has come."""

from __future__ import annotations

from datetime import datetime

from bot.runtime import Deps
from handoff.helper_texts import helper_texts, inbox_link, local_time
from handoff.notify import find_organisation, send_to_helper
from storage import tickets
from storage.db import transaction


def run(deps: Deps, now: datetime) -> dict[str, int]:
    texts = helper_texts()
    organisations = deps.organisations()
    counts = {"reminded": 0, "sent": 0}
    with transaction(deps.db) as session:
        for ticket in tickets.due_call_again(session, now):
            assert ticket.call_again_at is not None
            org = find_organisation(organisations, ticket.organisation)
            language = texts.for_organisation(org)
            user = tickets.claimer(session, ticket)
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
            tickets.save(session, ticket)
            tickets.add_event(
                session, ticket.id, "reminder", f"call again at {ticket.call_again_at.isoformat()}", "digibuur", now
            )
            counts["reminded"] += 1
    return counts
