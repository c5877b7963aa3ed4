"""Reminders through the outbox (due and not due, once, not after STOP, WhatsApp template outside 24 h), a
closure cancelling the sessions it covers with the residents told, and bookings in forget-me and the purge."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlmodel import select

from bot.content.library import Library
from bot.crons import booking_reminders, purge_retention
from bot.desks.booking import free_seats
from bot.outbound.body import reply_from_body
from bot.render import render
from bot.runtime import Deps
from places.hours import TIMEZONE
from places.model import Closure
from storage.db import transaction
from storage.models import Booking, BookingSlot, Contact, Outbox
from storage.privacy import forget_contact
from tests.bookings.helpers import send, texts
from tests.conftest import Clock

CODE = re.compile(r"R-\d{4,5}")


def _book(deps: Deps, number: str = "+32470000501", channel: str = "sms", day: int = 2) -> str:
    """Book the first session of the `day`-th offered day (Thursday 26/11 10:30: 2 = Friday 27/11 13:00)."""
    send(deps, "reserveren", number, channel)
    send(deps, str(day), number, channel)
    send(deps, "1", number, channel)
    send(deps, "1", number, channel)
    found = CODE.search(texts(send(deps, "ja", number, channel), channel))
    assert found is not None
    return found.group(0)


def _outbox(deps: Deps) -> list[Outbox]:
    with transaction(deps.db) as session:
        return list(session.exec(select(Outbox).order_by(Outbox.id)))  # type: ignore[arg-type]


def _local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=TIMEZONE)


def test_the_day_before_at_the_set_hour_then_two_hours_before_once_each(deps: Deps, clock: Clock) -> None:
    code = _book(deps)
    assert booking_reminders.run(deps, _local(26, 17, 59))["reminded_day"] == 0  # not due before 18:00
    assert _outbox(deps) == []
    counts = booking_reminders.run(deps, _local(26, 18, 0))
    assert counts["reminded_day"] == 1 and counts["reminded_soon"] == 0
    first = _outbox(deps)
    assert len(first) == 1 and first[0].purpose == "booking_reminder" and first[0].address == "+32470000501"
    text = render(reply_from_body(first[0].body), "sms").text
    assert text.startswith("Herinnering: morgen vrijdag 27/11 om 13:00") and code in text and "ANNULEER" in text
    assert booking_reminders.run(deps, _local(26, 19, 0))["reminded_day"] == 0  # never twice
    assert booking_reminders.run(deps, _local(27, 10, 59))["reminded_soon"] == 0
    assert booking_reminders.run(deps, _local(27, 11, 0))["reminded_soon"] == 1
    soon = render(reply_from_body(_outbox(deps)[-1].body), "sms").text
    assert soon.startswith("Straks om 13:00") and code in soon and "ANNULEER" in soon
    assert booking_reminders.run(deps, _local(27, 12, 0)) == {
        "sessions_closed": 0, "residents_told": 0, "reminded_day": 0, "reminded_soon": 0}


def test_no_reminder_after_stop_or_after_cancelling(deps: Deps) -> None:
    _book(deps, "+32470000502")
    _book(deps, "+32470000503")
    send(deps, "STOP", "+32470000502")
    send(deps, "annuleer", "+32470000503")
    send(deps, "ja", "+32470000503")
    booking_reminders.run(deps, _local(26, 18, 0))
    booking_reminders.run(deps, _local(27, 11, 0))
    assert _outbox(deps) == []


def test_whatsapp_outside_24_hours_goes_as_the_template_in_the_residents_language(deps: Deps, clock: Clock) -> None:
    clock.now = _local(20, 10, 30)  # Friday 20/11: a session more than a day ahead
    send(deps, "I want to book a helper", "+32470000504", "whatsapp")
    send(deps, "MORE", "+32470000504", "whatsapp")
    send(deps, "2", "+32470000504", "whatsapp")  # a day after the first four
    send(deps, "1", "+32470000504", "whatsapp")
    send(deps, "skip", "+32470000504", "whatsapp")
    assert "Booked!" in texts(send(deps, "yes", "+32470000504", "whatsapp"), "whatsapp")
    with transaction(deps.db) as session:
        _booking, slot = session.exec(select(Booking, BookingSlot).join(BookingSlot)).one()
        start = slot.start
    day_before = datetime.combine(start.astimezone(TIMEZONE).date() - timedelta(days=1), datetime.min.time(),
                                  TIMEZONE).replace(hour=18)
    booking_reminders.run(deps, day_before)
    row = _outbox(deps)[-1]
    assert row.channel == "whatsapp" and row.body["template"] is True
    assert row.body["text"].startswith("Reminder: tomorrow") and row.body["language"] == "en"


def test_a_closure_added_later_cancels_the_sessions_and_tells_the_residents(deps: Deps, library: Library) -> None:
    code = _book(deps, "+32470000505", day=2)  # Friday 27/11 13:00
    closure = Closure("de-krook", date(2026, 11, 27), date(2026, 11, 27),
                      {lang: "inventaris" if lang == "nl" else "inventory" for lang in library.texts.languages})
    closed = replace(library, places=replace(library.places, closures=(*library.places.closures, closure)))
    deps.library = lambda: closed
    counts = booking_reminders.run(deps, deps.clock())
    assert counts["sessions_closed"] == 8 and counts["residents_told"] == 1
    told = _outbox(deps)
    assert len(told) == 1 and told[0].purpose == "booking_cancelled"
    text = render(reply_from_body(told[0].body), "sms").text
    assert code in text and "gaat niet door: inventaris" in text and "vrijdag 27/11" in text
    with transaction(deps.db) as session:
        assert session.exec(select(Booking)).one().status == "cancelled"
        place = closed.places.get("de-krook")
        assert place is not None
        assert all(s.start.astimezone(TIMEZONE).date() != date(2026, 11, 27)
                   for s in free_seats(session, closed, place, deps.clock()))
    assert booking_reminders.run(deps, deps.clock())["sessions_closed"] == 0  # done once
    assert booking_reminders.run(deps, _local(26, 18, 0))["reminded_day"] == 0  # nothing to remind


def test_forget_me_and_the_retention_purge_reach_bookings(deps: Deps, clock: Clock) -> None:
    _book(deps, "+32470000506")
    _book(deps, "+32470000507")
    with transaction(deps.db) as session:
        contact = session.exec(select(Contact).where(Contact.address == "+32470000506")).one()
        forget_contact(session, contact)
    with transaction(deps.db) as session:
        rows = {b.number: b for b in session.exec(select(Booking))}
        assert "+32470000506" not in rows
        gone = rows[None]
        assert gone.status == "cancelled" and gone.purpose is None and gone.contact_id is None
        assert session.get(BookingSlot, gone.slot_id).booked == 0  # type: ignore[union-attr]
    later = clock.now + timedelta(days=deps.settings.retention_days + 3)
    assert purge_retention.run(deps, later)["bookings_purged"] == 1
    with transaction(deps.db) as session:
        assert all(b.number is None and b.contact_id is None for b in session.exec(select(Booking)))
        assert len(session.exec(select(Booking)).all()) == 2  # the counts stay for the dashboard
