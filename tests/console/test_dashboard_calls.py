"""Phone calls on the dashboard: calls per day and how they ended (place found, SMS sent, ticket, hung up, where)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session

from bot.console.dashboard import build_dashboard, make_period
from bot.runtime import Deps
from storage.db import transaction
from storage.voice_calls import record_status
from tests.channels.voice_call import play

BRUSSELS = ZoneInfo("Europe/Brussels")


def test_calls_per_day_and_endings(staff_client: TestClient, live_deps: Deps, clock: object) -> None:
    play(live_deps, "CA01", "+32470000101", ["1", "9040"])  # place found, then hung up
    play(live_deps, "CA02", "+32470000102", ["1", "9040", "1"])  # SMS sent
    play(live_deps, "CA03", "+32470000103", ["2", "1", "1"])  # ticket (and the code by SMS)
    play(live_deps, "CA04", "anonymous", ["1"])  # hung up at the postcode
    play(live_deps, "CA05", "+32470000105", ["", ""])  # silence twice: digibuur said goodbye
    with transaction(live_deps.db) as session:
        record_status(session, "CA01", "completed", 60, live_deps.clock())
        record_status(session, "CA02", "completed", 90, live_deps.clock())
    today = datetime(2026, 11, 26, tzinfo=BRUSSELS).date()
    with Session(live_deps.db) as session:
        figures = build_dashboard(session, make_period(None, None, today, BRUSSELS), live_deps.library().guides)
    calls = figures.calls
    assert calls is not None and calls.total == 5 and calls.minutes == 2.5
    assert dict(calls.per_day)[today] == 5 and dict(calls.per_day)[today - timedelta(days=1)] == 0
    assert {name: n for name, _, n in calls.endings} == {"ticket": 1, "sms_sent": 1, "place_found": 1,
                                                         "goodbye": 1, "hung_up": 1}
    assert calls.hung_up_at == (("postcode", 1),)
    page = staff_client.get("/console")
    assert page.status_code == 200
    assert "Telefoongesprekken" in page.text and "<strong>5</strong> gesprekken" in page.text
    assert re.search(r'data-ending="ticket"><td>[^<]+</td><td class="num">1<', page.text)
    assert "bewoner legde in" in page.text and "postcode" in page.text
    for number in ("+32470000101", "32470000102", "CA04"):
        assert number not in page.text


def test_no_calls_says_so(staff_client: TestClient) -> None:
    page = staff_client.get("/console")
    assert "Geen telefoongesprekken in deze periode." in page.text


def test_console_previews_what_callers_hear(staff_client: TestClient) -> None:
    page = staff_client.get("/console/voice")
    assert page.status_code == 200
    assert "Hallo, dit is digibuur" in page.text and "Tik de vier cijfers van je postcode in." in page.text
    assert "Dichtbij jou:" in page.text and 'id="prompt-menu"' in page.text
    french = staff_client.get("/console/voice?lang=fr")
    assert "Pour une autre langue, tapez 9." in french.text and "Quel guide voulez-vous par sms ?" in french.text
    assert staff_client.get("/console/voice?lang=<script>").status_code == 200  # unknown language: the source
