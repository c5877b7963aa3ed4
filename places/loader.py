"""Reads digipunten.yaml and closures.yaml into model objects, collecting problems as 'file: what' lines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.content_base.languages import LanguageList, shipped_languages
from bot.content_base.yamlio import Path_, line_index, load_yaml, nearest_line
from places.booking_rules import parse_rules
from places.model import STATUSES, UNCERTAIN_FIELDS, Closure, Contact, Place, Reservation

SPEC_VERSION = 1
PLACES_FILE = "digipunten.yaml"
CLOSURES_FILE = "closures.yaml"
MAX_CLOSURE_DAYS = 366
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class PlacesDataError(ValueError):
    """The places data has problems; `problems` lists them as 'file: what'."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Problems:
    """Collects problems for one file; with a path into the YAML, the problem names its line too."""

    file: str
    items: list[str] = field(default_factory=list)
    lines: dict[Path_, int] = field(default_factory=dict)
    languages: LanguageList = field(default_factory=shipped_languages)

    def add(self, what: str, path: Path_ | None = None) -> None:
        if path is not None and self.lines:
            self.items.append(f"{self.file}:{nearest_line(self.lines, path)}: {what}")
        else:
            self.items.append(f"{self.file}: {what}")


def read_yaml(path: Path, problems: Problems) -> dict[str, Any] | None:
    """The YAML mapping in `path` with spec_version checked, or None (with a problem) when unusable."""
    try:
        text = path.read_text(encoding="utf-8")
        problems.lines = line_index(text)
        data = load_yaml(text)
    except FileNotFoundError:
        problems.add("file is missing")
        return None
    except yaml.YAMLError as exc:
        problems.add(f"not valid YAML ({exc})")
        return None
    if not isinstance(data, dict):
        problems.add("top level must be a mapping")
        return None
    if data.get("spec_version") != SPEC_VERSION:
        problems.add(f"spec_version must be {SPEC_VERSION}, got {data.get('spec_version')!r}")
    return data


def _optional_str(raw: Any, what: str, problems: Problems) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, (str, int)) and not isinstance(raw, bool):
        return str(raw)
    problems.add(f"{what} must be text")
    return None


def _optional_float(raw: Any, what: str, problems: Problems) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return float(raw)
    problems.add(f"{what} must be a number or null")
    return None


def _optional_bool(raw: Any, what: str, problems: Problems) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    problems.add(f"{what} must be true, false or null")
    return None


def languages(
    raw: Any, what: str, problems: Problems, *, required: bool = True, path: Path_ | None = None
) -> dict[str, str]:
    """A mapping of languages to texts. Once given (always when `required`), every active language of the
    language list must be there; a language that is not in the list is a problem too."""
    listed = problems.languages
    if raw is None and not required:
        return {}
    if not isinstance(raw, dict):
        problems.add(f"{what} must map languages ({', '.join(listed.active)}) to text", path)
        return {}
    texts = {str(lang): str(text) for lang, text in raw.items() if isinstance(text, str) and text.strip()}
    unknown = [str(lang) for lang in raw if str(lang) not in listed.codes]
    if unknown:
        problems.add(f"{what}: unknown language {', '.join(unknown)}", path)
    missing = [lang for lang in listed.active if lang not in texts]
    if missing:
        problems.add(f"{what} misses {', '.join(missing)} (missing translation)", path)
    return texts


