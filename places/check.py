"""Validates the places data (hours parse, points inside the city's wijken, unique ids, names reachable)."""

from __future__ import annotations

import pathlib
import re
from collections import Counter
from datetime import date

from bot.content_base.languages import LanguageList, shipped_languages
from places.booking_rules import rule_problems
from places.describe import gsm7
from places.directory import PlaceDirectory
from places.gazetteer import GAZETTEER_FILE, STREETS_FILE, WIJKEN_FILE
from places.hours import hours_problem
from places.loader import CLOSURES_FILE, PLACES_FILE
from places.model import Place
from places.phrases import PHRASES_FILE, Phrases

_PLACEHOLDER = re.compile(r"{(\w+)}")


def _outside_gsm7(text: str, language: str, languages: LanguageList) -> bool:
    """True when a text in a GSM-7 language still needs UCS-2 after its SMS spelling (Arabic, Cyrillic: never)."""
    policy = languages.sms(language)
    spelled = policy.spell(text)
    return policy.encoding == "gsm7" and gsm7(spelled) != spelled


def _check_places(directory: PlaceDirectory, languages: LanguageList) -> list[str]:
    problems = []
    counts = Counter(place.id for place in directory.places)
    problems += [
        f"{PLACES_FILE}: id {place_id!r} is used {n} times" for place_id, n in counts.items() if n > 1
    ]
    wijk_names = set(directory.wijken.names())
    for place in directory.places:
        where = f"{PLACES_FILE}: {place.id}"
        for field_name, expression in (("hours", place.hours), ("helper_hours", place.helper_hours)):
            if expression is not None and (problem := hours_problem(expression)) is not None:
                problems.append(f"{where}: {field_name} {problem}")
        if place.helper is False and place.helper_hours:
            problems.append(f"{where}: helper_hours given but helper is false")
        if place.point is not None and directory.locate(place.point) is None:
            problems.append(f"{where}: coordinates {place.lat}, {place.lon} are outside every wijk of the city")
        if place.wijk is not None and place.wijk not in wijk_names:
            problems.append(f"{where}: wijk {place.wijk!r} is not one of the wijken")
        problems += _check_reachable(directory, place)
        if place.booking is not None:
            problems += [f"{where}: {problem}" for problem in rule_problems(place.booking, place.hours, date.today())]
        texts = [*place.notes.items(), *place.reservation.how.items()]
        outside = sorted({language for language, text in texts if _outside_gsm7(text, language, languages)})
        if outside:
            problems.append(f"{where}: notes or reservation text use characters outside GSM-7 ({', '.join(outside)})")
    return problems


def _check_reachable(directory: PlaceDirectory, place: Place) -> list[str]:
    problems = []
    if directory.find_by_name(place.name) is not place:
        problems.append(f"{PLACES_FILE}: {place.id}: cannot be found by its name {place.name!r}")
    for alias in place.aliases:
        if directory.find_by_name(alias) is not place:
            problems.append(f"{PLACES_FILE}: {place.id}: alias {alias!r} does not lead to this place")
    return problems


def _check_closures(directory: PlaceDirectory) -> list[str]:
    known = {place.id for place in directory.places}
    return [
        f"{CLOSURES_FILE}: closure {closure.start}..{closure.end} names unknown place {closure.place_id!r}"
        for closure in directory.closures
        if closure.place_id not in known
    ]


