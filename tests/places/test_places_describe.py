"""Texts for residents: compact list lines (two SMS segments for three), detail message, hours in words."""

from __future__ import annotations

from datetime import date

import pytest

from bot.messages import GeoPoint
from places.describe import describe_list, describe_place, gsm7, hours_in_words, map_link
from places.directory import PlaceDirectory
from places.model import Closure
from tests.places.places_testing import brussels

DAMPOORT = GeoPoint(51.052621, 3.749874)
KRINGWINKEL = "Mo,We-Fr 10:00-12:00,13:00-17:00; Tu 13:00-17:00; PH off"


def test_list_lines_in_dutch(directory: PlaceDirectory) -> None:
    now = brussels(2026, 6, 1, 11, 30)
    lines = describe_list(directory.nearest(DAMPOORT, now), "nl", now)
    assert lines[0] == "Kringwinkel, Vlaamsekaai 10: open tot 12u, met begeleider (1,1 km)"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "Kringwinkel, Vlaamsekaai 10: open vanaf 13u (1,1 km)"),
        ("en", "Kringwinkel, Vlaamsekaai 10: open from 13:00 (1.1 km)"),
        ("fr", "Kringwinkel, Vlaamsekaai 10: ouvert dès 13h (1,1 km)"),
    ],
)
def test_opens_later_today(directory: PlaceDirectory, language: str, expected: str) -> None:
    place = directory.get("kringwinkel-vlaamsekaai")
    assert place is not None
    now = brussels(2026, 6, 2, 10)  # Tuesday morning: closed until 13:00
    assert describe_list([directory.status(place, now, DAMPOORT)], language, now) == [expected]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "De Krook: gesloten, opent di 10u, vraag het ter plaatse (1,5 km)"),
        ("en", "De Krook, Miriam Makebaplein: closed, opens Tue 10:00, ask on site (1.5 km)"),
        ("fr", "De Krook: fermé, ouvre mar. 10h, demandez sur place (1,5 km)"),
    ],
)
def test_closed_opens_on_a_later_weekday(directory: PlaceDirectory, language: str, expected: str) -> None:
    place = directory.get("de-krook")
    assert place is not None
    now = brussels(2026, 5, 23, 18)  # Saturday evening; Pentecost Monday 25 May is a holiday
    assert describe_list([directory.status(place, now, DAMPOORT)], language, now) == [expected]


def test_tomorrow_and_closure_reason(directory: PlaceDirectory) -> None:
    place = directory.get("kringwinkel-vlaamsekaai")
    assert place is not None
    reason = {"nl": "verbouwing", "en": "renovation", "fr": "travaux"}
    closed = directory.with_closures([Closure(place.id, date(2026, 6, 1), date(2026, 6, 1), reason)])
    now = brussels(2026, 6, 1, 11)
    [line] = describe_list([closed.status(place, now)], "nl", now)
    assert line == "Kringwinkel, Vlaamsekaai 10: gesloten (verbouwing), opent morgen 13u"


def test_three_lines_fit_in_two_sms_segments(directory: PlaceDirectory) -> None:
    for language in ("nl", "en", "fr"):
        for now in (brussels(2026, 6, 1, 11), brussels(2026, 6, 1, 12, 30), brussels(2026, 12, 25, 11)):
            statuses = directory.nearest(GeoPoint(51.0221, 3.71785), now, limit=3)
            lines = describe_list(statuses, language, now)
            numbered = "\n".join(f"{n} {line}" for n, line in enumerate(lines, start=1))
            assert len(lines) == 3
            assert all(len(line) <= 76 for line in lines)
            assert len(numbered) <= 306 - 60  # room left for a header and a footer
            assert gsm7(numbered) == numbered


def test_detail_message(directory: PlaceDirectory) -> None:
    place = directory.get("kringwinkel-vlaamsekaai")
    assert place is not None
    now = brussels(2026, 6, 1, 11)
    text = describe_place(directory.status(place, now), "nl", now)
    assert text.startswith("Digipunt Kringwinkel Vlaamsekaai, Vlaamsekaai 10, 9000 Gent.")
    assert "Open tot 12u." in text
    assert "Uren: ma, wo-vr 10:00-12:00 en 13:00-17:00; di 13:00-17:00; niet op feestdagen." in text
    assert "Een begeleider helpt je." in text
    assert "Gratis, zonder afspraak." in text and "Vroeger max 30 min: vraag het ter plaatse." in text
    assert "https://www.openstreetmap.org/?mlat=51.04405&mlon=3.74156" in text
    assert gsm7(text) == text


def test_detail_in_english_and_french_for_a_place_without_hours(directory: PlaceDirectory) -> None:
    place = directory.get("gentinfopunten")
    assert place is not None
    now = brussels(2026, 6, 1, 11)
    english = describe_place(directory.status(place, now), "en", now)
    assert "The hours are not known." in english and "There is no helper." in english
    assert "Phone 09 210 10 10." in english and "openstreetmap" not in english
    french = describe_place(directory.status(place, now), "fr", now)
    assert "Les horaires sont inconnus." in french and "Il n'y a pas d'accompagnateur." in french


def test_detail_says_a_place_is_no_longer_listed(directory: PlaceDirectory) -> None:
    place = directory.get("bib-watersportbaan")
    assert place is not None
    now = brussels(2026, 6, 2, 16)
    assert "staat niet meer op de lijst" in describe_place(directory.status(place, now), "nl", now)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nl", "ma, wo-vr 10:00-12:00 en 13:00-17:00; di 13:00-17:00; niet op feestdagen"),
        ("en", "Mon, Wed-Fri 10:00-12:00 and 13:00-17:00; Tue 13:00-17:00; closed on public holidays"),
        ("fr", "lun., mer.-ven. 10:00-12:00 et 13:00-17:00; mar. 13:00-17:00; fermé les jours fériés"),
    ],
)
def test_hours_in_words(language: str, expected: str) -> None:
    assert hours_in_words(KRINGWINKEL, language) == expected


def test_hours_in_words_simple_and_unusual() -> None:
    assert hours_in_words("Mo,We-Fr 10:00-12:00,13:00-17:00", "nl") == "ma, wo-vr 10:00-12:00 en 13:00-17:00"
    assert hours_in_words("Mo-Fr 09:00-12:00; Sa off", "nl") == "ma-vr 09:00-12:00; za gesloten"
    assert hours_in_words("sunrise-sunset", "nl") == "sunrise-sunset"


def test_map_link(directory: PlaceDirectory) -> None:
    place = directory.get("de-krook")
    rabot = directory.get("wijkkantoor-rabot")
    assert place is not None and rabot is not None
    assert map_link(place) == "https://www.openstreetmap.org/?mlat=51.04860&mlon=3.72869"
    assert map_link(rabot) is None


def test_gsm7_folds_only_what_it_must() -> None:
    assert gsm7("fermé à côté, geïnstalleerd") == "fermé à coté, geinstalleerd"
