"""Read-only figures for the dashboard, /metrics and /healthz: counts and rows over messages, tickets, outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, text
from sqlmodel import Session, col, func, select

from storage.enums import OutboxStatus
from storage.models import Contact, DeadLetter, JobRun, Message, Outbox, Satisfaction, Subscription, Ticket, Unmatched
from storage.types import as_utc

# ---- dashboard ----


def inbound_counts_between(session: Session, begin: datetime,
                           finish: datetime) -> list[tuple[datetime, str, str | None, int]]:
    """Inbound messages received in [begin, finish), counted in the database per UTC quarter hour, channel and
    intent: (the quarter hour's start in UTC, channel, intent, count). Every time zone's offset is a whole number
    of quarter hours, so each quarter hour lies in one local day; the dashboard's cost no longer grows with the
    number of messages read into Python."""
    if session.get_bind().dialect.name == "sqlite":  # created_at is text: 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC
        minute = func.cast(func.substr(col(Message.created_at), 15, 2), Integer)
        quarter: Any = func.substr(col(Message.created_at), 1, 14).concat(func.printf("%02d", minute // 15 * 15))
    else:
        utc = func.timezone("UTC", col(Message.created_at))
        quarter = (func.date_trunc("hour", utc)
                   + func.floor(func.extract("minute", utc) / 15) * text("interval '15 minutes'"))
    rows = session.exec(
        select(quarter, Message.channel, Message.intent, func.count())
        .where(Message.direction == "in", col(Message.created_at) >= begin, col(Message.created_at) < finish)
        .group_by(quarter, col(Message.channel), col(Message.intent))
    )
    return [(as_utc(start), channel, intent, int(count)) for start, channel, intent, count in rows]


def inbound_residents_between(session: Session, begin: datetime, finish: datetime) -> int:
    """How many different residents (stats keys) sent a message in [begin, finish)."""
    return int(session.exec(
        select(func.count(func.distinct(Contact.stats_key)))
        .join(Message, col(Message.contact_id) == col(Contact.id))
        .where(Message.direction == "in", col(Message.created_at) >= begin, col(Message.created_at) < finish)
    ).one())


def tickets_opened_between(session: Session, begin: datetime,
                           finish: datetime) -> list[tuple[str, datetime, datetime | None]]:
    """Real (not test) tickets opened in [begin, finish): (organisation, opened, claimed or None)."""
    rows = session.exec(
        select(Ticket.organisation, Ticket.created_at, Ticket.claimed_at).where(
            col(Ticket.created_at) >= begin, col(Ticket.created_at) < finish, col(Ticket.test).is_(False)
        )
    )
    return [(organisation, created, claimed) for organisation, created, claimed in rows]


def guide_steps_reached_between(session: Session, begin: datetime, finish: datetime) -> list[tuple[str, int]]:
    """The guide steps residents reached in [begin, finish): (the "<guide>/<step>" the service notes as the
    payload's "guide_step" on an inbound message answered in a guide, how many different residents (stats keys)
    reached it). Counted in the database: the dashboard never decodes the log's payloads in Python."""
    step = col(Message.payload)["guide_step"].as_string()
    rows = session.exec(
        select(step, func.count(func.distinct(Contact.stats_key)))
        .join(Contact, col(Message.contact_id) == col(Contact.id))
        .where(col(Message.created_at) >= begin, col(Message.created_at) < finish, Message.direction == "in",
               Message.flow == "guide", step.like("%/%"))
        .group_by(step)
    )
    return [(value, int(count)) for value, count in rows]


def subscriptions_of_kinds(session: Session, kinds: Sequence[str]) -> list[Subscription]:
    """Every subscription (current or ended) of the given kinds."""
    return list(session.exec(select(Subscription).where(col(Subscription.kind).in_(tuple(kinds)))))


def satisfaction_asked(session: Session) -> list[Satisfaction]:
    """Satisfaction questions that were asked (answered or not)."""
    return list(session.exec(select(Satisfaction).where(col(Satisfaction.status).in_(("asked", "answered")))))


# ---- /metrics ----


def messages_by_channel_direction(session: Session) -> list[tuple[str, str, int]]:
    rows = session.exec(
        select(Message.channel, Message.direction, func.count()).group_by(Message.channel, Message.direction)
    )
    return [(channel, direction, int(count)) for channel, direction, count in rows]


def inbound_by_intent(session: Session) -> list[tuple[str | None, int]]:
    rows = session.exec(
        select(Message.intent, func.count()).where(Message.direction == "in").group_by(Message.intent)
    )
    return [(intent, int(count)) for intent, count in rows]


def inbound_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Message).where(Message.direction == "in")).one())


def unmatched_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Unmatched)).one())


def tickets_by_status_organisation(session: Session) -> list[tuple[str, str, int]]:
    """Real (not test) tickets: (status, organisation, count)."""
    rows = session.exec(
        select(Ticket.status, Ticket.organisation, func.count()).where(col(Ticket.test).is_(False))
        .group_by(Ticket.status, Ticket.organisation)
    )
    return [(status, organisation, int(count)) for status, organisation, count in rows]


def claimed_tickets(session: Session) -> list[tuple[str, datetime, datetime]]:
    """Real tickets that were claimed: (organisation, opened, claimed)."""
    rows = session.exec(select(Ticket.organisation, Ticket.created_at, Ticket.claimed_at)
                        .where(col(Ticket.claimed_at).is_not(None), col(Ticket.test).is_(False))).all()
    return [(organisation, created, claimed) for organisation, created, claimed in rows if claimed is not None]


def outbox_by_status(session: Session) -> list[tuple[str, int]]:
    return [(status, int(count)) for status, count in
            session.exec(select(Outbox.status, func.count()).group_by(Outbox.status))]


def unresolved_dead_letters(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(DeadLetter)
                            .where(DeadLetter.resolved == False)).one())  # noqa: E712


# ---- /healthz ----


def ping(session: Session) -> None:
    """One round trip to the database (raises when it is unreachable)."""
    session.execute(text("SELECT 1"))


def pending_outbox(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Outbox)
                            .where(Outbox.status == OutboxStatus.PENDING)).one())


def last_job_run(session: Session, *, besides: str) -> datetime | None:
    """The newest heartbeat of any job except `besides` (None when no job ran yet)."""
    last: datetime | None = session.exec(select(func.max(JobRun.last_run_at)).where(JobRun.name != besides)).one()
    return last
