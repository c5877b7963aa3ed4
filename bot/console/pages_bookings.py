"""Console pages for bookings: a place's rules and week of sessions, cancel a session, the day list, attended /
no-show, the iCalendar feed (secret, rotatable URL), bookings per week."""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.auth import audit
from bot.console.booking_ical import feed
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from bot.desks.booking import sync
from bot.messages import clean_text
from bot.outbound.bookings import tell
from places.booking_rules import DAYS
from places.hours import TIMEZONE, local
from places.model import Place
from storage import bookings
from storage.db import read_session, transaction
from storage.models import Booking, BookingSlot
from storage.session import Session

WEEKS_SHOWN = 12


def _place(console: Console, place_id: str) -> Place:
    place = console.deps.library().places.get(place_id)
    if place is None:
        raise ConsoleForbidden("Dit Digipunt bestaat niet.", 404)
    return place


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _bounds(first: date, days: int) -> tuple[datetime, datetime]:
    start = datetime.combine(first, time(0), TIMEZONE)
    return start, datetime.combine(first + timedelta(days=days), time(0), TIMEZONE)


def week_view(console: Console, place: Place, monday: date) -> dict[str, Any]:
    """The week's sessions per day (times, seats taken, cancelled), stored first from the rules."""
    now = console.now()
    library = console.deps.library()
    start, end = _bounds(monday, 7)
    with transaction(console.deps.db) as session:
        sync(session, library, place, now, days=max(0, (monday - local(now).date()).days + 7))
        slots = bookings.slots(session, place.id, start, end)
        token = bookings.feed_token(session, place.id, now)
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        days.append({"date": day, "name": DAYS[day.weekday()],
                     "slots": [s for s in slots if local(s.start).date() == day]})
    return {"days": days, "token": token}


def weekly_counts(session: Session, first: date, weeks: int) -> list[dict[str, Any]]:
    """Bookings made, cancellations and no-shows per week of the session (newest week first)."""
    start, end = _bounds(first, weeks * 7)
    rows: dict[date, dict[str, Any]] = {}
    for booking, slot in bookings.bookings(session, start=start, end=end):
        if booking.test:
            continue
        week = _monday(local(slot.start).date())
        counts = rows.setdefault(week, {"week": week, "booked": 0, "cancelled": 0, "no_show": 0, "attended": 0})
        counts["booked"] += 1
        if booking.status in ("cancelled", "no_show", "attended"):
            counts[booking.status] += 1
    return [rows[week] for week in sorted(rows, reverse=True)]


def cancel_session(console: Console, viewer: Viewer, slot_id: int, message: str) -> tuple[str, int]:
    """Staff cancel a session; every resident booked there is told, with the staff's message."""
    now = console.now()
    library = console.deps.library()
    with transaction(console.deps.db) as session:
        slot = bookings.slot(session, slot_id)
        if slot is None:
            raise ConsoleForbidden("Deze sessie bestaat niet.", 404)
        told = 0
        for booking in bookings.cancel_slot(session, slot, message, "staff", now):
            reasons = {language: message for language in library.texts.languages}
            if tell(session, library, booking, "bk_session_cancelled", now, purpose="booking_cancelled",
                    reasons=reasons) is not None:
                told += 1
        audit(session, viewer.email, "session.cancel", f"place:{slot.place_id} session:{slot_id}", now)
        return slot.place_id, told


