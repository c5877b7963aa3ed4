"""Gazetteer: understands where a resident is from text (postcode, wijk, landmark, street, typos)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.messages import GeoPoint
from places.geo import distance_m
from places.loader import Problems, read_yaml
from places.model import AnchorSource, Place, Resolution
from places.text import FillerRemover, key, tokens

GAZETTEER_FILE = "gazetteer.yaml"
STREETS_FILE = "streets.yaml"
WIJKEN_FILE = "wijken.geojson"
MAX_SPAN = 6
RESOLVE_CACHE = 4096
MATCH_CACHE = 20_000
MIN_STREET_WORD = 7  # 'sleepstraat': shorter words ending like a street ('plein') are not taken for one
# Which reading wins when one text matches several entries equally well.
AREA_READING_M = 2500  # a reading of an ambiguous name this near the area named with it is the one meant
PRIORITY = {"place": 8, "landmark": 7, "street": 6, "ambiguous": 5, "deelgemeente": 4, "wijk": 3, "city": 1}


@dataclass(frozen=True)
class Entry:
    """One thing a text can name: a street, a landmark, a wijk, a deelgemeente, a Digipunt, the city."""

    kind: str
    name: str
    point: GeoPoint | None
    postcode: str | None = None
    options: tuple[str, ...] = ()  # for "ambiguous": references like "wijk:Gentbrugge"
    near: str | None = None  # for "ambiguous": the reference whose point stands in meanwhile
    also_in: tuple[str, ...] = ()  # for streets that cross postcode borders

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass(frozen=True)
class Postcode:
    """A Ghent postcode with its deelgemeenten and a representative point."""

    code: str
    deelgemeenten: tuple[str, ...]
    point: GeoPoint
    coarse: bool

    @property
    def label(self) -> str:
        return f"{self.code} {self.deelgemeenten[0]}"


@dataclass(frozen=True)
class _Candidate:
    span: int
    score: float
    entry: Entry
    start: int
    end: int
    own_name: bool  # the text is the entry's own name, not one of its aliases

    def rank(self) -> tuple[int, float, bool, int]:
        return (self.span, self.score, self.own_name, PRIORITY.get(self.entry.kind, 0))


def _point(raw: dict[str, Any], what: str, problems: Problems) -> GeoPoint | None:
    lat, lon = raw.get("lat"), raw.get("lon")
    if lat is None and lon is None:
        return None
    if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
        return GeoPoint(float(lat), float(lon))
    problems.add(f"{what}: lat/lon must be numbers")
    return None


def _names(raw: dict[str, Any]) -> list[str]:
    aliases = raw.get("aliases") or []
    return [str(raw["name"]), *(str(alias) for alias in aliases)]


@dataclass
class Gazetteer:
    """All known names, normalised, with fuzzy lookup. Build with `Gazetteer.read`."""

    fillers: FillerRemover
    postcodes: dict[str, Postcode]
    entries: list[Entry]
    index: dict[str, list[Entry]] = field(default_factory=dict)
    place_numbers: dict[tuple[str, str], Place] = field(default_factory=dict)
    place_entries: dict[str, Entry] = field(default_factory=dict)
    city: Entry | None = None
    street_endings: tuple[str, ...] = ()  # 'straat', 'laan', 'rue': a word that looks like a street name
    _name_list: list[str] = field(default_factory=list)
    names_by_label: dict[str, list[str]] = field(default_factory=dict)  # "Binnenstad" -> "binnenstad", "city centre"
    # resolve() and _matches() are pure functions of the text and the names read: remembered (bounded), and
    # forgotten whenever the names change (see _fresh)
    _built: tuple[int, ...] = field(default=(), compare=False, repr=False)
    _resolved: dict[str, Resolution] = field(default_factory=dict, compare=False, repr=False)
    _matched: dict[str, tuple[float, str] | None] = field(default_factory=dict, compare=False, repr=False)

    def unknown_street(self, text: str) -> str | None:
        """A word of the text that looks like a street name no list knows ('sleepstraat'), else None."""
        for word in (str(found) for found in re.findall(r"[\w-]+", text)):
            lowered = word.lower()
            if len(lowered) >= MIN_STREET_WORD and lowered.endswith(self.street_endings) \
                    and lowered not in self.street_endings and not self.index.get(key(word, self.fillers)):
                return word[:1].upper() + word[1:]
        return None

    # ---- building ----

    @classmethod
    def read(cls, directory: Path, places: Iterable[Place], problems: list[str]) -> Gazetteer:
        """Reads gazetteer.yaml and streets.yaml; problems are appended as 'file: what'."""
        found = Problems(GAZETTEER_FILE)
        data = read_yaml(directory / GAZETTEER_FILE, found) or {}
        fillers = FillerRemover(
            phrase for words in (data.get("fillers") or {}).values() for phrase in (words or [])
        )
        gazetteer = cls(fillers=fillers, postcodes={}, entries=[],
                        street_endings=tuple(str(word).lower() for word in data.get("street_endings") or []))
        gazetteer._read_postcodes(data.get("postcodes") or [], found)
        city = data.get("city") or {}
        if isinstance(city, dict) and city.get("name"):
            gazetteer.city = Entry("city", str(city["name"]), _point(city, "city", found), "9000")
            gazetteer._add(gazetteer.city, _names(city))
        else:
            found.add("city is missing")
        for kind, section in (
            ("deelgemeente", "deelgemeenten"),
            ("wijk", "wijken"),
            ("landmark", "landmarks"),
        ):
            gazetteer._read_named(kind, section, data.get(section), found)
        for index, raw in enumerate(data.get("ambiguous") or []):
            if not isinstance(raw, dict) or not raw.get("name") or not raw.get("options"):
                found.add(f"ambiguous[{index}]: needs a name and options")
                continue
            entry = Entry(
                "ambiguous",
                str(raw["name"]),
                None,
                options=tuple(str(option) for option in raw["options"]),
                near=str(raw["near"]) if raw.get("near") else None,
            )
            gazetteer._add(entry, [entry.name])
        problems.extend(found.items)
        gazetteer._read_streets(directory, problems)
        for place in places:
            gazetteer._add_place(place)
        return gazetteer

    def _add(self, entry: Entry, names: Iterable[str]) -> None:
        self.entries.append(entry)
        for name in names:
            normalised = key(name, self.fillers)
            if normalised and entry not in self.index.setdefault(normalised, []):
                self.index[normalised].append(entry)
                self.names_by_label.setdefault(entry.name, []).append(normalised)

    def _read_postcodes(self, raw_list: Any, found: Problems) -> None:
        for index, raw in enumerate(raw_list if isinstance(raw_list, list) else []):
            code = str(raw.get("code", "")) if isinstance(raw, dict) else ""
            point = _point(raw, f"postcodes[{index}]", found) if isinstance(raw, dict) else None
            if not code.isdigit() or len(code) != 4 or point is None or not raw.get("deelgemeenten"):
                found.add(f"postcodes[{index}]: needs a 4-digit code, deelgemeenten and lat/lon")
                continue
            if code in self.postcodes:
                found.add(f"postcode {code} is listed twice")
            self.postcodes[code] = Postcode(
                code, tuple(str(name) for name in raw["deelgemeenten"]), point, bool(raw.get("coarse", False))
            )

    def _read_named(self, kind: str, section: str, raw_list: Any, found: Problems) -> None:
        if not isinstance(raw_list, list) or not raw_list:
            found.add(f"{section} must be a non-empty list")
            return
        seen: set[str] = set()
        for index, raw in enumerate(raw_list):
            if not isinstance(raw, dict) or not raw.get("name"):
                found.add(f"{section}[{index}]: name is missing")
                continue
            name = str(raw["name"])
            if name in seen:
                found.add(f"{section}: {name!r} is listed twice")
            seen.add(name)
            point = _point(raw, f"{section}: {name}", found)
            if point is None:
                found.add(f"{section}: {name} has no coordinates")
                continue
            postcode = str(raw["postcode"]) if raw.get("postcode") else None
            self._add(Entry(kind, name, point, postcode), _names(raw))

    def _read_streets(self, directory: Path, problems: list[str]) -> None:
        found = Problems(STREETS_FILE)
        data = read_yaml(directory / STREETS_FILE, found) or {}
        seen: set[tuple[str, str]] = set()
        for index, raw in enumerate(data.get("streets") or []):
            if not isinstance(raw, dict) or not raw.get("name") or not raw.get("postcode"):
                found.add(f"streets[{index}]: needs a name and a postcode")
                continue
            name, postcode = str(raw["name"]), str(raw["postcode"])
            if (name, postcode) in seen:
                found.add(f"{name} ({postcode}) is listed twice")
            seen.add((name, postcode))
            point = _point(raw, f"{name}", found)
            if point is None:
                found.add(f"{name} has no coordinates")
                continue
            also_in = tuple(str(code) for code in raw.get("also_in") or [])
            self._add(Entry("street", name, point, postcode, also_in=also_in), _names(raw))
        problems.extend(found.items)

    def _add_place(self, place: Place) -> None:
        if place.street and place.number:
            self.place_numbers[(key(place.street, self.fillers), place.number.lower())] = place
        located = self.place_point(place)
        if located is None or not place.offered:
            return
        entry = Entry("place", place.name, located[0], place.postcode)
        self.place_entries[place.id] = entry
        self._add(entry, [place.name, *place.aliases])

    def place_point(self, place: Place) -> tuple[GeoPoint, AnchorSource] | None:
        """The place's own coordinates; else the point of its street (the one street of that name, with its point
        in the place's postcode when that is known); else the centre of its wijk; else None."""
        if place.point is not None:
            return place.point, "own"
        if place.street:
            streets = [
                entry
                for entry in self.index.get(key(place.street, self.fillers), [])
                if entry.kind == "street" and entry.point is not None
            ]
            if place.postcode:  # the street's point must lie in the place's postcode
                streets = [entry for entry in streets if entry.postcode == place.postcode]
            elif any(entry.also_in for entry in streets):
                streets = []  # a long road through several postcodes: its one point may be far from the place
            if len(streets) == 1 and streets[0].point is not None:
                return streets[0].point, "street"
        if place.wijk:
            wijk = self.by_ref(f"wijk:{place.wijk}")
            if wijk is not None and wijk.point is not None:
                return wijk.point, "wijk"
        return None

    # ---- lookups ----

    def by_ref(self, ref: str) -> Entry | None:
        kind, _, name = ref.partition(":")
        if kind == "place":
            return self.place_entries.get(name)
        for entry in self.entries:
            if entry.kind == kind and entry.name == name:
                return entry
        return None

    def postcode_label(self, code: str) -> str:
        known = self.postcodes.get(code)
        return known.label if known else code

    def _names(self) -> list[str]:
        if len(self._name_list) != len(self.index):
            self._name_list = list(self.index)
        return self._name_list

    def _fresh(self) -> None:
        """Forget remembered readings when the names changed since they were remembered."""
        built = (len(self.entries), len(self.index), len(self.postcodes), len(self.place_numbers))
        if built != self._built:
            self._resolved.clear()
            self._matched.clear()
            self._built = built

    def _matches(self, phrase: str) -> tuple[float, str] | None:
        """The indexed name the phrase means: exactly (score 100), or the closest one when close enough."""
        if phrase in self._matched:
            return self._matched[phrase]
        if len(self._matched) >= MATCH_CACHE:
            self._matched.clear()
        found = self._matched[phrase] = self._closest(phrase)
        return found

    def _closest(self, phrase: str) -> tuple[float, str] | None:
        if phrase in self.index:
            return 100.0, phrase
        if len(phrase) < 4:
            return None
        cutoff = 80.0 if len(phrase) >= 6 else 88.0
        best = process.extractOne(phrase, self._names(), scorer=fuzz.ratio, score_cutoff=cutoff)
        return (float(best[1]), str(best[0])) if best is not None else None

    def _candidates(self, words: list[str]) -> list[_Candidate]:
        candidates = []
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + MAX_SPAN) + 1):
                span = words[start:end]
                if any(any(char.isdigit() for char in word) for word in span):
                    break
                match = self._matches(" ".join(span))
                if match is None:
                    continue
                score, name = match
                for entry in self.index[name]:
                    own = key(entry.name, self.fillers) == name
                    candidates.append(_Candidate(end - start, score, entry, start, end, own))
        return candidates

    # ---- resolving ----

    def resolve(self, text: str) -> Resolution:
        """What the text names: a point, a coarse area, several readings, or nothing known."""
        self._fresh()
        known = self._resolved.get(text)
        if known is None:
            if len(self._resolved) >= RESOLVE_CACHE:
                self._resolved.clear()
            known = self._resolved[text] = self._resolve(text)
        return known

    def _resolve(self, text: str) -> Resolution:
        words = self.fillers.remove(tokens(text))
        if not words:
            return Resolution("unknown", None, None)
        codes = [word for word in words if word in self.postcodes]
        candidates = self._candidates(words)
        if not candidates:
            return self._postcode(codes[0]) if codes else Resolution("unknown", None, None)
        best = max(candidates, key=_Candidate.rank)
        if best.entry.kind == "city" and codes:
            return self._postcode(codes[0])
        qualifiers = set(codes)
        for candidate in candidates:
            entry = candidate.entry
            if candidate is not best and candidate.score == 100 and entry.kind in ("deelgemeente", "wijk"):
                qualifiers.add(entry.postcode or "")
        if best.entry.kind == "street":
            number = next(
                (word for word in words[best.end :] if word[0].isdigit() and word not in self.postcodes), None
            )
            return self._street(best.entry, number, qualifiers)
        if best.entry.kind == "ambiguous":
            area = next((candidate.entry for candidate in candidates if candidate.score == 100
                         and (candidate.start >= best.end or candidate.end <= best.start)  # other words
                         and candidate.entry.kind in ("deelgemeente", "wijk") and candidate.entry.point), None)
            return self._ambiguous(best.entry) if area is None else self._ambiguous_in(best.entry, area)
        if best.entry.kind == "city":
            return Resolution(
                "coarse",
                best.entry.name,
                best.entry.point,
                tuple(entry.name for entry in self.entries if entry.kind == "deelgemeente"),
            )
        return Resolution("point", best.entry.name, best.entry.point)

    def _postcode(self, code: str) -> Resolution:
        postcode = self.postcodes[code]
        if postcode.coarse:
            wijken = tuple(
                entry.name for entry in self.entries if entry.kind == "wijk" and entry.postcode == code
            )
            return Resolution("coarse", postcode.label, postcode.point, wijken)
        return Resolution("point", postcode.label, postcode.point)

    def _street(self, entry: Entry, number: str | None, qualifiers: set[str]) -> Resolution:
        street_key = key(entry.name, self.fillers)
        if number is not None:
            place = self.place_numbers.get((street_key, number.lower()))
            if place is not None and place.point is not None:
                return Resolution("point", f"{entry.name} {number}", place.point)
        same = [other for other in self.index.get(street_key, []) if other.kind == "street"] or [entry]
        readings: list[tuple[str, GeoPoint | None]] = [(other.postcode or "", other.point) for other in same]
        readings += [(code, None) for other in same for code in other.also_in]
        if qualifiers:
            narrowed = [reading for reading in readings if reading[0] in qualifiers]
            readings = narrowed or readings
        label = f"{entry.name} {number}" if number else entry.name
        with_point = [reading for reading in readings if reading[1] is not None]
        if len(readings) == 1 or (len({code for code, _ in readings}) == 1 and with_point):
            return Resolution("point", label, with_point[0][1] if with_point else None)
        alternatives = tuple(f"{entry.name} ({self.postcode_label(code)})" for code, _ in readings)
        return Resolution("ambiguous", label, with_point[0][1] if with_point else None, alternatives)

    def _ambiguous_in(self, entry: Entry, area: Entry) -> Resolution:
        """'mariakerke near the kringwinkel': of the readings, the one nearest the area named with it when it is
        near that area (its point, under the area's name); else the area itself."""
        assert area.point is not None
        readings = [target for target in (self.by_ref(option) for option in entry.options)
                    if target is not None and target.point is not None]
        nearest = min(readings, key=lambda target: distance_m(area.point, target.point), default=None)  # type: ignore[arg-type]
        if nearest is not None and nearest.point is not None \
                and distance_m(area.point, nearest.point) <= AREA_READING_M:
            return Resolution("point", area.name, nearest.point)  # a place to start from, not the place asked about
        return Resolution("point", area.name, area.point)

    def _ambiguous(self, entry: Entry) -> Resolution:
        labels = []
        for option in entry.options:
            target = self.by_ref(option)
            labels.append(target.name if target else option.partition(":")[2])
        near = self.by_ref(entry.near) if entry.near else None
        return Resolution("ambiguous", entry.name, near.point if near else None, tuple(labels))
