"""The dashboard: messages per day and channel, top intents, handoffs, guide funnels; never phone numbers."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from bot.console.dashboard import build_dashboard, make_period
from bot.runtime import Deps
from storage.db import transaction
from storage.models import Contact, Message, Ticket

BRUSSELS = ZoneInfo("Europe/Brussels")
DAY = datetime(2026, 11, 25, 11, 0, tzinfo=BRUSSELS)


def seed(deps: Deps) -> None:
    with transaction(deps.db) as session:
        contacts = [
            Contact(channel=channel, address=address, stats_key=f"key{n}")
            for n, (channel, address) in enumerate(
                [("sms", "+32470111111"), ("sms", "+32470222222"), ("telegram", "99887766")]
            )
        ]
        session.add_all(contacts)
        session.flush()
        a, b, c = contacts
        rows = [
            (a, "hotspot", "hotspot/choose-phone", DAY),
            (a, None, "hotspot/iphone-settings", DAY + timedelta(minutes=1)),
            (b, "hotspot", "hotspot/choose-phone", DAY + timedelta(days=1)),
            (c, "digipunt.find", None, DAY + timedelta(days=1)),
        ]
        for contact, intent, step, at in rows:
            payload = {"guide_step": step} if step else {}
            session.add(
                Message(
                    contact_id=contact.id,
                    channel=contact.channel,
                    direction="in",
                    text="hallo",
                    intent=intent,
                    flow="guide" if step else "places",  # as the service logs a turn answered in a guide
                    payload=payload,
                    created_at=at,
                )
            )
        session.add(
            Ticket(
                code="T-1001",
                contact_id=a.id,
                organisation="beego",
                created_at=DAY,
                last_activity_at=DAY,
                status="claimed",
                claimed_at=DAY + timedelta(minutes=30),
            )
        )
        session.add(
            Ticket(
                code="T-1002",
                contact_id=b.id,
                organisation="beego",
                created_at=DAY,
                last_activity_at=DAY,
                status="claimed",
                claimed_at=DAY + timedelta(minutes=10),
            )
        )
        session.add(
            Ticket(code="T-1003", contact_id=c.id, organisation="digidak", created_at=DAY, last_activity_at=DAY)
        )


def test_figures_for_a_period(live_deps: Deps) -> None:
    seed(live_deps)
    period = make_period("2026-11-20", "2026-11-26", DAY.date(), BRUSSELS)
    with Session(live_deps.db) as session:
        figures = build_dashboard(session, period, live_deps.library().guides)
    per_day = dict(figures.per_day)
    assert per_day[DAY.date()] == {"sms": 2}
    assert per_day[DAY.date() + timedelta(days=1)] == {"sms": 1, "telegram": 1}
    assert figures.residents == 3 and figures.inbound == 4
    assert figures.top_intents == (("hotspot", 2), ("digipunt.find", 1))
    beego, digidak = figures.handoffs
    assert (beego.organisation, beego.opened, beego.claimed, beego.median_minutes_to_claim) == ("beego", 2, 2, 20.0)
    assert (digidak.opened, digidak.claimed, digidak.median_minutes_to_claim) == (1, 0, None)
    (funnel,) = figures.funnels
    steps = dict(funnel.steps)
    assert funnel.guide == "hotspot"
    assert steps["choose-phone"] == 2 and steps["iphone-settings"] == 1 and steps["samsung-settings"] == 0


def test_period_outside_the_data_is_empty(live_deps: Deps) -> None:
    seed(live_deps)
    period = make_period("2026-10-01", "2026-10-07", DAY.date(), BRUSSELS)
    with Session(live_deps.db) as session:
        figures = build_dashboard(session, period, live_deps.library().guides)
    assert figures.inbound == 0 and figures.handoffs == () and figures.funnels == ()


def test_dashboard_page_shows_figures_and_no_numbers(staff_client: TestClient, live_deps: Deps) -> None:
    seed(live_deps)
    page = staff_client.get("/console?start=2026-11-20&end=2026-11-26")
    assert page.status_code == 200
    assert "<strong>4</strong> berichten van <strong>3</strong> bewoners" in page.text
    assert "iphone-settings" in page.text and "beego" in page.text
    for number in ("+32470111111", "32470222222", "99887766"):
        assert number not in page.text


def test_bad_period_falls_back_to_the_last_week() -> None:
    period = make_period("not a date", None, DAY.date(), BRUSSELS)
    assert (period.start, period.end) == (DAY.date() - timedelta(days=6), DAY.date())
    swapped = make_period("2026-11-26", "2026-11-20", DAY.date(), BRUSSELS)
    assert swapped.start < swapped.end


def test_funnel_follows_a_real_guide_walk(live_deps: Deps, clock: object) -> None:
    from tests.transcript import say

    say(live_deps, "sms", "+32470000007", "hotspot aanzetten")
    say(live_deps, "sms", "+32470000007", "1")
    today = datetime(2026, 11, 26, tzinfo=BRUSSELS).date()
    with Session(live_deps.db) as session:
        figures = build_dashboard(session, make_period(None, None, today, BRUSSELS), live_deps.library().guides)
    (funnel,) = figures.funnels
    reached = {step: count for step, count in funnel.steps if count}
    assert funnel.guide == "hotspot"
    assert reached == {"choose-phone": 1, "iphone-settings": 1}


@pytest.mark.parametrize("query", ["end=9999-12-31", "start=0001-01-01", "start=9999-12-31&end=9999-12-31",
                                   "start=0001-01-01&end=9999-12-31", "end=2026-02-30"])
def test_extreme_dates_give_a_page_not_a_500(staff_client: TestClient, query: str) -> None:
    response = staff_client.get(f"/console?{query}")
    assert response.status_code == 200
    assert "Overzicht" in response.text