def _check_gazetteer(directory: PlaceDirectory) -> list[str]:
    problems = []
    gazetteer = directory.gazetteer
    for postcode in gazetteer.postcodes.values():
        if directory.locate(postcode.point) is None:
            problems.append(f"{GAZETTEER_FILE}: postcode {postcode.code}: point is outside every wijk of the city")
    for entry in gazetteer.entries:
        file = STREETS_FILE if entry.kind == "street" else GAZETTEER_FILE
        if entry.point is not None and directory.locate(entry.point) is None:
            problems.append(f"{file}: {entry.kind} {entry.name}: point is outside every wijk of the city")
        elif entry.kind == "wijk" and entry.point is not None and directory.locate(entry.point) != entry.name:
            problems.append(f"{GAZETTEER_FILE}: wijk {entry.name}: point lies in another wijk")
        if entry.kind == "street":
            for code in (entry.postcode, *entry.also_in):
                if code not in gazetteer.postcodes:
                    problems.append(f"{STREETS_FILE}: {entry.name}: {code} is not one of the city's postcodes")
        if entry.kind in ("wijk", "deelgemeente") and entry.postcode not in gazetteer.postcodes:
            problems.append(
                f"{GAZETTEER_FILE}: {entry.kind} {entry.name}: {entry.postcode} is not one of the city's postcodes"
            )
        for ref in (*entry.options, *([entry.near] if entry.near else [])):
            if gazetteer.by_ref(ref) is None:
                problems.append(f"{GAZETTEER_FILE}: ambiguous {entry.name}: {ref!r} names nothing known")
    listed = {entry.name for entry in gazetteer.entries if entry.kind == "wijk"}
    polygons = set(directory.wijken.names())
    for name in sorted(polygons - listed):
        problems.append(f"{GAZETTEER_FILE}: wijk {name!r} from {WIJKEN_FILE} is missing")
    for name in sorted(listed - polygons):
        problems.append(f"{GAZETTEER_FILE}: wijk {name!r} has no polygon in {WIJKEN_FILE}")
    return problems


def _check_phrases(directory_path: pathlib.Path, languages: LanguageList) -> list[str]:
    problems: list[str] = []
    phrases = Phrases.read(directory_path, problems, languages)
    for name, by_language in phrases.texts.items():
        placeholders = {language: set(_PLACEHOLDER.findall(text)) for language, text in by_language.items()}
        if len({frozenset(names) for names in placeholders.values()}) > 1:
            problems.append(f"{PHRASES_FILE}: {name}: the languages use different placeholders")
        for language, text in by_language.items():
            if _outside_gsm7(text, language, languages):
                problems.append(f"{PHRASES_FILE}: {name} ({language}) uses characters outside GSM-7")
    return problems


def placement(directory_path: pathlib.Path) -> list[str]:
    """How each offered place is put on the map, for the places that are not pinned exactly:
    'approximate: ...' (ranked from a point near it, shown as 'in je wijk' or 'ca. X km' when not its own)
    and 'no point: ...' (never ranked by distance, only found by name). Empty when the data cannot be read."""
    directory, _problems = PlaceDirectory.read(directory_path)
    if directory is None:
        return []
    lines = []
    for place in directory.places:
        if not place.offered:
            continue
        anchor = directory.anchor(place)
        if anchor is None:
            street = f"street {place.street!r} is not in {STREETS_FILE}" if place.street else "no street"
            lines.append(
                f"no point: {place.id} (no coordinates, {street}, no wijk): found by name only, never by distance"
            )
        elif anchor.source == "street":
            lines.append(f"approximate: {place.id} (a point on {place.street}, from {STREETS_FILE})")
        elif anchor.source == "wijk":
            lines.append(f"approximate: {place.id} (the centre of wijk {anchor.wijk})")
        elif place.coordinates != "pin":
            lines.append(f"approximate: {place.id} (own coordinates, marked {place.coordinates or 'unchecked'})")
    return lines


def check(directory_path: pathlib.Path, languages: LanguageList | None = None) -> list[str]:
    """Every problem in the places data under `directory_path`, as 'file: what' (empty when all is well)."""
    listed = languages or shipped_languages()
    directory, problems = PlaceDirectory.read(directory_path, listed)
    problems += _check_phrases(directory_path, listed)
    if directory is None:
        return problems
    problems += _check_places(directory, listed)
    problems += _check_closures(directory)
    problems += _check_gazetteer(directory)
    return problems
