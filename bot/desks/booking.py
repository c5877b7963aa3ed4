"""The database side of booking: free sessions from the rules, taking a seat safely, status, cancelling."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from bot.content.library import Library
from bot.effects import BookingRequest
from bot.flows import booking as flow
from bot.flows.context import Ctx
from bot.messages import Address, Inbound, Reply, reply_to_dict
from bot.state import State
from places.booking_rules import sessions
from places.hours import TIMEZONE, local
from places.model import Place
from storage import bookings
from storage.enums import SlotStatus
from storage.models import Booking, BookingSlot, Contact
from storage.session import Session


@dataclass(frozen=True)
class Outcome:
    """What a booking attempt gave: "booked", "taken" (no seat left: `alternatives`), "limit" (already one that
    day: `held`), or "gone" (the session is closed, past or outside the window)."""

    status: str
    booking: Booking | None = None
    slot: BookingSlot | None = None
    alternatives: list[BookingSlot] = field(default_factory=list)
    held: tuple[Booking, BookingSlot] | None = None


def _closures(library: Library, place: Place) -> list[tuple[date, date]]:
    return [(c.start, c.end) for c in library.places.closures if c.place_id == place.id]


def window(place: Place, now: datetime) -> tuple[datetime, datetime]:
    """From when to when a resident may book at the place by message (UTC-aware bounds)."""
    rules = place.booking
    ahead = rules.ahead_days if rules else 14
    until = rules.book_until if rules else 120
    last_day = local(now).date() + timedelta(days=ahead)
    return now + timedelta(minutes=until), datetime.combine(last_day + timedelta(days=1), time(0), TIMEZONE)


def sync(session: Session, library: Library, place: Place, now: datetime, days: int | None = None) -> int:
    """Store the rule sessions of the booking window (and `days` ahead if given) that are not stored yet."""
    if place.booking is None:
        return 0
    today = local(now).date()
    last = today + timedelta(days=days if days is not None else place.booking.ahead_days)
    wanted = [(s.start, s.end, s.seats) for s in sessions(place.booking, place.hours, _closures(library, place),
                                                          today, last)]
    return bookings.ensure_slots(session, place.id, wanted, now)


def free_seats(session: Session, library: Library, place: Place, now: datetime) -> list[BookingSlot]:
    """Open sessions with a free seat inside the booking window, never on a closure day."""
    sync(session, library, place, now)
    earliest, latest = window(place, now)
    closed = _closures(library, place)
    return [slot for slot in bookings.slots(session, place.id, earliest, latest, open_only=True)
            if slot.booked < slot.capacity and not any(a <= local(slot.start).date() <= b for a, b in closed)]


def _held(pair: tuple[Booking, BookingSlot]) -> flow.Held:
    return flow.Held(code=pair[0].code, place=pair[0].place_id, start=pair[1].start, status=pair[0].status)


def book(session: Session, library: Library, contact: Contact, slot_id: int, purpose: str, language: str,
         now: datetime, *, test: bool = False) -> Outcome:
    """Take a seat for the resident: one conditional UPDATE decides who gets the last seat."""
    slot = bookings.slot(session, slot_id)
    place = library.places.get(slot.place_id) if slot is not None else None
    if slot is None or place is None or place.booking is None:
        return Outcome("gone")
    earliest, latest = window(place, now)
    if not earliest <= slot.start < latest or slot.status != SlotStatus.OPEN:
        return Outcome("gone", slot=slot, alternatives=_nearest(session, library, place, slot, now))
    assert contact.id is not None
    day = local(slot.start).date()
    for pair in bookings.active_for_contact(session, contact.id, now):
        if pair[0].place_id == place.id and local(pair[1].start).date() == day:
            return Outcome("limit", held=pair)
    if not bookings.take_seat(session, slot_id):
        return Outcome("taken", slot=slot, alternatives=_nearest(session, library, place, slot, now))
    row = bookings.add_booking(session, code=bookings.new_code(session), slot_id=slot_id, place_id=place.id,
                               contact_id=contact.id, number=contact.address, channel=contact.channel,
                               language=language, purpose=purpose or None, test=test, now=now)
    return Outcome("booked", booking=row, slot=slot)


def _nearest(session: Session, library: Library, place: Place, wanted: BookingSlot, now: datetime,
             count: int = flow.PAGE) -> list[BookingSlot]:
    bookings.reload_later(session, wanted)
    free = [slot for slot in free_seats(session, library, place, now) if slot.id != wanted.id]
    free.sort(key=lambda slot: abs((slot.start - wanted.start).total_seconds()))
    return sorted(free[:count], key=lambda slot: slot.start)


def _seat(slot: BookingSlot) -> flow.Seat:
    assert slot.id is not None
    return flow.Seat(slot=slot.id, start=local(slot.start), end=local(slot.end))


def _mine(session: Session, contact: Contact, code: str, now: datetime) -> list[tuple[Booking, BookingSlot]]:
    assert contact.id is not None
    held = bookings.active_for_contact(session, contact.id, now)
    return [pair for pair in held if pair[0].code == code] if code else held


def answer(session: Session, request: BookingRequest, contact: Contact, state: State, library: Library,
           now: datetime, *, test: bool = False) -> list[Reply]:
    """Carry out a booking step and let the pure flow word the answer (and the next options) in the state."""
    ctx = Ctx(inbound=Inbound(address=Address(contact.channel, contact.address), text="", received_at=now),
              state=state, library=library, now=now)
    place = library.places.get(request.place) if request.place else None
    if request.kind == "days" and place is not None:
        days = list(dict.fromkeys(local(slot.start).date() for slot in free_seats(session, library, place, now)))
        end = request.offset + flow.PAGE
        flow.offer_days(ctx, place.id, days[request.offset:end], request.offset, len(days) > end)
    elif request.kind == "times" and place is not None:
        wanted = date.fromisoformat(request.day)
        free = [slot for slot in free_seats(session, library, place, now) if local(slot.start).date() == wanted]
        page = free[request.offset:request.offset + flow.PAGE]
        flow.offer_times(ctx, place.id, request.day, [_seat(s) for s in page], request.offset,
                         len(free) > request.offset + flow.PAGE)
    elif request.kind == "book":
        outcome = book(session, library, contact, request.slot, request.purpose, ctx.lang, now, test=test)
        if outcome.status == "booked" and outcome.booking is not None and outcome.slot is not None:
            flow.booked(ctx, outcome.booking.code, outcome.booking.place_id, outcome.slot.start)
        elif outcome.status == "limit" and outcome.held is not None:
            flow.limit_reached(ctx, _held(outcome.held))
        else:
            near = local(outcome.slot.start).date().isoformat() if outcome.slot else ""
            flow.offer_times(ctx, request.place, near, [_seat(s) for s in outcome.alternatives], 0, False, taken=True)
    elif request.kind == "status":
        flow.show_status(ctx, [_held(pair) for pair in _mine(session, contact, request.code, now)],
                         asked_code=request.code)
    elif request.kind == "cancel_ask":
        flow.offer_cancel(ctx, [_held(pair) for pair in _mine(session, contact, request.code, now)],
                          asked_code=request.code)
    elif request.kind == "cancel":
        _cancel(session, ctx, contact, request.code, now)
    state.last_replies = [reply_to_dict(reply) for reply in ctx.replies]
    return ctx.replies


def _cancel(session: Session, ctx: Ctx, contact: Contact, code: str, now: datetime) -> None:
    mine = _mine(session, contact, code, now)
    if not mine:
        flow.show_status(ctx, [], asked_code=code)
        return
    booking, slot = mine[0]
    place = ctx.library.places.get(booking.place_id)
    limit = place.booking.cancel_until if place is not None and place.booking is not None else 120
    if slot.start - now < timedelta(minutes=limit):
        flow.cancelled(ctx, _held(mine[0]), done=False)
        return
    flow.cancelled(ctx, _held(mine[0]), done=bookings.cancel(session, booking, "resident", now))
