"""The booking job's scans: sessions still to come that a closure may cancel, and bookings that may need a reminder."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from storage.enums import BookingStatus
from storage.models import Booking, BookingSlot


def open_slots_after(session: Session, now: datetime) -> list[BookingSlot]:
    """Open sessions that start after `now`."""
    return list(session.exec(select(BookingSlot).where(BookingSlot.status == "open",
                                                       col(BookingSlot.start) > now)).all())


def upcoming(session: Session, now: datetime, within: timedelta) -> list[tuple[Booking, BookingSlot]]:
    """Booked bookings whose session starts after `now` and within `within`, with their session
    (row locks, skip locked)."""
    rows = session.exec(
        select(Booking, BookingSlot).join(BookingSlot, col(BookingSlot.id) == col(Booking.slot_id))
        .where(Booking.status == BookingStatus.BOOKED, col(BookingSlot.start) > now,
               col(BookingSlot.start) <= now + within)
        .with_for_update(skip_locked=True)
    ).all()
    return [(booking, slot) for booking, slot in rows]


def save(session: Session, booking: Booking) -> None:
    """Write the booking's changed fields with the transaction."""
    session.add(booking)
