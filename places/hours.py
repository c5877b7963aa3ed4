"""Opening hours (OSM syntax, Belgian holidays, Brussels time) and closures -> open now and next change."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from opening_hours import OpeningHours, State

TIMEZONE = ZoneInfo("Europe/Brussels")
COUNTRY = "BE"
HORIZON = timedelta(days=62)
MAX_HOURS_CHARS = 500  # real opening hours are a line; a huge expression costs seconds on every question


class HoursError(ValueError):
    """An opening-hours expression does not parse."""


@lru_cache(maxsize=256)
def compile_hours(expression: str) -> Any:
    """The parsed expression, with Belgian public holidays and the Brussels time zone."""
    if len(expression) > MAX_HOURS_CHARS:
        raise HoursError(f"opening hours may be at most {MAX_HOURS_CHARS} characters long, got {len(expression)}")
    try:
        return OpeningHours(expression, timezone=TIMEZONE, country=COUNTRY)
    except Exception as exc:  # the library raises its own ParserError (a SyntaxError subclass)
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise HoursError(f"{expression!r} does not parse: {first_line}") from exc


def hours_problem(expression: str) -> str | None:
    """Why the expression does not parse, or None when it does."""
    try:
        compile_hours(expression)
    except HoursError as exc:
        return str(exc)
    return None


def local(moment: datetime) -> datetime:
    """The moment in Europe/Brussels; a naive moment is taken to be Brussels time already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TIMEZONE)
    return moment.astimezone(TIMEZONE)


def open_intervals(expression: str, start: datetime, end: datetime) -> Iterator[tuple[datetime, datetime]]:
    """Successive (opens, closes) intervals between start and end, in Brussels time."""
    parsed = compile_hours(expression)
    for begin, finish, state, _comment in parsed.intervals(local(start), local(end)):
        if state == State.OPEN:
            yield local(begin), local(finish if finish is not None else end)


@dataclass(frozen=True)
class OpenState:
    """Open or not at a moment, and the next change, with closures taken into account."""

    open_now: bool
    closes_at: datetime | None
    opens_at: datetime | None
    closed_reason: dict[str, str] | None


def _closure_on(day: date, closures: Iterable[tuple[date, date, dict[str, str]]]) -> dict[str, str] | None:
    for start, end, reason in closures:
        if start <= day <= end:
            return reason
    return None


def open_state(
    expression: str | None,
    at: datetime,
    closures: Iterable[tuple[date, date, dict[str, str]]] = (),
) -> OpenState:
    """Whether a place with these hours is open at `at`, until when, or when it opens next.

    A day inside a closure counts as closed all day; a closure ends by itself after its last day.
    """
    moment = local(at)
    closure_list = list(closures)
    if not closure_list and expression is not None:  # hours change on whole minutes
        return _open_state_at_minute(expression, moment.astimezone(UTC).replace(second=0, microsecond=0))
    return _open_state(expression, moment, closure_list)


@lru_cache(maxsize=1024)
def _open_state_at_minute(expression: str, minute: datetime) -> OpenState:
    """The state at a whole minute (in UTC, which has no ambiguous hours), without closures: asked for every
    place on every place question, and the same for every question within that minute."""
    return _open_state(expression, local(minute), [])


def _open_state(expression: str | None, moment: datetime,
                closure_list: list[tuple[date, date, dict[str, str]]]) -> OpenState:
    reason = _closure_on(moment.date(), closure_list)
    if expression is None:
        return OpenState(False, None, None, reason)
    open_now = False
    closes_at: datetime | None = None
    opens_at: datetime | None = None
    for begin, finish in open_intervals(expression, moment, moment + HORIZON):
        if _closure_on(begin.date(), closure_list) is not None:
            if open_now:
                break
            continue
        if begin <= moment < finish and not open_now and closes_at is None:
            open_now, closes_at = True, finish
            continue
        if open_now and closes_at is not None and begin == closes_at:
            closes_at = finish  # contiguous intervals (for example across midnight)
            continue
        if open_now:
            break
        opens_at = begin
        break
    return OpenState(open_now, closes_at if open_now else None, None if open_now else opens_at, reason)


def is_open(expression: str | None, at: datetime) -> bool:
    """Whether the expression is open at `at` (closures not considered)."""
    if expression is None:
        return False
    return bool(compile_hours(expression).is_open(local(at)))
