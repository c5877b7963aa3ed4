"""The `digibuur slots add|list` and `digibuur bookings list` commands (times in Europe/Brussels)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.cli.rows import print_rows
from bot.content.library import Library
from bot.desks.booking import sync
from bot.runtime import build_deps
from bot.settings import Settings
from places.booking_rules import inside_hours
from places.hours import TIMEZONE, local
from storage import bookings
from storage.db import reader, transaction
from storage.types import utcnow

LIST_DAYS = 14


def _moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=TIMEZONE)


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _iso(moment: datetime) -> str:
    return local(moment).isoformat()


def occurrences(library: Library, place_id: str, start: datetime, minutes: int,
                weekly_until: date | None) -> tuple[list[datetime], list[str]]:
    """The starts to add, and why any are refused or skipped: a session must lie inside the opening hours and
    not on a closure; weekly repeats on a day the place is closed (holiday, closure) are skipped."""
    place = library.places.get(place_id)
    if place is None:
        return [], [f"unknown place {place_id!r}"]
    closures = [(c.start, c.end) for c in library.places.closures if c.place_id == place_id]
    starts, notes = [], []
    moment, last = start, weekly_until or start.date()
    while moment.date() <= last:
        end = moment + timedelta(minutes=minutes)
        closed = any(a <= moment.date() <= b for a, b in closures)
        if not closed and inside_hours(place.hours, moment, end):
            starts.append(moment)
        elif moment == start:
            return [], [f"{moment:%Y-%m-%d %H:%M}-{end:%H:%M} is outside the opening hours of {place_id} "
                        f"({place.hours}) or on a closure"]
        else:
            notes.append(f"skipped {moment:%Y-%m-%d}: {place_id} is closed then")
        moment = datetime.combine(moment.date() + timedelta(days=7), moment.timetz())
    return starts, notes


def run_slots_add(args: argparse.Namespace) -> int:
    deps = build_deps(Settings.from_env())
    try:
        library = deps.library()
        try:
            start = _moment(args.start)
            until = _day(args.weekly_until)
        except ValueError as exc:
            print(f"digibuur slots add: {exc}", file=sys.stderr)
            return 2
        if args.minutes <= 0 or args.capacity <= 0:
            print("digibuur slots add: --minutes and --capacity must be positive", file=sys.stderr)
            return 2
        starts, notes = occurrences(library, args.place, start, args.minutes, until)
        for note in notes:
            print(note, file=sys.stderr)
        if not starts:
            return 1
        now = utcnow()
        with transaction(deps.db) as session:
            added = [bookings.add_slot(session, args.place, moment, moment + timedelta(minutes=args.minutes),
                                       args.capacity, now) for moment in starts]
            rows = [_slot_row(slot) for slot in added]
    finally:
        deps.db.dispose()
    print(json.dumps(rows, ensure_ascii=False, indent=2) if args.json else
          "\n".join(f"added session {row['id']}: {row['place']} {row['start']} ({row['capacity']} seats)"
                    for row in rows))
    return 0


def _slot_row(slot: Any) -> dict[str, Any]:
    return {"id": slot.id, "place": slot.place_id, "start": _iso(slot.start), "end": _iso(slot.end),
            "capacity": slot.capacity, "booked": slot.booked}


def _range(first: date | None, last: date | None) -> tuple[datetime, datetime]:
    today = local(utcnow()).date()
    begin = first or today
    end = last or begin + timedelta(days=LIST_DAYS)
    return (datetime.combine(begin, time(0), TIMEZONE),
            datetime.combine(end + timedelta(days=1), time(0), TIMEZONE))


def run_slots_list(args: argparse.Namespace) -> int:
    deps = build_deps(Settings.from_env())
    try:
        library = deps.library()
        start, end = _range(_day(args.from_date), _day(args.to_date))
        now = utcnow()
        with transaction(deps.db) as session:  # the rule sessions of the window are stored first (they get ids)
            for place in library.places.places:
                if place.booking is not None and (args.place is None or args.place == place.id):
                    sync(session, library, place, now)
            rows = [_slot_row(slot) for slot in bookings.slots(session, args.place, start, end, open_only=True)]
    finally:
        deps.db.dispose()
    return print_rows(rows, args.json, lambda row: f"{row['id']:>6} {row['place']:<24} {row['start']} - "
                      f"{row['end'][11:16]}  {row['booked']}/{row['capacity']}", "no sessions")


def booking_rows(session: Any, place: str | None, day: date | None, status: str | None) -> list[dict[str, Any]]:
    """Bookings in the command's JSON contract, by session start."""
    start = datetime.combine(day, time(0), TIMEZONE) if day else None
    end = start + timedelta(days=1) if start else None
    return [{"code": b.code, "place": b.place_id, "slot_id": b.slot_id, "start": _iso(s.start), "end": _iso(s.end),
             "status": b.status, "number": b.number, "channel": b.channel, "language": b.language,
             "created_at": b.created_at.isoformat()}
            for b, s in bookings.bookings(session, place_id=place, start=start, end=end, status=status)]


def run_bookings_list(args: argparse.Namespace) -> int:
    deps = build_deps(Settings.from_env())
    try:
        with transaction(reader(deps.db)) as session:
            rows = booking_rows(session, args.place, _day(args.date), args.status)
    finally:
        deps.db.dispose()
    return print_rows(rows, args.json, lambda row: f"{row['code']:<8} {row['place']:<24} {row['start']} "
                      f"{row['status']:<9} {row['channel']:<8} {row['language']}", "no bookings")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `slots add|list` and `bookings list` to the digibuur command."""
    slots = sub.add_parser("slots", help="bookable sessions with a helper")
    actions = slots.add_subparsers(dest="slots_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a session (inside the opening hours, not on a closure)")
    add.add_argument("--place", required=True)
    add.add_argument("--start", required=True, help='"YYYY-MM-DD HH:MM", Europe/Brussels')
    add.add_argument("--minutes", type=int, required=True)
    add.add_argument("--capacity", type=int, required=True)
    add.add_argument("--weekly-until", dest="weekly_until", default=None, help="repeat every week until DATE")
    add.add_argument("--json", action="store_true", help="print JSON")
    add.set_defaults(func=run_slots_add)
    listing = actions.add_parser("list", help="open sessions (the rules' sessions are stored first)")
    listing.add_argument("--place", default=None)
    listing.add_argument("--from", dest="from_date", default=None, help="first day (default today)")
    listing.add_argument("--to", dest="to_date", default=None, help=f"last day (default {LIST_DAYS} days on)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_slots_list)
    booked = sub.add_parser("bookings", help="residents' bookings")
    booked_actions = booked.add_subparsers(dest="bookings_command", required=True, metavar="ACTION")
    blist = booked_actions.add_parser("list", help="bookings by session start")
    blist.add_argument("--place", default=None)
    blist.add_argument("--date", default=None, help="the day of the session, YYYY-MM-DD")
    blist.add_argument("--status", choices=bookings.STATUSES, default=None)
    blist.add_argument("--json", action="store_true", help="print JSON")
    blist.set_defaults(func=run_bookings_list)
