"""Booking queries: sessions (slots), seats taken in one conditional UPDATE, bookings by code, place and day."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.models import Booking, BookingSlot, PlaceFeed

STATUSES = ("booked", "cancelled", "attended", "no_show")
ACTIVE = "booked"


def ensure_slots(session: Session, place_id: str, wanted: Iterable[tuple[datetime, datetime, int]],
                 now: datetime) -> int:
    """Insert the rule sessions that are not stored yet (a session staff cancelled stays cancelled: the unique
    (place, start) keeps it from coming back). Returns how many rows were new."""
    rows = [{"place_id": place_id, "start": start, "end": end, "capacity": capacity, "booked": 0,
             "status": "open", "source": "rule", "created_at": now} for start, end, capacity in wanted]
    if not rows:
        return 0
    starts = [row["start"] for row in rows]
    existing = set(session.exec(select(BookingSlot.start).where(
        BookingSlot.place_id == place_id, col(BookingSlot.start).in_(starts))))
    missing = [row for row in rows if row["start"] not in existing]
    if not missing:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(BookingSlot).values(missing).on_conflict_do_nothing(
        index_elements=["place_id", "start"]))
    return len(missing)


def add_slot(session: Session, place_id: str, start: datetime, end: datetime, capacity: int,
             now: datetime) -> BookingSlot:
    """A session added by staff (or reopen a cancelled one at the same moment)."""
    slot = session.exec(select(BookingSlot).where(BookingSlot.place_id == place_id,
                                                  BookingSlot.start == start)).first()
    if slot is None:
        slot = BookingSlot(place_id=place_id, start=start, end=end, capacity=capacity, source="added",
                           created_at=now)
    else:
        slot.end, slot.capacity, slot.status, slot.note = end, max(capacity, slot.booked), "open", None
    session.add(slot)
    session.flush()
    return slot


def slots(session: Session, place_id: str | None, start: datetime, end: datetime, *,
          open_only: bool = False) -> list[BookingSlot]:
    """Sessions starting in [start, end), oldest first."""
    query = select(BookingSlot).where(col(BookingSlot.start) >= start, col(BookingSlot.start) < end)
    if place_id is not None:
        query = query.where(BookingSlot.place_id == place_id)
    if open_only:
        query = query.where(BookingSlot.status == "open")
    return list(session.exec(query.order_by(col(BookingSlot.start), col(BookingSlot.id))))


def take_seat(session: Session, slot_id: int) -> bool:
    """Take one seat in one statement: true only when the session is open and a seat was still free. Two
    residents taking the last seat at once: the database lets exactly one UPDATE change the row."""
    result = session.execute(
        update(BookingSlot)
        .where(col(BookingSlot.id) == slot_id, col(BookingSlot.status) == "open",
               col(BookingSlot.booked) < col(BookingSlot.capacity))
        .values(booked=BookingSlot.booked + 1)
    )
    return int(getattr(result, "rowcount", 0) or 0) == 1


def release_seat(session: Session, slot_id: int) -> None:
    session.execute(
        update(BookingSlot).where(col(BookingSlot.id) == slot_id, col(BookingSlot.booked) > 0)
        .values(booked=BookingSlot.booked - 1)
    )


def new_code(session: Session) -> str:
    """A code like R-4821 that no booking has (five digits once four are crowded)."""
    for attempt in range(40):
        digits = 4 if attempt < 20 else 5
        code = f"R-{secrets.randbelow(9 * 10 ** (digits - 1)) + 10 ** (digits - 1)}"
        if session.exec(select(Booking.id).where(Booking.code == code)).first() is None:
            return code
    raise RuntimeError("no free booking code")


def by_code(session: Session, code: str) -> Booking | None:
    return session.exec(select(Booking).where(Booking.code == code.upper())).first()


def active_for_contact(session: Session, contact_id: int, now: datetime) -> list[tuple[Booking, BookingSlot]]:
    """The resident's bookings still to come, soonest first."""
    rows = session.exec(
        select(Booking, BookingSlot).join(BookingSlot, col(BookingSlot.id) == col(Booking.slot_id))
        .where(Booking.contact_id == contact_id, Booking.status == ACTIVE, col(BookingSlot.end) > now)
        .order_by(col(BookingSlot.start))
    ).all()
    return [(booking, slot) for booking, slot in rows]


def bookings(session: Session, *, place_id: str | None = None, start: datetime | None = None,
             end: datetime | None = None, status: str | None = None) -> list[tuple[Booking, BookingSlot]]:
    """Bookings with their session, by session start."""
    query = select(Booking, BookingSlot).join(BookingSlot, col(BookingSlot.id) == col(Booking.slot_id))
    if place_id is not None:
        query = query.where(Booking.place_id == place_id)
    if start is not None:
        query = query.where(col(BookingSlot.start) >= start)
    if end is not None:
        query = query.where(col(BookingSlot.start) < end)
    if status is not None:
        query = query.where(Booking.status == status)
    rows = session.exec(query.order_by(col(BookingSlot.start), col(Booking.id))).all()
    return [(booking, slot) for booking, slot in rows]


def cancel(session: Session, booking: Booking, by: str, now: datetime) -> bool:
    """Cancel an active booking and give its seat back; false when it was not active any more."""
    result = session.execute(
        update(Booking).where(col(Booking.id) == booking.id, col(Booking.status) == ACTIVE)
        .values(status="cancelled", cancelled_by=by, updated_at=now)
    )
    if int(getattr(result, "rowcount", 0) or 0) != 1:
        return False
    release_seat(session, booking.slot_id)
    session.refresh(booking)
    return True


def cancel_slot(session: Session, slot: BookingSlot, note: str, by: str, now: datetime) -> list[Booking]:
    """Cancel a session and every active booking in it; the bookings are returned (to tell the residents)."""
    slot.status = "cancelled"
    slot.note = note[:500] or None
    session.add(slot)
    cancelled = []
    for booking in session.exec(select(Booking).where(Booking.slot_id == slot.id, Booking.status == ACTIVE)):
        booking.status, booking.cancelled_by, booking.updated_at = "cancelled", by, now
        session.add(booking)
        cancelled.append(booking)
    slot.booked = 0
    session.flush()
    return cancelled


def mark(session: Session, booking: Booking, status: str, now: datetime) -> None:
    """Staff mark a booking attended or no-show (or back to booked)."""
    if status not in ("booked", "attended", "no_show"):
        raise ValueError(f"status must be booked, attended or no_show, got {status!r}")
    booking.status, booking.updated_at = status, now
    session.add(booking)


def feed_token(session: Session, place_id: str, now: datetime, *, rotate: bool = False) -> str:
    """The secret token of a place's calendar feed (a new one replaces the old when rotated)."""
    row = session.get(PlaceFeed, place_id)
    if row is None or rotate:
        if row is None:
            row = PlaceFeed(place_id=place_id, token="", created_at=now)
        row.token, row.created_at = secrets.token_urlsafe(24), now
        session.add(row)
        session.flush()
    return row.token


def feed_place(session: Session, token: str) -> str | None:
    row = session.exec(select(PlaceFeed).where(PlaceFeed.token == token)).first()
    return row.place_id if row is not None else None


def slot_by_id(session: Session, slot_id: int) -> BookingSlot | None:
    return session.get(BookingSlot, slot_id)
