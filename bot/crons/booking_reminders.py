"""Bookings: cancel sessions a closure now covers (telling the residents), then send the reminders that are due."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.content.library import Library
from bot.outbound.bookings import tell
from bot.runtime import Deps
from places.hours import TIMEZONE, local
from storage import booking_reminders, bookings
from storage.db import transaction
from storage.models import BookingSlot


def cancel_closed(deps: Deps, library: Library, now: datetime) -> tuple[int, int]:
    """Sessions to come on a day a closure covers are cancelled; each resident booked there is told why."""
    sessions = bookings_told = 0
    closures = list(library.places.closures)
    if not closures:
        return 0, 0
    with transaction(deps.db) as session:
        for slot in booking_reminders.open_slots_after(session, now):
            day = local(slot.start).date()
            closure = next((c for c in closures if c.place_id == slot.place_id and c.covers(day)), None)
            if closure is None:
                continue
            sessions += 1
            for booking in bookings.cancel_slot(session, slot, closure.reason.get("nl", ""), "closure", now):
                if tell(session, library, booking, "bk_session_cancelled", now, purpose="booking_cancelled",
                        reasons=closure.reason) is not None:
                    bookings_told += 1
    return sessions, bookings_told


def _day_before(slot: BookingSlot, remind_at: time) -> datetime:
    return datetime.combine(local(slot.start).date() - timedelta(days=1), remind_at, TIMEZONE)


def remind(deps: Deps, library: Library, now: datetime) -> dict[str, int]:
    counts = {"reminded_day": 0, "reminded_soon": 0}
    with transaction(deps.db) as session:
        for booking, slot in booking_reminders.upcoming(session, now, timedelta(days=2)):
            place = library.places.get(booking.place_id)
            rules = place.booking if place is not None else None
            if rules is None:
                continue
            moment = _day_before(slot, rules.remind_at)
            if booking.reminded_day_at is None and booking.created_at < moment <= now:
                booking.reminded_day_at = now  # set even when nobody can be told: never twice
                if tell(session, library, booking, "bk_remind_day", now, purpose="booking_reminder") is not None:
                    counts["reminded_day"] += 1
            soon = rules.remind_before
            if (soon is not None and booking.reminded_soon_at is None and slot.start - timedelta(minutes=soon) <= now
                    and booking.created_at < slot.start - timedelta(minutes=soon)):
                booking.reminded_soon_at = now
                if tell(session, library, booking, "bk_remind_soon", now, purpose="booking_reminder") is not None:
                    counts["reminded_soon"] += 1
            booking_reminders.save(session, booking)
    return counts


def run(deps: Deps, now: datetime) -> dict[str, int]:
    library = deps.library()
    sessions, told = cancel_closed(deps, library, now)
    return {"sessions_closed": sessions, "residents_told": told, **remind(deps, library, now)}
