"""When a helper will call back: the earliest real moment in the window the resident chose (pure)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from opening_hours import State

from bot.effects import CallbackPromise
from handoff.organisations import Organisation
from handoff.policy import Policy, load_policy

COUNTRY = "BE"  # the public holidays organisations' hours are read with (as in handoff/organisations.py)
HORIZON = timedelta(days=21)
WINDOWS = ("asap", "morning", "afternoon")
Piece = tuple[datetime, datetime]


@lru_cache(maxsize=8)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(COUNTRY, years=year)


def is_holiday(day: date) -> bool:
    return day in _holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a public holiday (what "op een werkdag" means when hours are unknown)."""
    return day.weekday() < 5 and not is_holiday(day)


def window_day(window: str) -> date | None:
    """The day of a 'day:YYYY-MM-DD' or 'day:YYYY-MM-DD:afternoon' callback window."""
    if not window.startswith("day:"):
        return None
    try:
        return date.fromisoformat(window.removeprefix("day:").split(":")[0])
    except ValueError:
        return None


def window_part(window: str) -> str | None:
    """The part of the day of a 'day:YYYY-MM-DD:morning' window ('monday afternoon'), else None."""
    part = window.split(":")[2] if window.startswith("day:") and window.count(":") == 2 else ""
    return part if part in ("morning", "afternoon") else None


def _day_pieces(org: Organisation, start: datetime, timezone: str) -> Iterator[Piece]:
    """The organisation's open stretches from `start`, cut at midnight, public holidays left out.

    Hours that say nothing about public holidays ("Mo-Fr 09:00-17:00") still skip them; hours that name
    them ("PH off", "PH 10:00-12:00") are followed as written.
    """
    hours = org.opening(timezone)
    if hours is None:
        return
    zone = ZoneInfo(timezone)
    names_holidays = "PH" in (org.hours or "")
    end = start + HORIZON
    for begin, finish, state, _comment in hours.intervals(start, end):
        if state != State.OPEN:
            continue
        begin = begin.astimezone(zone)
        finish = (finish or end).astimezone(zone)
        while begin < finish:
            midnight = datetime.combine(begin.date() + timedelta(days=1), time(0, 0), tzinfo=zone)
            piece_end = min(finish, midnight)
            if names_holidays or not is_holiday(begin.date()):
                yield begin, piece_end
            begin = piece_end


def _in_window(piece: Piece, window: str, policy: Policy) -> Piece | None:
    """The part of an open stretch inside the morning or afternoon (the whole stretch for other windows)."""
    begin, finish = piece
    noon = datetime.combine(begin.date(), policy.afternoon_starts, tzinfo=begin.tzinfo)
    if window == "morning":
        finish = min(finish, noon)
    elif window == "afternoon":
        begin = max(begin, noon)
    return (begin, finish) if begin < finish else None


def _first_slot(org: Organisation, window: str, now: datetime, timezone: str, policy: Policy) -> Piece | None:
    """The first open stretch in the window that starts now or later and leaves time for a call."""
    lead = timedelta(minutes=policy.call_lead_minutes)
    for piece in _day_pieces(org, now, timezone):
        part = _in_window(piece, window, policy)
        if part is None:
            continue
        begin, finish = max(part[0], now), part[1]
        if finish - begin >= lead:
            return begin, _day_end(org, begin, finish, window, timezone, policy)
    return None


def _day_end(org: Organisation, begin: datetime, finish: datetime, window: str, timezone: str,
             policy: Policy) -> datetime:
    """The last moment of that day's opening in the window ('today before 17:00', past a lunch break)."""
    last = finish
    for piece in _day_pieces(org, finish, timezone):
        if piece[0].date() != begin.date():
            break
        part = _in_window(piece, window, policy)
        if part is not None:
            last = max(last, part[1])
    return last


def _unknown_hours(window: str, day: date | None, zone: ZoneInfo) -> CallbackPromise:
    """No hours filled in: the window and "on a working day"; a chosen Sunday or holiday moves to the next day."""
    if day is None:
        return CallbackPromise(window=window if window in WINDOWS else "asap")
    part = window_part(window)
    first = day
    while first.weekday() == 6 or is_holiday(first):
        first += timedelta(days=1)
    if first == day:
        return CallbackPromise(window="day", day=day, part=part)
    return CallbackPromise(window="day", day=day, start=datetime.combine(first, time(0, 0), tzinfo=zone),
                           as_chosen=False, part=part)


def promise(org: Organisation | None, window: str, now: datetime, timezone: str,
            policy: Policy | None = None) -> CallbackPromise:
    """The callback promise for a ticket of this organisation, made at `now` for the window chosen.

    window: "asap", "morning", "afternoon", "day:YYYY-MM-DD" or "day:YYYY-MM-DD:morning|afternoon" (an older
    "tomorrow" counts as asap).
    """
    rules = policy or load_policy()
    zone = ZoneInfo(timezone)
    local = now.astimezone(zone)
    day = window_day(window)
    if org is None or org.opening(timezone) is None:
        return _unknown_hours(window, day, zone)
    if day is not None:
        part = window_part(window)
        start = max(local, datetime.combine(day, time(0, 0), tzinfo=zone))
        slot = _first_slot(org, part or "asap", start, timezone, rules)
        if slot is None:
            return CallbackPromise(window="day", day=day, hours_known=True, as_chosen=False, part=part)
        return CallbackPromise(window="day", day=day, start=slot[0], hours_known=True,
                               as_chosen=slot[0].date() == day, part=part)
    kind = window if window in WINDOWS else "asap"
    open_now = _open_at(org, local, timezone)
    slot = _first_slot(org, kind, local, timezone, rules)
    as_chosen = slot is not None
    if slot is None:
        slot = _first_slot(org, "asap", local, timezone, rules)
    if slot is None:
        return CallbackPromise(window=kind, hours_known=True, open_now=open_now, as_chosen=False)
    return CallbackPromise(
        window=kind,
        start=slot[0],
        end=slot[1] if slot[0] <= local else None,
        hours_known=True,
        open_now=open_now,
        as_chosen=as_chosen,
    )


def _open_at(org: Organisation, local: datetime, timezone: str) -> bool:
    """Open at this moment by the same reading as the promise (public holidays closed unless the hours name them)."""
    first = next(_day_pieces(org, local, timezone), None)
    return first is not None and first[0] <= local < first[1]
