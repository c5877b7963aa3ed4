"""Nearest: open places first, then nearest; places without coordinates only by name; paging, helper only."""

from __future__ import annotations

from datetime import date

from bot.messages import GeoPoint
from places.directory import PlaceDirectory
from places.model import Closure
from tests.places.places_testing import brussels

DAMPOORT = GeoPoint(51.052621, 3.749874)


def test_open_places_come_before_nearer_closed_ones(directory: PlaceDirectory) -> None:
    # Monday 11:30: Scheldeoord (nearest, opens 13:30) is closed; the open ones come first, nearest first.
    statuses = directory.nearest(DAMPOORT, brussels(2026, 6, 1, 11, 30), limit=10)
    open_part = [s for s in statuses if s.open_now]
    assert statuses[: len(open_part)] == open_part
    distances = [s.distance_m or 0 for s in open_part]
    assert distances == sorted(distances)
    scheldeoord = next(s for s in statuses if s.place.id == "buurthuis-scheldeoord")
    assert not scheldeoord.open_now
    assert scheldeoord.distance_m is not None and scheldeoord.distance_m < min(distances)
    assert statuses[0].place.id == "kringwinkel-vlaamsekaai"
    # it opens later the same day, so it comes right after the open ones
    assert statuses[len(open_part)].place.id == "buurthuis-scheldeoord"


def test_when_all_are_closed_the_nearest_comes_first(directory: PlaceDirectory) -> None:
    statuses = directory.nearest(DAMPOORT, brussels(2026, 12, 25, 11), limit=10)  # Christmas
    assert not any(s.open_now for s in statuses)
    distances = [s.distance_m or 0 for s in statuses if s.place.hours is not None]
    assert distances == sorted(distances)


def test_places_without_any_point_are_not_ranked_by_distance(directory: PlaceDirectory) -> None:
    """Toreke has no coordinates, its street is not in the street list and no wijk is known: found by name only.
    Wijkkantoor Rabot has no coordinates either, but its wijk: it is ranked from the wijk's centre."""
    statuses = directory.nearest(DAMPOORT, brussels(2026, 6, 1, 11), limit=50)
    ids = {s.place.id for s in statuses}
    assert "eetcafe-toreke" not in ids and "wijkkantoor-rabot" in ids
    assert all(s.distance_m is not None for s in statuses)
    rabot = directory.find_by_name("wijkkantoor rabot")
    assert rabot is not None and rabot.point is None
    assert directory.find_by_name("Eetcafe Toreke") is not None


def test_without_a_point_every_offered_place_is_listed(directory: PlaceDirectory) -> None:
    statuses = directory.nearest(None, brussels(2026, 6, 1, 11), limit=50)
    ids = {s.place.id for s in statuses}
    assert "wijkkantoor-rabot" in ids
    assert all(s.distance_m is None for s in statuses)
    assert statuses[0].open_now


def test_historical_places_are_never_offered(directory: PlaceDirectory) -> None:
    statuses = directory.nearest(GeoPoint(51.0626, 3.6972), brussels(2026, 6, 1, 16), limit=50)
    assert "bib-brugse-poort" not in {s.place.id for s in statuses}
    found = directory.find_by_name("bib brugse poort")
    assert found is not None and found.status == "historical"


def test_pages_do_not_overlap(directory: PlaceDirectory) -> None:
    at = brussels(2026, 6, 1, 11)
    first = directory.nearest(DAMPOORT, at, limit=3)
    second = directory.nearest(DAMPOORT, at, limit=3, offset=3)
    assert len(first) == 3 and second
    assert not {s.place.id for s in first} & {s.place.id for s in second}
    assert directory.nearest(DAMPOORT, at, limit=6)[3:] == second


def test_helper_only_drops_places_without_a_helper(directory: PlaceDirectory) -> None:
    at = brussels(2026, 6, 1, 11)
    near_maact = GeoPoint(51.0719, 3.7141)
    everything = {s.place.id for s in directory.nearest(near_maact, at, limit=50)}
    helped = directory.nearest(near_maact, at, limit=50, helper_only=True)
    assert "maact" in everything
    assert "maact" not in {s.place.id for s in helped}
    assert all(s.place.helper for s in helped)
    assert helped[0].helper_now


def test_a_closure_today_moves_a_place_down(directory: PlaceDirectory) -> None:
    at = brussels(2026, 6, 1, 11)
    reason = {"nl": "vandaag gesloten", "en": "closed today", "fr": "fermé aujourd'hui"}
    closed = directory.with_closures(
        [Closure("kringwinkel-vlaamsekaai", date(2026, 6, 1), date(2026, 6, 1), reason)]
    )
    first = closed.nearest(DAMPOORT, at, limit=1)[0]
    assert first.place.id != "kringwinkel-vlaamsekaai" and first.open_now
    moved = next(s for s in closed.nearest(DAMPOORT, at, limit=50) if s.place.id == "kringwinkel-vlaamsekaai")
    assert moved.closed_reason == reason


def test_places_per_neighbourhood(directory: PlaceDirectory) -> None:
    grouped = directory.by_neighbourhood()
    assert [p.id for p in grouped["Macharius - Heirnis"]] == ["kringwinkel-vlaamsekaai"]
    assert "wijkkantoor-rabot" in [p.id for p in grouped["Rabot - Blaisantvest"]]
    assert all(place.offered for places in grouped.values() for place in places)


def test_every_place_is_found_by_its_name(directory: PlaceDirectory) -> None:
    for place in directory.places:
        assert directory.find_by_name(place.name) is place
    assert directory.find_by_name("kringwinkel") is None  # three of them: ambiguous
    assert directory.find_by_name("zuidpoort") is directory.get("de-zuidpoort")
    assert directory.find_by_name("scheldoord") is directory.get("buurthuis-scheldeoord")
