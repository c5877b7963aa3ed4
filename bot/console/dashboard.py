"""Dashboard figures for a period: messages per day and channel, top intents, handoffs, guide funnels.

Residents are counted by Contact.stats_key (a keyed hash), never by phone number. The guide funnel counts, in the
database, the residents per payload["guide_step"] = "<guide>/<step>" of logged guide turns.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.console.dashboard_calls import CallFigures, build_calls
from guides.model import GuideBook
from storage import reports
from storage.session import Session

CHANNELS = ("sms", "whatsapp", "telegram", "voice")
MAX_DAYS = 366
EARLIEST = date(2000, 1, 1)


@dataclass(frozen=True)
class Period:
    """Whole local days, both included."""

    start: date
    end: date
    timezone: ZoneInfo

    @property
    def utc_bounds(self) -> tuple[datetime, datetime]:
        begin = datetime.combine(self.start, time(0), self.timezone)
        finish = datetime.combine(self.end + timedelta(days=1), time(0), self.timezone)
        return begin, finish

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def make_period(start: str | None, end: str | None, today: date, timezone: ZoneInfo) -> Period:
    """The chosen period (default: the last 7 days); bad or reversed dates fall back to the default, and dates
    far in the past or future (9999-12-31) are brought back to 2000 .. a year from today."""
    earliest, latest = EARLIEST, today + timedelta(days=MAX_DAYS)
    try:
        last = min(max(date.fromisoformat(end), earliest), latest) if end else today
        first = min(max(date.fromisoformat(start), earliest), latest) if start else last - timedelta(days=6)
    except ValueError:
        last, first = today, today - timedelta(days=6)
    if first > last:
        first, last = last, first
    if (last - first).days > MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS)
    return Period(first, last, timezone)


@dataclass(frozen=True)
class Handoffs:
    organisation: str
    opened: int
    claimed: int
    median_minutes_to_claim: float | None


@dataclass(frozen=True)
class Funnel:
    guide: str
    title: str
    steps: tuple[tuple[str, int], ...]  # (step id, distinct residents who reached it)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    per_day: tuple[tuple[date, dict[str, int]], ...]
    residents: int
    inbound: int
    top_intents: tuple[tuple[str, int], ...]
    handoffs: tuple[Handoffs, ...]
    funnels: tuple[Funnel, ...]
    calls: CallFigures | None = None


def build_dashboard(session: Session, period: Period, guides: GuideBook) -> Dashboard:
    begin, finish = period.utc_bounds
    per_day: dict[date, Counter[str]] = {day: Counter() for day in period.days()}
    intents: Counter[str] = Counter()
    inbound = 0
    for quarter, channel, intent, count in reports.inbound_counts_between(session, begin, finish):
        day = quarter.astimezone(period.timezone).date()
        if day in per_day:
            per_day[day][channel] += count
        if intent:
            intents[intent] += count
        inbound += count
    return Dashboard(
        period=period,
        per_day=tuple((day, dict(counts)) for day, counts in per_day.items()),
        residents=reports.inbound_residents_between(session, begin, finish),
        inbound=inbound,
        top_intents=tuple(intents.most_common(10)),
        handoffs=_handoffs(session, begin, finish),
        funnels=_funnels(session, begin, finish, guides),
        calls=build_calls(session, period.days(), begin, finish, lambda at: at.astimezone(period.timezone).date()),
    )


def _handoffs(session: Session, begin: datetime, finish: datetime) -> tuple[Handoffs, ...]:
    rows = reports.tickets_opened_between(session, begin, finish)
    opened: Counter[str] = Counter()
    waits: dict[str, list[float]] = defaultdict(list)
    for organisation, created_at, claimed_at in rows:
        opened[organisation] += 1
        if claimed_at is not None:
            waits[organisation].append((claimed_at - created_at).total_seconds() / 60)
    return tuple(
        Handoffs(org, count, len(waits[org]), round(statistics.median(waits[org]), 1) if waits[org] else None)
        for org, count in sorted(opened.items())
    )


def _funnels(session: Session, begin: datetime, finish: datetime, guides: GuideBook) -> tuple[Funnel, ...]:
    reached: dict[tuple[str, str], int] = {}
    for value, residents in reports.guide_steps_reached_between(session, begin, finish):
        guide_id, slash, step_id = value.partition("/")
        if slash:
            reached[(guide_id, step_id)] = residents
    funnels = []
    for guide in sorted(guides.guides.values(), key=lambda g: g.id):
        steps = tuple((step_id, reached.get((guide.id, step_id), 0)) for step_id in guide.steps)
        if any(count for _, count in steps):
            funnels.append(Funnel(guide.id, guide.title.get("nl", guide.id), steps))
    return tuple(funnels)