def parse_place(raw: Any, index: int, problems: Problems) -> Place | None:
    """One place entry, or None when it is too broken to use."""
    if not isinstance(raw, dict):
        problems.add(f"places[{index}] must be a mapping")
        return None
    place_id = raw.get("id")
    if not isinstance(place_id, str) or not _SLUG.match(place_id):
        problems.add(f"places[{index}]: id must be a slug like 'de-krook', got {place_id!r}")
        return None
    where = place_id
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.add(f"{where}: name is missing")
        return None
    status = raw.get("status")
    if status not in STATUSES:
        problems.add(f"{where}: status must be one of {', '.join(STATUSES)}, got {status!r}")
        status = "unverified"
    address = raw.get("address") or {}
    if not isinstance(address, dict):
        problems.add(f"{where}: address must be a mapping")
        address = {}
    lat = _optional_float(raw.get("lat"), f"{where}: lat", problems)
    lon = _optional_float(raw.get("lon"), f"{where}: lon", problems)
    if (lat is None) != (lon is None):
        problems.add(f"{where}: lat and lon must both be set or both be null")
        lat = lon = None
    reservation_raw = raw.get("reservation") or {}
    if not isinstance(reservation_raw, dict):
        problems.add(f"{where}: reservation must be a mapping")
        reservation_raw = {}
    reservation = Reservation(
        required=_optional_bool(reservation_raw.get("required"), f"{where}: reservation.required", problems),
        how=languages(reservation_raw.get("how"), f"{where}: reservation.how", problems, required=False,
                      path=("places", index, "reservation", "how")),
    )
    contact_raw = raw.get("contact") or {}
    if not isinstance(contact_raw, dict):
        problems.add(f"{where}: contact must be a mapping")
        contact_raw = {}
    max_visit = raw.get("max_visit_minutes")
    if max_visit is not None and (
        not isinstance(max_visit, int) or isinstance(max_visit, bool) or max_visit <= 0
    ):
        problems.add(f"{where}: max_visit_minutes must be a positive whole number or null")
        max_visit = None
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
        problems.add(f"{where}: aliases must be a list of texts")
        aliases = []
    uncertain = raw.get("uncertain") or []
    if not isinstance(uncertain, list) or not all(item in UNCERTAIN_FIELDS for item in uncertain):
        problems.add(f"{where}: uncertain must be a list of {', '.join(UNCERTAIN_FIELDS)}, got {uncertain!r}")
        uncertain = []
    booking_problems: list[str] = []
    booking = parse_rules(raw.get("booking"), booking_problems)
    for problem in booking_problems:
        problems.add(f"{where}: {problem}", ("places", index, "booking"))
    return Place(
        id=place_id,
        name=name.strip(),
        short_name=str(raw.get("short_name") or name).strip(),
        status=str(status),
        street=_optional_str(address.get("street"), f"{where}: address.street", problems),
        number=_optional_str(address.get("number"), f"{where}: address.number", problems),
        postcode=_optional_str(address.get("postcode"), f"{where}: address.postcode", problems),
        city=str(address.get("city") or ""),
        lat=lat,
        lon=lon,
        hours=_optional_str(raw.get("hours"), f"{where}: hours", problems),
        helper=_optional_bool(raw.get("helper"), f"{where}: helper", problems),
        helper_hours=_optional_str(raw.get("helper_hours"), f"{where}: helper_hours", problems),
        reservation=reservation,
        max_visit_minutes=max_visit,
        contact=Contact(
            phone=_optional_str(contact_raw.get("phone"), f"{where}: contact.phone", problems),
            email=_optional_str(contact_raw.get("email"), f"{where}: contact.email", problems),
            url=_optional_str(contact_raw.get("url"), f"{where}: contact.url", problems),
        ),
        notes=languages(raw.get("notes"), f"{where}: notes", problems, required=False,
                        path=("places", index, "notes")),
        aliases=tuple(aliases),
        coordinates=_optional_str(raw.get("coordinates"), f"{where}: coordinates", problems),
        wijk=_optional_str(raw.get("wijk"), f"{where}: wijk", problems),
        uncertain=tuple(str(item) for item in uncertain),
        booking=booking,
    )


def read_places(directory: Path, problems: list[str], listed: LanguageList | None = None) -> list[Place]:
    """All places in digipunten.yaml; problems are appended to `problems`."""
    found = Problems(PLACES_FILE, languages=listed or shipped_languages())
    data = read_yaml(directory / PLACES_FILE, found)
    places: list[Place] = []
    if data is not None:
        raw_places = data.get("places")
        if not isinstance(raw_places, list) or not raw_places:
            found.add("places must be a non-empty list")
        else:
            for index, raw in enumerate(raw_places):
                place = parse_place(raw, index, found)
                if place is not None:
                    places.append(place)
    problems.extend(found.items)
    return places


def _date(raw: Any, what: str, problems: Problems) -> date | None:
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    problems.add(f"{what} must be a date like 2026-08-01, got {raw!r}")
    return None


def parse_closure(raw: Any, index: int, problems: Problems) -> Closure | None:
    """One closure entry, or None when it is unusable."""
    if not isinstance(raw, dict):
        problems.add(f"closures[{index}] must be a mapping")
        return None
    where = f"closures[{index}]"
    place_id = raw.get("place_id")
    if not isinstance(place_id, str) or not place_id:
        problems.add(f"{where}: place_id is missing")
        return None
    start = _date(raw.get("start"), f"{where}: start", problems)
    end = _date(raw.get("end", raw.get("start")), f"{where}: end", problems)
    if start is None or end is None:
        return None
    if end < start:
        problems.add(f"{where}: end {end} is before start {start}")
        return None
    if (end - start).days > MAX_CLOSURE_DAYS:
        problems.add(f"{where}: a closure lasts at most {MAX_CLOSURE_DAYS} days; retire the place instead")
        return None
    reason = languages(raw.get("reason"), f"{where}: reason", problems, path=("closures", index, "reason"))
    return Closure(place_id=place_id, start=start, end=end, reason=reason)


def read_closures(directory: Path, problems: list[str], listed: LanguageList | None = None) -> list[Closure]:
    """All closures in closures.yaml (a missing file means no closures)."""
    path = directory / CLOSURES_FILE
    if not path.exists():
        return []
    found = Problems(CLOSURES_FILE, languages=listed or shipped_languages())
    data = read_yaml(path, found)
    closures: list[Closure] = []
    if data is not None:
        raw_closures = data.get("closures") or []
        if not isinstance(raw_closures, list):
            found.add("closures must be a list")
        else:
            for index, raw in enumerate(raw_closures):
                closure = parse_closure(raw, index, found)
                if closure is not None:
                    closures.append(closure)
    problems.extend(found.items)
    return closures
