"""check(): the shipped data has no problems; a broken copy reports each problem with its file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from places.check import check
from places.directory import PlaceDirectory
from places.loader import PlacesDataError
from tests.places.places_testing import DATA


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "places"
    shutil.copytree(DATA, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_data_has_no_problems() -> None:
    assert check(DATA) == []


def test_bad_hours_are_reported(copy: Path) -> None:
    _edit(copy / "digipunten.yaml", 'hours: "Mo 13:30-17:00; PH off"', 'hours: "maandag 13u30-17u"')
    problems = check(copy)
    assert len(problems) == 1
    assert problems[0].startswith(
        "digipunten.yaml: buurthuis-scheldeoord: hours 'maandag 13u30-17u' does not parse"
    )


def test_duplicate_id_is_reported(copy: Path) -> None:
    _edit(copy / "digipunten.yaml", "id: kringwinkel-brugsesteenweg", "id: kringwinkel-vlaamsekaai")
    assert "digipunten.yaml: id 'kringwinkel-vlaamsekaai' is used 2 times" in check(copy)


def test_coordinates_outside_ghent_are_reported(copy: Path) -> None:
    _edit(copy / "digipunten.yaml", "lat: 51.048604\n    lon: 3.728687", "lat: 50.8466\n    lon: 4.3528")
    assert "digipunten.yaml: de-krook: coordinates 50.8466, 4.3528 are outside every wijk of the city" in check(copy)


def test_unreachable_alias_is_reported(copy: Path) -> None:
    _edit(copy / "digipunten.yaml", "aliases: [toreke,", "aliases: [amal, toreke,")  # IN-Gent's alias too
    problems = check(copy)
    assert "digipunten.yaml: eetcafe-toreke: alias 'amal' does not lead to this place" in problems
    assert "digipunten.yaml: in-gent-kongostraat: alias 'amal' does not lead to this place" in problems


def test_missing_spec_version_and_bad_closure(copy: Path) -> None:
    (copy / "closures.yaml").write_text(
        "spec_version: 2\nclosures:\n"
        "  - {place_id: nowhere, start: 2026-06-01, end: 2026-06-02,"
        " reason: {nl: dicht, en: closed, fr: ferme}}\n"
        "  - {place_id: de-krook, start: 2026-06-05, end: 2026-06-01, reason: {nl: dicht}}\n",
        encoding="utf-8",
    )
    problems = check(copy)
    assert "closures.yaml: spec_version must be 1, got 2" in problems
    assert "closures.yaml: closures[1]: end 2026-06-01 is before start 2026-06-05" in problems
    assert "closures.yaml: closure 2026-06-01..2026-06-02 names unknown place 'nowhere'" in problems


def test_gazetteer_problems(copy: Path) -> None:
    _edit(copy / "gazetteer.yaml", '"wijk:Stationsbuurt-Zuid"', '"wijk:Stationsbuurt-West"')
    _edit(copy / "streets.yaml", "lat: 51.0215, lon: 3.66938", "lat: 52.0215, lon: 3.66938")
    problems = check(copy)
    assert (
        "gazetteer.yaml: ambiguous Stationsbuurt: 'wijk:Stationsbuurt-West' names nothing known" in problems
    )
    assert "streets.yaml: street Pastorijdreef: point is outside every wijk of the city" in problems


def test_phrase_problems(copy: Path) -> None:
    _edit(copy / "phrases.yaml", 'fr: "fermé",', 'fr: "fermé ô",')
    _edit(copy / "phrases.yaml", 'en: "open until {time}"', 'en: "open until {hour}"')
    problems = check(copy)
    assert "phrases.yaml: closed (fr) uses characters outside GSM-7" in problems
    assert "phrases.yaml: open_until: the languages use different placeholders" in problems


def test_load_refuses_broken_data(copy: Path) -> None:
    (copy / "digipunten.yaml").write_text("spec_version: 1\nplaces: [{id: Not A Slug}]\n", encoding="utf-8")
    with pytest.raises(PlacesDataError) as raised:
        PlaceDirectory.load(copy)
    assert any("id must be a slug" in problem for problem in raised.value.problems)
