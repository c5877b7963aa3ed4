"""The booking week view in a real Chromium: seats taken after a booking by message, a session cancelled with a
message to the resident, the day list with attended / no-show."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from bot.messages import Address, Inbound
from bot.service import handle
from storage.models import Booking, Outbox
from tests.browser.conftest import NOW, Served, log_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def _book(served: Served, number: str) -> str:
    for text in ("reserveren", "2", "1", "hulp met itsme", "ja"):  # Friday 27/11 13:00
        result = handle(Inbound(address=Address("sms", number), text=text, received_at=NOW), served.deps)
    return result.replies[0].text


def test_week_view_shows_seats_and_cancels_a_session(page: Any, served: Served) -> None:
    assert "Gereserveerd!" in _book(served, "+32470000801")
    with Session(served.deps.db) as session:
        booking = session.exec(select(Booking)).one()
    log_in(page, served, start="/console/places/de-krook")
    page.locator("#bookings-link").click()
    expect(page.locator("#unconfirmed")).to_have_text("Niet bevestigd")
    booked = page.locator(f'[data-session="{booking.slot_id}"]')
    expect(booked.locator(".seats")).to_have_text("1/1")
    expect(booked).to_have_class("session open full")
    expect(page.locator("#week-view th")).to_have_count(7)
    booked.locator("summary").click()
    booked.get_by_label("Bericht aan de bewoners").fill("de helper is ziek")
    booked.get_by_role("button", name="Sessie annuleren").click()
    expect(page.locator("#told")).to_contain_text("1 bewoner(s)")
    expect(page.locator(f'[data-session="{booking.slot_id}"]')).to_contain_text("geannuleerd: de helper is ziek")
    with Session(served.deps.db) as session:
        assert session.exec(select(Booking)).one().status == "cancelled"
        assert "de helper is ziek" in session.exec(select(Outbox)).one().body["text"]


def test_day_list_marks_attended(page: Any, served: Served) -> None:
    _book(served, "+32470000802")
    log_in(page, served, start="/console/places/de-krook/bookings?week=2026-11-23")
    page.get_by_role("link", name="Fr 27/11").click()
    row = page.locator("#day-list tbody tr").first
    expect(row).to_contain_text("hulp met itsme")
    expect(row).to_contain_text("+32470000802")
    row.get_by_role("button", name="Gekomen", exact=True).click()
    expect(page.locator("#day-list tbody tr").first.locator(".status")).to_have_text("gekomen")
