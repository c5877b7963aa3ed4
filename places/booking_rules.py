"""Booking rules of a place (days, windows, session length, seats, window to book) and the sessions they give."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from places.hours import TIMEZONE, HoursError, compile_hours, local, open_intervals

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
CHECK_WEEKS = 10  # the validator looks this far ahead for sessions outside the opening hours


@dataclass(frozen=True)
class BookingRules:
    """When a place takes bookings: weekdays, local time windows cut into sessions of `minutes`, `seats` each.

    ahead_days: how far ahead a resident may book; book_until / cancel_until: minutes before the start after
    which booking or cancelling by message stops; confirmed: staff have confirmed the rules (else shown as
    unconfirmed in the console); remind_at: the local hour of the reminder the day before; remind_before:
    minutes before the start of a second reminder (None: no second reminder)."""

    days: tuple[int, ...]
    windows: tuple[tuple[time, time], ...]
    minutes: int
    seats: int
    ahead_days: int = 14
    book_until: int = 120
    cancel_until: int = 120
    confirmed: bool = False
    remind_at: time = time(18, 0)
    remind_before: int | None = None


@dataclass(frozen=True)
class Session:
    """One bookable session in local time (Europe/Brussels, aware)."""

    start: datetime
    end: datetime
    seats: int


def _positive(raw: Any, name: str, default: int | None, problems: list[str]) -> int | None:
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int) or raw <= 0:
        problems.append(f"booking.{name} must be a positive whole number")
        return default
    return raw


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes)) if hours != "24" else time(23, 59)


def parse_rules(raw: Any, problems: list[str]) -> BookingRules | None:
    """The `booking:` block of a place (None when absent); problems are appended as 'booking.x: what' lines."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        problems.append("booking must be a mapping")
        return None
    days_raw = raw.get("days")
    if not isinstance(days_raw, list) or not days_raw or not all(day in DAYS for day in days_raw):
        problems.append(f"booking.days must be a list of {', '.join(DAYS)}")
        return None
    windows: list[tuple[time, time]] = []
    for window in raw.get("windows") or []:
        found = _WINDOW.match(str(window))
        if found is None:
            problems.append(f"booking.windows: {window!r} is not like 13:00-17:00")
            continue
        begin, end = str(window).split("-")
        start_time, end_time = _clock(begin), _clock(end)
        if end_time <= start_time:
            problems.append(f"booking.windows: {window!r} ends before it starts")
            continue
        windows.append((start_time, end_time))
    if not windows:
        problems.append("booking.windows must list at least one window like 13:00-17:00")
        return None
    minutes = _positive(raw.get("minutes"), "minutes", 30, problems) or 30
    seats = _positive(raw.get("seats"), "seats", 1, problems) or 1
    remind_at = str(raw.get("remind_at") or "18:00")
    if not _CLOCK.match(remind_at):
        problems.append(f"booking.remind_at: {remind_at!r} is not like 18:00")
        remind_at = "18:00"
    confirmed = raw.get("confirmed", False)
    if not isinstance(confirmed, bool):
        problems.append("booking.confirmed must be true or false")
        confirmed = False
    return BookingRules(
        days=tuple(DAYS.index(day) for day in days_raw),
        windows=tuple(windows),
        minutes=minutes,
        seats=seats,
        ahead_days=_positive(raw.get("ahead_days"), "ahead_days", 14, problems) or 14,
        book_until=_positive(raw.get("book_until_minutes"), "book_until_minutes", 120, problems) or 120,
        cancel_until=_positive(raw.get("cancel_until_minutes"), "cancel_until_minutes", 120, problems) or 120,
        confirmed=confirmed,
        remind_at=_clock(remind_at),
        remind_before=_positive(raw.get("remind_before_minutes"), "remind_before_minutes", None, problems),
    )


def _closed(day: date, closures: Iterable[tuple[date, date]]) -> bool:
    return any(start <= day <= end for start, end in closures)


def inside_hours(hours: str | None, start: datetime, end: datetime) -> bool:
    """Whether the place is open for the whole session (holidays off as the expression says; DST aware)."""
    if hours is None:
        return False
    begin, finish = local(start), local(end)
    return any(opens <= begin and finish <= closes
               for opens, closes in open_intervals(hours, begin - timedelta(hours=12), finish + timedelta(hours=1)))


def day_candidates(rules: BookingRules, day: date) -> Iterator[Session]:
    """The sessions the rules cut on one day, before hours and closures are considered."""
    if day.weekday() not in rules.days:
        return
    step = timedelta(minutes=rules.minutes)
    for window_start, window_end in rules.windows:
        start = datetime.combine(day, window_start, tzinfo=TIMEZONE)
        last = datetime.combine(day, window_end, tzinfo=TIMEZONE)
        while start + step <= last:
            yield Session(start, start + step, rules.seats)
            start = start + step


def sessions(rules: BookingRules, hours: str | None, closures: Iterable[tuple[date, date]], first: date,
             last: date) -> list[Session]:
    """Every session the rules give from `first` to `last` (both included) on days the place is open for it:
    never on a closure, never outside the opening hours (public holidays included, as the hours say)."""
    closed = list(closures)
    found: list[Session] = []
    day = first
    while day <= last:
        if not _closed(day, closed):
            found.extend(s for s in day_candidates(rules, day) if inside_hours(hours, s.start, s.end))
        day += timedelta(days=1)
    return found


def rule_problems(rules: BookingRules, hours: str | None, today: date) -> list[str]:
    """Why the rules do not fit the opening hours: a session outside the hours on a day the place opens (checked
    over the next weeks, DST changes included), or rules whose days the place never opens at all."""
    if hours is None:
        return ["booking: the place has no opening hours, so no session can be booked"]
    try:
        compile_hours(hours)
    except HoursError:
        return []  # the hours problem itself is reported elsewhere
    problems: list[str] = []
    opened_days: set[int] = set()
    for offset in range(CHECK_WEEKS * 7):
        day = today + timedelta(days=offset)
        wanted = list(day_candidates(rules, day))
        if not wanted or not any(True for _ in open_intervals(hours, datetime.combine(day, time(0), TIMEZONE),
                                                                datetime.combine(day, time(23, 59), TIMEZONE))):
            continue  # the place is closed that day (a holiday): no session, nothing wrong
        opened_days.add(day.weekday())
        for session in wanted:
            if not inside_hours(hours, session.start, session.end):
                problems.append(f"booking: the session {DAYS[day.weekday()]} {session.start:%H:%M}-"
                                f"{session.end:%H:%M} on {day} falls outside the opening hours {hours!r}")
                break
        if len(problems) >= 3:
            break
    if not opened_days:  # one closed weekday only means no sessions that day (staff may change the hours)
        problems.append(f"booking: the place never opens on {', '.join(DAYS[day] for day in rules.days)}")
    return problems
