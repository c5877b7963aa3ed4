"""Bookings in the console: rules (unconfirmed), week view with seats taken, day list, attended / no-show, cancel
a session with a message, the iCalendar feed (parsed back, rotated), a closure cancelling booked sessions."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session, select

from bot.outbound.body import reply_from_body
from bot.render import render
from bot.runtime import Deps
from storage.models import Booking, Outbox
from tests.bookings.helpers import send, texts
from tests.console.conftest import csrf_token, login

CODE = re.compile(r"R-\d{4,5}")
WEEK = "/console/places/de-krook/bookings?week=2026-11-23"


def _book(deps: Deps, number: str, purpose: str = "itsme", time_choice: str = "1") -> str:
    send(deps, "reserveren", number)
    send(deps, "2", number)  # Friday 27/11
    send(deps, time_choice, number)
    send(deps, purpose, number)
    found = CODE.search(texts(send(deps, "ja", number)))
    assert found is not None
    return found.group(0)


def test_week_view_day_list_and_marks(staff_client: TestClient, live_deps: Deps) -> None:
    code = _book(live_deps, "+32470000601", "hulp met itsme")
    page = staff_client.get(WEEK)
    assert page.status_code == 200
    assert "Niet bevestigd" in page.text and "Sessie van 30 minuten, 1 plaats(en)" in page.text
    with Session(live_deps.db) as session:
        slot_id = session.exec(select(Booking)).one().slot_id
    friday = re.search(rf'data-session="{slot_id}">\s*<span class="time">13:00</span>\s*<span class="seats">(\d)/(\d)',
                       page.text)
    assert friday is not None and friday.groups() == ("1", "1")
    day = staff_client.get("/console/places/de-krook/day/2026-11-27")
    assert day.status_code == 200
    row = re.search(rf'<tr data-code="{code}">(.*?)</tr>', day.text, re.S)
    assert row is not None
    for shown in ("13:00-13:30", "hulp met itsme", "+32470000601", "<td>nl</td>", "<td>sms</td>", "geboekt"):
        assert shown in row.group(1)
    token = csrf_token(staff_client, "/console/places/de-krook/day/2026-11-27")
    marked = staff_client.post(f"/console/bookings/{code}/mark", data={"csrf_token": token, "status": "no_show"})
    assert marked.status_code == 303
    assert "niet gekomen" in staff_client.get("/console/places/de-krook/day/2026-11-27").text
    with Session(live_deps.db) as session:
        assert session.exec(select(Booking)).one().status == "no_show"
    assert re.search(r"<td>23/11/2026</td><td>1</td><td>0</td><td>1</td><td>0</td>", staff_client.get(WEEK).text)
    dashboard = staff_client.get("/console?start=2026-11-23&end=2026-11-29").text
    assert re.search(r'<td>23/11/2026</td><td class="num">1</td><td class="num">0</td><td class="num">1</td>',
                     dashboard)


def test_cancel_a_session_tells_the_residents(staff_client: TestClient, live_deps: Deps) -> None:
    code = _book(live_deps, "+32470000602")
    with Session(live_deps.db) as session:
        slot_id = session.exec(select(Booking)).one().slot_id
    token = csrf_token(staff_client, WEEK)
    response = staff_client.post(f"/console/places/de-krook/sessions/{slot_id}/cancel",
                                 data={"csrf_token": token, "message": "de helper is ziek", "week": "2026-11-23"})
    assert response.status_code == 303 and "told=1" in response.headers["location"]
    with Session(live_deps.db) as session:
        assert session.exec(select(Booking)).one().status == "cancelled"
        told = session.exec(select(Outbox)).one()
    text = render(reply_from_body(told.body), "sms").text
    assert code in text and "gaat niet door: de helper is ziek" in text
    assert "geannuleerd: de helper is ziek" in staff_client.get(WEEK).text


def test_ical_feed_parses_back_and_rotates(staff_client: TestClient, live_deps: Deps) -> None:
    code = _book(live_deps, "+32470000603", "mail")
    page = staff_client.get(WEEK).text
    found = re.search(r'<code id="feed-url">(/calendar/[^<]+\.ics)</code>', page)
    assert found is not None
    url = found.group(1)
    staff_client.cookies.clear()  # a calendar app has no console login: the secret URL is the key
    feed = staff_client.get(url)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "+32470000603" not in feed.text  # no phone numbers in a calendar
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e.get("summary")) for e in events] == [f"{code}: mail"]
    start = events[0].decoded("dtstart")
    assert start.isoformat() == "2026-11-27T12:00:00+00:00"  # 13:00 in Brussels
    assert staff_client.get(WEEK).status_code == 303  # the console itself asks for a login again
    login(staff_client, "staff@gent.be")
    token = csrf_token(staff_client, WEEK)
    assert staff_client.post("/console/places/de-krook/feed/rotate", data={"csrf_token": token}).status_code == 303
    assert staff_client.get(url).status_code == 404  # the old link stops working
    new = re.search(r'<code id="feed-url">(/calendar/[^<]+\.ics)</code>', staff_client.get(WEEK).text)
    assert new is not None and new.group(1) != url and staff_client.get(new.group(1)).status_code == 200
    assert staff_client.get("/calendar/guess.ics").status_code == 404


def test_a_closure_added_in_the_console_cancels_booked_sessions(staff_client: TestClient, live_deps: Deps) -> None:
    code = _book(live_deps, "+32470000604")
    token = csrf_token(staff_client, "/console/places/de-krook")
    response = staff_client.post("/console/places/de-krook/closures",
                                 data={"csrf_token": token, "start": "2026-11-27", "end": "2026-11-27",
                                       "reason_nl": "verbouwing", "reason_en": "works", "reason_fr": "travaux"})
    assert response.status_code == 303
    with Session(live_deps.db) as session:
        assert session.exec(select(Booking)).one().status == "cancelled"
        told = session.exec(select(Outbox)).one()
    assert code in told.body["text"] and "verbouwing" in told.body["text"]


def _rules_form(token: str, **changes: str) -> dict[str, str]:
    form = {"csrf_token": token, "booking_form": "1", "booking_on": "1", "booking_days": "Mo, Tu, We, Th, Fr",
            "booking_windows": "13:00-17:00", "booking_minutes": "30", "booking_seats": "1",
            "booking_ahead_days": "14", "booking_book_until_minutes": "120", "booking_cancel_until_minutes": "120",
            "booking_remind_at": "18:00", "booking_remind_before_minutes": "120"}
    return {**form, **changes}


def test_staff_edit_and_confirm_the_booking_rules_on_the_place_page(staff_client: TestClient,
                                                                     live_deps: Deps) -> None:
    page = staff_client.get("/console/places/de-krook")
    assert 'id="booking-rules"' in page.text and 'name="booking_seats" value="1"' in page.text
    token = csrf_token(staff_client, "/console/places/de-krook")
    saved = staff_client.post("/console/places/de-krook", data=_rules_form(
        token, booking_seats="2", booking_windows="14:00-16:00", booking_confirmed="1"), follow_redirects=False)
    assert saved.status_code == 303, saved.text
    rules = live_deps.library().places.get("de-krook").booking  # type: ignore[union-attr]
    assert rules is not None and rules.seats == 2 and rules.confirmed
    assert [(w[0].hour, w[1].hour) for w in rules.windows] == [(14, 16)]


def test_booking_rules_outside_the_opening_hours_are_refused(staff_client: TestClient, live_deps: Deps) -> None:
    token = csrf_token(staff_client, "/console/places/de-krook")
    refused = staff_client.post("/console/places/de-krook", data=_rules_form(token, booking_windows="20:00-22:00"))
    assert refused.status_code == 422
    seats = staff_client.post("/console/places/de-krook", data=_rules_form(token, booking_seats="twee"))
    assert seats.status_code == 422 and "geen geheel getal" in seats.text
    rules = live_deps.library().places.get("de-krook").booking  # type: ignore[union-attr]
    assert rules is not None and [(w[0].hour, w[1].hour) for w in rules.windows] == [(13, 17)]


def test_switching_booking_off_removes_the_rules(staff_client: TestClient, live_deps: Deps) -> None:
    token = csrf_token(staff_client, "/console/places/de-krook")
    off = {"csrf_token": token, "booking_form": "1"}
    assert staff_client.post("/console/places/de-krook", data=off, follow_redirects=False).status_code == 303
    assert live_deps.library().places.get("de-krook").booking is None  # type: ignore[union-attr]
