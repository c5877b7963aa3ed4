"""A place's bookings as an iCalendar feed for the staff calendar (no phone numbers in it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from icalendar import Calendar, Event

from storage.models import Booking, BookingSlot

PRODID = "-//digibuur//bookings//NL"


def feed(name: str, place_id: str, rows: Sequence[tuple[Booking, BookingSlot]], now: datetime) -> bytes:
    """One event per booking: code, what for, language and channel; times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"digibuur: {name}")
    for booking, slot in rows:
        event = Event()
        event.add("uid", f"{booking.code}@digibuur.{place_id}")
        event.add("dtstamp", now)
        event.add("dtstart", slot.start)
        event.add("dtend", slot.end)
        event.add("summary", f"{booking.code}: {booking.purpose or 'afspraak'}")
        event.add("description", f"taal {booking.language}, via {booking.channel}, status {booking.status}")
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