def add_booking_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    @api.get("/console/places/{place_id}/bookings")
    def place_bookings(request: Request, place_id: str, week: str = "", told: int = -1, *,
                       viewer: StaffViewer) -> Response:
        place = _place(console, place_id)
        try:
            chosen = date.fromisoformat(week) if week else local(console.now()).date()
        except ValueError:
            chosen = local(console.now()).date()
        monday = _monday(chosen)
        view = week_view(console, place, monday)
        with read_session(console.deps.db) as session:
            counts = weekly_counts(session, monday - timedelta(days=7 * (WEEKS_SHOWN - 1)), WEEKS_SHOWN + 2)
        return console.render(request, "place_bookings.html", viewer=viewer, place=place, rules=place.booking,
                              days=view["days"], monday=monday, previous=monday - timedelta(days=7),
                              next=monday + timedelta(days=7), feed_url=f"/calendar/{view['token']}.ics",
                              counts=counts, told=told, day_names=DAYS, local=local)

    @api.post("/console/places/{place_id}/sessions/{slot_id}/cancel")
    async def cancel(request: Request, place_id: str, slot_id: int, viewer: StaffViewer) -> Response:
        form = await request.form()
        message = clean_text(str(form.get("message") or "")).strip()[:300]
        if not message:
            raise ConsoleForbidden("Schrijf kort waarom de sessie niet doorgaat: de bewoners krijgen dat te lezen.",
                                   422)
        _place_id, told = await run_in_threadpool(cancel_session, console, viewer, slot_id, message)
        return redirect(f"/console/places/{place_id}/bookings?week={form.get('week') or ''}&told={told}")

    @api.get("/console/places/{place_id}/day/{day}")
    def day_list(request: Request, place_id: str, day: str, *, viewer: StaffViewer) -> Response:
        place = _place(console, place_id)
        try:
            chosen = date.fromisoformat(day)
        except ValueError as exc:
            raise ConsoleForbidden("Schrijf de datum zoals 2026-12-07.", 404) from exc
        start, end = _bounds(chosen, 1)
        with read_session(console.deps.db) as session:
            rows = [(b, s) for b, s in bookings.bookings(session, place_id=place.id, start=start, end=end)
                    if b.status != "cancelled"]
        return console.render(request, "day_list.html", viewer=viewer, place=place, day=chosen, rows=rows,
                              local=local)

    @api.post("/console/bookings/{code}/mark")
    async def mark(request: Request, code: str, viewer: StaffViewer) -> Response:
        form = await request.form()
        status = str(form.get("status") or "")

        def save() -> tuple[str, date]:
            now = console.now()
            with transaction(console.deps.db) as session:
                booking = bookings.by_code(session, code)
                if booking is None:
                    raise ConsoleForbidden("Deze afspraak bestaat niet.", 404)
                try:
                    bookings.mark(session, booking, status, now)
                except ValueError as exc:
                    raise ConsoleForbidden(str(exc), 422) from exc
                slot = bookings.slot(session, booking.slot_id)
                audit(session, viewer.email, f"booking.{status}", f"booking:{code}", now)
                return booking.place_id, local(slot.start).date() if slot else local(now).date()

        place_id, day = await run_in_threadpool(save)
        return redirect(f"/console/places/{place_id}/day/{day.isoformat()}")

    @api.post("/console/places/{place_id}/feed/rotate")
    def rotate(place_id: str, viewer: StaffViewer) -> Response:
        _place(console, place_id)
        now = console.now()
        with transaction(console.deps.db) as session:
            bookings.feed_token(session, place_id, now, rotate=True)
            audit(session, viewer.email, "feed.rotate", f"place:{place_id}", now)
        return redirect(f"/console/places/{place_id}/bookings")

    @api.get("/calendar/{token}.ics")
    def calendar(token: str) -> Response:
        """The place's sessions and bookings for a staff calendar: the secret token is the only key."""
        with read_session(console.deps.db) as session:
            place_id = bookings.feed_place(session, token)
            if place_id is None:
                return Response("not found", status_code=404, media_type="text/plain")
            now = console.now()
            start, end = _bounds(local(now).date() - timedelta(days=7), 7 + 60)
            rows: list[tuple[Booking, BookingSlot]] = bookings.bookings(session, place_id=place_id, start=start,
                                                                        end=end)
        place = console.deps.library().places.get(place_id)
        body = feed(place.name if place else place_id, place_id, [(b, s) for b, s in rows if b.status != "cancelled"],
                    now)
        return Response(body, media_type="text/calendar; charset=utf-8",
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
