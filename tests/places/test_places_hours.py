"""Opening hours: DST switches, Belgian public holidays, split shifts and closures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from places.directory import PlaceDirectory
from places.hours import hours_problem, open_state
from places.model import Closure
from tests.places.places_testing import brussels

KRINGWINKEL = "Mo,We-Fr 10:00-12:00,13:00-17:00; Tu 13:00-17:00; PH off"
KROOK = "Mo-Sa 10:00-12:00,13:00-17:00; PH off"
UTC = ZoneInfo("UTC")


def test_open_on_the_monday_after_spring_dst_2026_in_any_time_zone() -> None:
    local_state = open_state(KRINGWINKEL, brussels(2026, 3, 30, 10, 30))
    utc_state = open_state(KRINGWINKEL, datetime(2026, 3, 30, 8, 30, tzinfo=UTC))
    assert local_state.open_now and utc_state.open_now
    assert local_state.closes_at == brussels(2026, 3, 30, 12)
    assert local_state.closes_at is not None and local_state.closes_at.utcoffset() == timedelta(hours=2)


def test_next_opening_across_spring_dst_2026_keeps_local_time() -> None:
    state = open_state(KROOK, brussels(2026, 3, 28, 18))  # Saturday evening, clocks go forward on Sunday
    assert not state.open_now
    assert state.opens_at == brussels(2026, 3, 30, 10)
    assert state.opens_at is not None and state.opens_at.utcoffset() == timedelta(hours=2)
    before = open_state(KROOK, brussels(2026, 3, 28, 16))
    assert before.closes_at is not None and before.closes_at.utcoffset() == timedelta(hours=1)


def test_next_opening_across_autumn_dst_2026() -> None:
    saturday = open_state(KROOK, brussels(2026, 10, 24, 16))
    assert saturday.open_now and saturday.closes_at == brussels(2026, 10, 24, 17)
    state = open_state(KROOK, brussels(2026, 10, 24, 18))
    assert state.opens_at == brussels(2026, 10, 26, 10)
    assert state.opens_at is not None and state.opens_at.utcoffset() == timedelta(hours=1)
    assert open_state(KROOK, datetime(2026, 10, 26, 9, 0, tzinfo=UTC)).open_now  # 10:00 in Brussels


def test_spring_dst_2027_falls_on_easter_so_monday_is_skipped() -> None:
    state = open_state(KROOK, brussels(2027, 3, 27, 18))  # Sunday 28 March: DST and Easter; Monday a holiday
    assert state.opens_at == brussels(2027, 3, 30, 10)
    assert state.opens_at is not None and state.opens_at.utcoffset() == timedelta(hours=2)


def test_autumn_dst_2027_then_all_saints_day() -> None:
    state = open_state(KROOK, brussels(2027, 10, 30, 18))  # DST ends Sunday 31 October; 1 November a holiday
    assert state.opens_at == brussels(2027, 11, 2, 10)
    assert state.opens_at is not None and state.opens_at.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    "day",
    [date(2026, 12, 25), date(2026, 7, 21), date(2026, 4, 6), date(2027, 3, 29), date(2026, 11, 11)],
)
def test_closed_on_belgian_public_holidays(day: date) -> None:
    assert not open_state(KROOK, brussels(day.year, day.month, day.day, 14)).open_now


def test_an_ordinary_monday_is_open() -> None:
    # 2027-04-05 is an ordinary Monday: Easter Monday 2027 is 29 March.
    assert open_state(KRINGWINKEL, brussels(2027, 4, 5, 11)).open_now
    assert open_state(KRINGWINKEL, brussels(2026, 11, 2, 11)).open_now  # All Souls' Day is no holiday


def test_christmas_2026_next_opening_is_monday() -> None:
    assert open_state(KRINGWINKEL, brussels(2026, 12, 25, 11)).opens_at == brussels(2026, 12, 28, 10)


def test_split_shift_lunch_gap() -> None:
    before = open_state(KRINGWINKEL, brussels(2026, 6, 1, 11, 59))
    assert before.open_now and before.closes_at == brussels(2026, 6, 1, 12)
    gap = open_state(KRINGWINKEL, brussels(2026, 6, 1, 12, 30))
    assert not gap.open_now and gap.opens_at == brussels(2026, 6, 1, 13)
    after = open_state(KRINGWINKEL, brussels(2026, 6, 1, 13))
    assert after.open_now and after.closes_at == brussels(2026, 6, 1, 17)


def test_tuesday_morning_closed_until_afternoon() -> None:
    state = open_state(KRINGWINKEL, brussels(2026, 6, 2, 10, 30))
    assert not state.open_now and state.opens_at == brussels(2026, 6, 2, 13)


def test_closed_today_and_open_again_tomorrow(directory: PlaceDirectory) -> None:
    place = directory.get("kringwinkel-vlaamsekaai")
    assert place is not None
    reason = {"nl": "vandaag gesloten", "en": "closed today", "fr": "fermé aujourd'hui"}
    closed = directory.with_closures([Closure(place.id, date(2026, 6, 3), date(2026, 6, 3), reason)])
    today = closed.status(place, brussels(2026, 6, 3, 11))
    assert not today.open_now and not today.helper_now
    assert today.closed_reason == reason
    assert today.opens_at == brussels(2026, 6, 4, 10)
    tomorrow = closed.status(place, brussels(2026, 6, 4, 11))
    assert tomorrow.open_now and tomorrow.closed_reason is None


def test_closure_range_ends_by_itself(directory: PlaceDirectory) -> None:
    place = directory.get("de-krook")
    assert place is not None
    reason = {"nl": "verbouwing", "en": "renovation", "fr": "travaux"}
    closed = directory.with_closures([Closure(place.id, date(2026, 6, 1), date(2026, 6, 10), reason)])
    during = closed.status(place, brussels(2026, 6, 5, 11))
    assert not during.open_now and during.opens_at == brussels(2026, 6, 11, 10)
    assert closed.status(place, brussels(2026, 6, 11, 11)).open_now
    assert closed.status(place, brussels(2026, 5, 30, 11)).open_now
    assert directory.status(place, brussels(2026, 6, 5, 11)).open_now  # the original is unchanged


def test_open_place_stops_at_a_closure_starting_tomorrow(directory: PlaceDirectory) -> None:
    place = directory.get("de-krook")
    assert place is not None
    reason = {"nl": "verbouwing", "en": "renovation", "fr": "travaux"}
    closed = directory.with_closures([Closure(place.id, date(2026, 6, 2), date(2026, 6, 2), reason)])
    monday_evening = closed.status(place, brussels(2026, 6, 1, 18))
    assert monday_evening.opens_at == brussels(2026, 6, 3, 10)


def test_helper_hours_are_a_separate_schedule(directory: PlaceDirectory) -> None:
    place = directory.get("kringwinkel-vlaamsekaai")
    assert place is not None
    morning_only = replace(place, helper_hours="Mo-Fr 10:00-12:00; PH off")
    assert directory.status(morning_only, brussels(2026, 6, 1, 11)).helper_now
    afternoon = directory.status(morning_only, brussels(2026, 6, 1, 14))
    assert afternoon.open_now and not afternoon.helper_now


def test_unparsable_hours_are_reported() -> None:
    assert hours_problem(KRINGWINKEL) is None
    problem = hours_problem("maandag 10-12u")
    assert problem is not None and "maandag 10-12u" in problem


def test_unknown_hours_are_never_open() -> None:
    state = open_state(None, brussels(2026, 6, 1, 11))
    assert not state.open_now and state.opens_at is None and state.closes_at is None


def test_a_state_remembered_per_minute_is_the_state_at_that_moment() -> None:
    # the state without closures is remembered per whole minute (in UTC): compare with the path that takes a
    # closure (one far away, so it changes nothing) at moments seconds apart, over a day with a split shift,
    # and over the night of 25 October 2026, when 02:00-03:00 happens twice
    far = [(date(2030, 1, 1), date(2030, 1, 2), {"nl": "later"})]
    start = brussels(2026, 3, 31, 11, 58)
    moments = [start + timedelta(seconds=s) for s in range(0, 300, 7)]
    moments += [datetime(2026, 10, 25, 0, 0, tzinfo=UTC) + timedelta(minutes=m, seconds=30) for m in range(0, 150, 9)]
    for moment in moments:
        for hours in (KROOK, "Mo-Su 02:00-03:00"):
            assert open_state(hours, moment) == open_state(hours, moment, far), (hours, moment)
    assert open_state(KROOK, brussels(2026, 3, 31, 11, 59) + timedelta(seconds=59)).open_now
    assert not open_state(KROOK, brussels(2026, 3, 31, 12) + timedelta(seconds=1)).open_now
