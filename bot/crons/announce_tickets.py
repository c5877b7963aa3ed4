"""Re-announce tickets nobody claimed, and route them to the next organisation when one waits too long."""

from __future__ import annotations

from datetime import datetime

from bot.runtime import Deps
from handoff.notify import announce, find_organisation
from handoff.organisations import Organisation
from handoff.policy import Policy, load_policy
from handoff.routing import route
from handoff.tickets import open_counts
from storage import tickets
from storage.db import transaction
from storage.models import Ticket
from storage.session import Session

ROUTED_KINDS = ("opened", "rerouted", "released")


def _routing_history(session: Session, ticket: Ticket) -> tuple[datetime, set[str]]:
    """When the ticket came to its current organisation, and every organisation it has been routed to."""
    events = tickets.events(session, ticket.id, ROUTED_KINDS)
    tried = {ticket.organisation}
    for event in events:
        if event.kind == "rerouted":
            tried.add(event.text.split(" -> ", 1)[0])
    since = events[-1].created_at if events else ticket.created_at
    return since, tried


def _reroute(
    session: Session,
    ticket: Ticket,
    organisations: tuple[Organisation, ...],
    reason: str,
    tried: set[str],
    now: datetime,
    timezone: str,
    base_url: str,
) -> bool:
    chosen = route(
        organisations,
        language=ticket.language,
        topic=ticket.topic,
        open_counts=open_counts(session),
        now=now,
        timezone=timezone,
        exclude=tuple(sorted(tried)),
    )
    if chosen is None or chosen.organisation.id in tried:
        return False
    old = ticket.organisation
    tickets.reroute(
        session,
        ticket,
        chosen.organisation.id,
        f"{reason}; then {chosen.organisation.id}: {chosen.reason}",
        f"{old} -> {chosen.organisation.id}: {reason}; {chosen.reason}",
        now,
    )
    announce(session, ticket, chosen.organisation, now, kind="announce_rerouted", base_url=base_url)
    return True


def _one(
    session: Session,
    ticket: Ticket,
    organisations: tuple[Organisation, ...],
    policy: Policy,
    now: datetime,
    timezone: str,
    base_url: str,
    counts: dict[str, int],
) -> None:
    org = find_organisation(organisations, ticket.organisation)
    since, tried = _routing_history(session, ticket)
    if org is None or not org.active:
        why = f"{ticket.organisation} is not active" if org else f"{ticket.organisation} is not configured"
        if _reroute(session, ticket, organisations, why, tried, now, timezone, base_url):
            counts["rerouted"] += 1
        return
    if ticket.announced_at is None:
        announce(session, ticket, org, now, base_url=base_url)
        counts["announced"] += 1
        return
    waited = org.open_minutes(since, now, timezone)
    if waited >= policy.reroute_after_minutes:
        why = f"unclaimed at {ticket.organisation} for {int(waited)} helpdesk minutes"
        if _reroute(session, ticket, organisations, why, tried, now, timezone, base_url):
            counts["rerouted"] += 1
            return
    if org.notify == "inbox" or ticket.announce_count >= policy.max_announcements:
        return
    if org.open_minutes(ticket.announced_at, now, timezone) >= policy.re_announce_minutes:
        announce(session, ticket, org, now, kind="announce_again", base_url=base_url)
        counts["reannounced"] += 1


def run(deps: Deps, now: datetime) -> dict[str, int]:
    policy = load_policy()
    organisations = deps.organisations()
    timezone = deps.settings.timezone
    counts = {"announced": 0, "reannounced": 0, "rerouted": 0}
    with transaction(deps.db) as session:
        ids = tickets.open_ids(session)
    for ticket_id in ids:
        with transaction(deps.db) as session:
            ticket = tickets.lock_open(session, ticket_id)
            if ticket is not None:
                _one(session, ticket, organisations, policy, now, timezone, deps.settings.public_base_url, counts)
    return counts
