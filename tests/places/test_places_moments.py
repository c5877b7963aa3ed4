"""parse_moment: later moments in nl, en and fr."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from places.moments import parse_moment
from tests.places.places_testing import brussels

NOW = brussels(2026, 3, 26, 20, 15)  # a Thursday evening, before the spring DST switch


@pytest.mark.parametrize("text", ["morgen", "tomorrow", "demain", "Morgen?"])
def test_tomorrow_is_the_start_of_tomorrow(text: str) -> None:
    assert parse_moment(text, NOW) == brussels(2026, 3, 27)


@pytest.mark.parametrize("text", ["zaterdag", "saturday", "samedi", "za"])
def test_a_weekday_is_its_next_occurrence(text: str) -> None:
    assert parse_moment(text, NOW) == brussels(2026, 3, 28)


def test_today_weekday_means_now_and_next_means_a_week_later() -> None:
    assert parse_moment("donderdag", NOW) == NOW
    assert parse_moment("volgende donderdag", NOW) == brussels(2026, 4, 2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("maandag 14u", brussels(2026, 3, 30, 14)),  # after the DST switch
        ("zaterdag 10u30", brussels(2026, 3, 28, 10, 30)),
        ("tomorrow at 10:30", brussels(2026, 3, 27, 10, 30)),
        ("demain 10h", brussels(2026, 3, 27, 10)),
        ("samedi apres-midi", brussels(2026, 3, 28, 14)),
        ("morgenvoormiddag", brussels(2026, 3, 27, 9)),
        ("tomorrow morning", brussels(2026, 3, 27, 9)),
        ("om 10u", brussels(2026, 3, 27, 10)),  # already past today, so tomorrow
        ("om 2u", brussels(2026, 3, 27, 14)),
        ("at 3pm", brussels(2026, 3, 27, 15)),
    ],
)
def test_times_and_parts_of_the_day(text: str, expected: object) -> None:
    assert parse_moment(text, NOW) == expected


@pytest.mark.parametrize("text", ["nu", "now", "maintenant", "vandaag", "today", "aujourd'hui"])
def test_now_and_today(text: str) -> None:
    assert parse_moment(text, NOW) == NOW


@pytest.mark.parametrize("text", ["hallo", "9040", "Vlaamsekaai 10", "", "ik woon in de brugse poort"])
def test_no_moment(text: str) -> None:
    assert parse_moment(text, NOW) is None


def test_result_is_in_brussels_time_for_a_utc_now() -> None:
    moment = parse_moment("morgen", NOW.astimezone(ZoneInfo("UTC")))
    assert moment is not None and moment.utcoffset() is not None
    assert (moment.year, moment.month, moment.day, moment.hour) == (2026, 3, 27, 0)
