"""Uncertain facts are hedged ('vraag het ter plaatse' / 'ask on site' / 'demandez sur place') in list lines and
in the detail message, in every language; the helper marker marks the same places in nl, en and fr."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from bot.messages import GeoPoint
from places.describe import MAX_LIST_LINE, describe_list, describe_place
from places.directory import PlaceDirectory
from places.loader import PlacesDataError
from places.model import PlaceStatus
from places.phrases import shipped_phrases
from tests.places.places_testing import DATA, brussels

LANGUAGES = ("nl", "en", "fr")
HEDGE = {"nl": "vraag het ter plaatse", "en": "ask on site", "fr": "demandez sur place"}
KORENMARKT = GeoPoint(51.0546, 3.7218)
DAMPOORT = GeoPoint(51.052621, 3.749874)
THURSDAY_1030 = brussels(2026, 11, 26, 10, 30)
POINTS = [
    KORENMARKT,
    DAMPOORT,
    GeoPoint(51.06317, 3.712477),  # Rabot centre
    GeoPoint(51.0359, 3.7107),  # Sint-Pieters station
    GeoPoint(51.0221, 3.71785),  # Nieuw Gent
    GeoPoint(51.0998, 3.7642),  # Oostakker
    GeoPoint(51.0626, 3.6972),  # Brugse Poort
]
MOMENTS = [
    brussels(2026, 11, 23, 10, 30),  # Monday morning
    brussels(2026, 11, 24, 14, 0),  # Tuesday afternoon
    brussels(2026, 11, 25, 10, 0),  # Wednesday
    THURSDAY_1030,
    brussels(2026, 11, 27, 15, 30),  # Friday afternoon
    brussels(2026, 11, 28, 11, 0),  # Saturday
    brussels(2026, 11, 29, 11, 0),  # Sunday: all closed
    brussels(2026, 12, 25, 10, 0),  # Christmas
]


def _marker(line: str, language: str) -> str:
    """Which marker a list line carries: helper, no helper, the hedge, or none."""
    says = shipped_phrases()
    details = line.split(": ", 1)[1]
    if HEDGE[language] in details:
        return "hedge"
    if re.search(rf"\b{re.escape(says.say('without_helper', language))}\b", details):
        return "no helper"
    if re.search(rf"\b{re.escape(says.say('with_helper', language))}\b", details):
        return "helper"
    return "none"


def _statuses(directory: PlaceDirectory, point: GeoPoint, at: datetime) -> list[PlaceStatus]:
    return directory.nearest(point, at, limit=len(directory.places))


@pytest.mark.parametrize("at", MOMENTS, ids=lambda m: f"{m:%a-%d-%m-%H%M}")
def test_the_helper_marker_marks_the_same_places_in_every_language(directory: PlaceDirectory, at: datetime) -> None:
    for point in POINTS:
        statuses = _statuses(directory, point, at)
        lines = {language: describe_list(statuses, language, at) for language in LANGUAGES}
        for index, status in enumerate(statuses):
            markers = {language: _marker(lines[language][index], language) for language in LANGUAGES}
            assert len(set(markers.values())) == 1, (status.place.id, point, markers, [lines[x][index] for x in lines])
            expected = "hedge" if status.place.helper_unsure else (
                ("helper" if status.helper_now else "no helper") if status.open_now else "none"
            )
            assert markers["nl"] == expected, (status.place.id, lines["nl"][index])
            assert all(len(lines[language][index]) <= MAX_LIST_LINE for language in LANGUAGES)


def test_french_lists_mark_every_kringwinkel_with_a_helper(directory: PlaceDirectory) -> None:
    """The long French marker used to be dropped from all but the shortest line (IN-Gent)."""
    lines = describe_list(_statuses(directory, DAMPOORT, THURSDAY_1030), "fr", THURSDAY_1030)
    kringwinkels = [line for line in lines if line.startswith("Kringwinkel")]
    assert len(kringwinkels) == 3 and all("avec aide" in line for line in kringwinkels), kringwinkels


@pytest.mark.parametrize("language", LANGUAGES)
def test_unverified_places_are_hedged_in_lists(directory: PlaceDirectory, language: str) -> None:
    for at in MOMENTS:
        statuses = _statuses(directory, KORENMARKT, at)
        for status, line in zip(statuses, describe_list(statuses, language, at), strict=True):
            if status.place.status == "unverified" or status.place.helper is None:
                assert HEDGE[language] in line, line
            else:
                assert HEDGE[language] not in line, line


@pytest.mark.parametrize(
    ("language", "listing", "helper"),
    [
        ("nl", "Deze info kan veranderd zijn: vraag het ter plaatse.", "Er zou een begeleider zijn."),
        ("en", "This information may have changed: ask on site.", "There should be a helper."),
        ("fr", "Ces infos ont pu changer: demandez sur place.", "Il y aurait un accompagnateur."),
    ],
)
def test_de_krook_detail_is_hedged(directory: PlaceDirectory, language: str, listing: str, helper: str) -> None:
    place = directory.get("de-krook")
    assert place is not None
    text = describe_place(directory.status(place, THURSDAY_1030, KORENMARKT), language, THURSDAY_1030)
    assert listing in text and helper in text
    assert text.count(HEDGE[language]) == 1  # one "ask on site" for the listing and the helper together
    assert directory.status(place, THURSDAY_1030).helper_now  # the data says a helper; the words do not promise it


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "Niet zeker of er een begeleider is: vraag het ter plaatse."),
        ("en", "Not sure if a helper is there: ask on site."),
        ("fr", "On ne sait pas s'il y a un accompagnateur: demandez sur place."),
    ],
)
def test_an_unknown_helper_is_hedged_in_the_detail(directory: PlaceDirectory, language: str, sentence: str) -> None:
    place = directory.get("de-zuidpoort")
    assert place is not None and place.helper is None
    assert sentence in describe_place(directory.status(place, THURSDAY_1030), language, THURSDAY_1030)


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("nl", "Vroeger max 30 min: vraag het ter plaatse."),
        ("en", "Used to be max 30 min: ask on site."),
        ("fr", "Avant, max 30 min: demandez sur place."),
    ],
)
@pytest.mark.parametrize("place_id", ["kringwinkel-vlaamsekaai", "kringwinkel-brugsesteenweg",
                                      "kringwinkel-getouwstraat", "in-gent-kongostraat"])
def test_the_corona_visit_limit_is_hedged(directory: PlaceDirectory, place_id: str, language: str,
                                          sentence: str) -> None:
    place = directory.get(place_id)
    assert place is not None and place.uncertain == ("max_visit_minutes",)
    text = describe_place(directory.status(place, THURSDAY_1030), language, THURSDAY_1030)
    assert sentence in text
    assert "Max 30 min." not in text


def test_a_certain_place_has_no_hedge(directory: PlaceDirectory) -> None:
    place = directory.get("wijkkantoor-rabot")
    assert place is not None
    for language in LANGUAGES:
        assert HEDGE[language] not in describe_place(directory.status(place, THURSDAY_1030), language, THURSDAY_1030)


def test_uncertain_names_only_known_facts(tmp_path: Path) -> None:
    copy = tmp_path / "places"
    shutil.copytree(DATA, copy)
    path = copy / "digipunten.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("uncertain: [max_visit_minutes]", "uncertain: [colour]",
                                                             1), encoding="utf-8")
    with pytest.raises(PlacesDataError, match="kringwinkel-vlaamsekaai: uncertain must be a list of hours, helper"):
        PlaceDirectory.load(copy)


def test_the_hedge_words_live_in_the_texts_not_in_python() -> None:
    root = Path(__file__).resolve().parents[2]
    sources = [*root.joinpath("places").glob("*.py"), *root.joinpath("bot").rglob("*.py")]
    for language, words in HEDGE.items():
        assert shipped_phrases().say("ask_on_site", language) == words
        assert not [path.name for path in sources if words in path.read_text(encoding="utf-8")], words
