"""Every active place gets a point: its own coordinates, else its street from the street list, else its wijk's
centre, marked approximate and shown as 'in je wijk' / 'ca. 2,9 km' instead of a false km figure."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.messages import GeoPoint
from places.check import check, placement
from places.describe import describe_list, describe_place
from places.directory import PlaceDirectory
from tests.places.places_testing import DATA, brussels
from tests.places.test_places_cli import run

RABOT_CENTRE = GeoPoint(51.06317, 3.712477)
RABOT_STREET = GeoPoint(51.0655, 3.7105)  # a resident's shared location inside the Rabot wijk, not at its centre
DAMPOORT = GeoPoint(51.052621, 3.749874)
THURSDAY_1030 = brussels(2026, 11, 26, 10, 30)  # Wijkkantoor Rabot is open on Thursday morning, with a helper


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "places"
    shutil.copytree(DATA, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_wijkkantoor_rabot_stands_at_its_wijk_centre(directory: PlaceDirectory) -> None:
    place = directory.get("wijkkantoor-rabot")
    assert place is not None and place.point is None  # no coordinates in the data: none are invented
    anchor = directory.anchor(place)
    assert anchor is not None and anchor.source == "wijk" and anchor.approximate
    assert anchor.point == RABOT_CENTRE and anchor.wijk == "Rabot - Blaisantvest"


@pytest.mark.parametrize("point", [RABOT_CENTRE, RABOT_STREET])
def test_a_resident_in_rabot_gets_the_wijkkantoor_first(directory: PlaceDirectory, point: GeoPoint) -> None:
    first = directory.nearest(point, THURSDAY_1030)[0]
    assert first.place.id == "wijkkantoor-rabot"
    assert first.approximate and first.same_wijk and first.open_now and first.helper_now


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("nl", "Wijkkantoor Rabot, Griendeplein: open tot 12u, met begeleider (in je wijk)"),
        ("en", "Wijkkantoor Rabot: open until 12:00, with a helper (in your area)"),
        ("fr", "Wijkkantoor Rabot: ouvert jusqu'à 12h, avec aide (dans votre quartier)"),
    ],
)
def test_in_the_same_wijk_the_distance_is_in_your_area(directory: PlaceDirectory, language: str, line: str) -> None:
    statuses = directory.nearest(RABOT_STREET, THURSDAY_1030)
    assert describe_list(statuses, language, THURSDAY_1030)[0] == line


@pytest.mark.parametrize(("language", "distance"), [("nl", "(ca. 2,9 km)"), ("en", "(about 2.9 km)"),
                                                    ("fr", "(env. 2,9 km)")])
def test_from_another_wijk_the_distance_is_approximate(directory: PlaceDirectory, language: str,
                                                       distance: str) -> None:
    statuses = directory.nearest(DAMPOORT, THURSDAY_1030, limit=20)
    lines = dict(zip([s.place.id for s in statuses], describe_list(statuses, language, THURSDAY_1030), strict=True))
    assert lines["wijkkantoor-rabot"].endswith(distance)
    assert lines["kringwinkel-vlaamsekaai"].endswith("km)") and "ca." not in lines["kringwinkel-vlaamsekaai"]


def test_an_approximate_place_gets_no_map_pin_or_link(directory: PlaceDirectory) -> None:
    place = directory.get("wijkkantoor-rabot")
    assert place is not None
    text = describe_place(directory.status(place, THURSDAY_1030, RABOT_CENTRE), "nl", THURSDAY_1030)
    assert "openstreetmap" not in text and "Griendeplein 16, 9000 Gent" in text


def test_the_wijk_list_includes_rabot(directory: PlaceDirectory) -> None:
    assert [p.id for p in directory.by_neighbourhood()["Rabot - Blaisantvest"]] == ["wijkkantoor-rabot"]


def test_naming_the_wijkkantoor_places_the_resident_in_rabot(directory: PlaceDirectory) -> None:
    resolution = directory.resolve("wijkkantoor rabot")
    assert resolution.kind == "point" and resolution.point == RABOT_CENTRE


def test_a_street_from_the_street_list_comes_before_the_wijk(copy: Path) -> None:
    _edit(copy / "digipunten.yaml", "address: {street: Vlotstraat,", "address: {street: Roggestraat,")
    directory = PlaceDirectory.load(copy)
    place = directory.get("eetcafe-toreke")
    assert place is not None
    anchor = directory.anchor(place)
    assert anchor is not None and anchor.source == "street" and anchor.point == GeoPoint(51.0675, 3.70958)
    assert "approximate: eetcafe-toreke (a point on Roggestraat, from streets.yaml)" in placement(copy)


def test_a_street_in_another_postcode_is_not_used(copy: Path) -> None:
    """Brugsesteenweg's one point lies in 9030; a place on its 9000 part is not put there."""
    _edit(copy / "digipunten.yaml", "address: {street: Vlotstraat, number: \"22\", postcode: null,",
          "address: {street: Brugsesteenweg, number: \"22\", postcode: \"9000\",")
    directory = PlaceDirectory.load(copy)
    place = directory.get("eetcafe-toreke")
    assert place is not None and directory.anchor(place) is None


def test_places_check_reports_approximate_and_unplaced_places() -> None:
    assert check(DATA) == []
    lines = placement(DATA)
    assert "approximate: wijkkantoor-rabot (the centre of wijk Rabot - Blaisantvest)" in lines
    assert "approximate: de-serre (own coordinates, marked approximate)" in lines
    assert any(line.startswith("no point: eetcafe-toreke (no coordinates, street 'Vlotstraat'") for line in lines)
    assert not any("kringwinkel-vlaamsekaai" in line for line in lines)  # pinned exactly
    assert not any("bib-watersportbaan" in line for line in lines)  # historical: never offered


def test_places_check_command_prints_the_placement(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["places", "check", "--dir", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "places data OK" in out and "approximate: wijkkantoor-rabot" in out
