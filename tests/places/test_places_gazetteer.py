"""Gazetteer: postcodes, wijken, landmarks and streets from text (typos, fillers), and point -> wijk."""

from __future__ import annotations

import pytest

from bot.messages import GeoPoint
from places.directory import PlaceDirectory
from places.geo import Polygon, distance_m, in_ring


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("9040", "9040 Sint-Amandsberg"),
        ("sint amandsberg", "Sint-Amandsberg"),
        ("sint amandsbrg", "Sint-Amandsberg"),
        ("St-Amandsberg", "Sint-Amandsberg"),
        ("brugse poort", "Brugse Poort - Rooigem"),
        ("brugse port", "Brugse Poort - Rooigem"),
        ("bij de dampoort", "Dampoort"),
        ("dampor", "Dampoort"),
        ("sint-pieters station", "Station Gent-Sint-Pieters"),
        ("de krook", "De Krook"),
        ("korenmarkt", "Korenmarkt"),
        ("korenmrkt", "Korenmarkt"),
        ("ik woon in de brugse poort", "Brugse Poort - Rooigem"),
        ("near the korenmarkt", "Korenmarkt"),
        ("je suis à la gare saint pierre", "Station Gent-Sint-Pieters"),
        ("pres de la krook", "De Krook"),
        ("Vlaamsekaai 10", "Vlaamsekaai 10"),
        ("vlaamse kaai", "Vlaamsekaai"),
        ("Opgeeistenlaan", "Opgeëistenlaan"),
        ("ledeberg", "Ledeberg"),
        ("9050", "9050 Gentbrugge"),
    ],
)
def test_text_resolves_to_a_point(directory: PlaceDirectory, text: str, label: str) -> None:
    resolution = directory.resolve(text)
    assert resolution.kind == "point"
    assert resolution.label == label
    assert resolution.point is not None and directory.locate(resolution.point) is not None


def test_typo_lands_on_the_same_point_as_the_right_spelling(directory: PlaceDirectory) -> None:
    assert directory.resolve("korenmrkt").point == directory.resolve("Korenmarkt").point
    assert directory.resolve("dampor").point == directory.resolve("Dampoort").point


def test_street_with_a_digipunt_number_uses_the_digipunt_point(directory: PlaceDirectory) -> None:
    resolution = directory.resolve("brugsesteenweg 354")
    assert resolution.kind == "point"
    assert resolution.point == GeoPoint(51.068477, 3.685666)


def test_9000_is_coarse_with_wijken_to_choose_from(directory: PlaceDirectory) -> None:
    resolution = directory.resolve("9000")
    assert resolution.kind == "coarse"
    assert resolution.label == "9000 Gent"
    assert "Brugse Poort - Rooigem" in resolution.alternatives
    assert "Sint-Amandsberg" not in resolution.alternatives  # 9040, not 9000
    assert resolution.point is not None
    assert directory.resolve("9000 Gent").kind == "coarse"


def test_gent_alone_is_coarse(directory: PlaceDirectory) -> None:
    resolution = directory.resolve("ik woon in gent")
    assert resolution.kind == "coarse"
    assert "Sint-Amandsberg" in resolution.alternatives


def test_stationsbuurt_is_ambiguous(directory: PlaceDirectory) -> None:
    resolution = directory.resolve("stationsbuurt")
    assert resolution.kind == "ambiguous"
    assert resolution.alternatives == ("Stationsbuurt-Noord", "Stationsbuurt-Zuid")
    assert directory.resolve("stationsbuurt noord").kind == "point"


def test_gentbrugge_is_ambiguous(directory: PlaceDirectory) -> None:
    resolution = directory.resolve("gentbrugge")
    assert resolution.kind == "ambiguous"
    assert {"Gentbrugge", "Oud Gentbrugge"} <= set(resolution.alternatives)
    assert directory.resolve("oud gentbrugge").kind == "point"


def test_street_in_two_postcodes_is_ambiguous_until_the_postcode_is_given(directory: PlaceDirectory) -> None:
    resolution = directory.resolve("brugsesteenweg")
    assert resolution.kind == "ambiguous"
    assert resolution.alternatives == ("Brugsesteenweg (9030 Mariakerke)", "Brugsesteenweg (9000 Gent)")
    narrowed = directory.resolve("brugse steenweg 9030")
    assert narrowed.kind == "point" and narrowed.point == GeoPoint(51.068477, 3.685666)
    assert directory.resolve("brugsesteenweg mariakerke").kind == "point"


@pytest.mark.parametrize("text", ["bla bla", "hallo", "", "   ", "de", "xyzzy 12"])
def test_not_understood_is_unknown(directory: PlaceDirectory, text: str) -> None:
    resolution = directory.resolve(text)
    assert resolution.kind == "unknown"
    assert resolution.point is None and resolution.label is None


@pytest.mark.parametrize(
    ("point", "wijk"),
    [
        (GeoPoint(51.0546, 3.7218), "Binnenstad"),  # Korenmarkt
        (GeoPoint(51.0359, 3.7107), "Stationsbuurt-Noord"),  # Sint-Pieters station
        (GeoPoint(51.0626, 3.6972), "Brugse Poort - Rooigem"),
        (GeoPoint(51.0564, 3.7406), "Dampoort"),
        (GeoPoint(51.0998, 3.7642), "Oostakker"),
    ],
)
def test_shared_location_knows_its_wijk(directory: PlaceDirectory, point: GeoPoint, wijk: str) -> None:
    assert directory.locate(point) == wijk


def test_point_outside_ghent_has_no_wijk(directory: PlaceDirectory) -> None:
    assert directory.locate(GeoPoint(50.8466, 4.3528)) is None  # Brussels


def test_point_in_polygon_respects_holes() -> None:
    square = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0))
    hole = ((4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0))
    assert in_ring(GeoPoint(5, 5), square)
    assert not in_ring(GeoPoint(5, 11), square)
    polygon = Polygon(square, (hole,))
    assert polygon.contains(GeoPoint(lat=2, lon=2))
    assert not polygon.contains(GeoPoint(lat=5, lon=5))


def test_distance_is_in_metres() -> None:
    korenmarkt, station = GeoPoint(51.054627, 3.721769), GeoPoint(51.035896, 3.710675)
    assert 2150 < distance_m(korenmarkt, station) < 2300
