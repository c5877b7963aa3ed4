"""Booking rules as data: parsed from the places, refused outside the hours, no sessions on holidays,
closures or in a DST week at the wrong hour."""

from __future__ import annotations

from datetime import UTC, date

from bot.content.library import Library
from places.booking_rules import BookingRules, parse_rules, rule_problems, sessions

KROOK_HOURS = "Mo-Sa 10:00-12:00,13:00-17:00; PH off"


def _rules(**raw: object) -> BookingRules:
    problems: list[str] = []
    rules = parse_rules({"days": ["Mo", "Tu", "We", "Th", "Fr"], "windows": ["13:00-17:00"], "minutes": 30,
                         "seats": 1, **raw}, problems)
    assert not problems and rules is not None, problems
    return rules


def test_de_krook_is_bookable_on_weekday_afternoons_unconfirmed(library: Library) -> None:
    place = library.places.get("de-krook")
    assert place is not None and place.booking is not None
    rules = place.booking
    assert rules.days == (0, 1, 2, 3, 4) and rules.minutes == 30 and rules.seats == 1
    assert not rules.confirmed  # shown as unconfirmed in the console until staff confirm
    assert rule_problems(rules, place.hours, date(2026, 11, 30)) == []
    assert [p.id for p in library.places.places if p.booking is not None] == ["de-krook"]


def test_a_window_outside_the_opening_hours_is_refused() -> None:
    problems: list[str] = []
    rules = parse_rules({"days": ["Mo"], "windows": ["11:00-14:00"], "minutes": 30, "seats": 1}, problems)
    assert rules is not None
    found = rule_problems(rules, KROOK_HOURS, date(2026, 11, 30))
    assert found and "falls outside the opening hours" in found[0] and "12:00-12:30" in found[0]


def test_rules_on_days_the_place_never_opens_are_refused() -> None:
    rules = parse_rules({"days": ["Su"], "windows": ["13:00-15:00"]}, [])
    assert rules is not None
    assert rule_problems(rules, KROOK_HOURS, date(2026, 11, 30)) == ["booking: the place never opens on Su"]
    # hours that close one of the booking days (a staff edit) leave that day without sessions, not refused
    fewer = "Mo,We-Fr 10:00-12:00,13:00-17:00; PH off"
    assert rule_problems(_rules(), fewer, date(2026, 11, 30)) == []
    assert date(2026, 12, 1) not in {s.start.date() for s in sessions(_rules(), fewer, [], date(2026, 11, 30),
                                                                     date(2026, 12, 6))}


def test_broken_rules_are_reported_per_field() -> None:
    problems: list[str] = []
    assert parse_rules({"days": ["Mon"], "windows": ["13:00-17:00"]}, problems) is None
    assert problems == ["booking.days must be a list of Mo, Tu, We, Th, Fr, Sa, Su"]
    problems = []
    parse_rules({"days": ["Mo"], "windows": ["17:00-13:00", "1pm"], "minutes": 0}, problems)
    assert any("ends before it starts" in p for p in problems) and any("'1pm'" in p for p in problems)


def test_no_sessions_on_public_holidays_or_closures() -> None:
    rules = _rules()
    christmas_week = sessions(rules, KROOK_HOURS, [], date(2026, 12, 21), date(2026, 12, 27))
    days = sorted({s.start.date() for s in christmas_week})
    assert date(2026, 12, 25) not in days  # Christmas (PH off)
    assert days == [date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 24)]
    closed = sessions(rules, KROOK_HOURS, [(date(2026, 12, 22), date(2026, 12, 23))],
                      date(2026, 12, 21), date(2026, 12, 24))
    assert sorted({s.start.date() for s in closed}) == [date(2026, 12, 21), date(2026, 12, 24)]
    assert len([s for s in closed if s.start.date() == date(2026, 12, 21)]) == 8


def test_sessions_keep_the_local_hour_across_the_dst_change() -> None:
    rules = _rules()
    week = sessions(rules, KROOK_HOURS, [], date(2027, 3, 26), date(2027, 3, 30))
    assert date(2027, 3, 29) not in {s.start.date() for s in week}  # Easter Monday, the day after the change
    friday = [s for s in week if s.start.date() == date(2027, 3, 26)]
    monday = [s for s in week if s.start.date() == date(2027, 3, 30)]  # the Tuesday after
    assert len(friday) == len(monday) == 8
    assert friday[0].start.hour == monday[0].start.hour == 13
    assert friday[0].start.astimezone(UTC).hour == 12 and monday[0].start.astimezone(UTC).hour == 11
    autumn = sessions(rules, KROOK_HOURS, [], date(2026, 10, 23), date(2026, 10, 26))
    assert [s.start.astimezone(UTC).hour for s in autumn if s.start.minute == 0][::4] == [11, 12]
    assert rule_problems(rules, KROOK_HOURS, date(2027, 3, 1)) == []
