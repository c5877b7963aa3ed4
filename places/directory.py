"""PlaceDirectory: the loaded Digipunten, closures and gazetteer; answers 'which Digipunt is near, open'."""

from __future__ import annotations

import pathlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property

from rapidfuzz import fuzz, process

from bot.content_base.languages import LanguageList
from bot.messages import GeoPoint
from places.gazetteer import WIJKEN_FILE, Gazetteer
from places.geo import WijkMap, distance_m
from places.hours import local, open_state
from places.loader import PlacesDataError, read_closures, read_places
from places.model import Anchor, Closure, Place, PlaceStatus, Resolution
from places.text import key

NAME_CUTOFF = 85.0


@dataclass(frozen=True)
class PlaceDirectory:
    """Read-only view of all places; build it with `PlaceDirectory.load`."""

    places: tuple[Place, ...]
    closures: tuple[Closure, ...]
    gazetteer: Gazetteer
    wijken: WijkMap

    @classmethod
    def read(
        cls, directory: pathlib.Path, languages: LanguageList | None = None
    ) -> tuple[PlaceDirectory | None, list[str]]:
        """The directory and the problems found while reading it (None when it cannot be built)."""
        problems: list[str] = []
        places = read_places(directory, problems, languages)
        closures = read_closures(directory, problems, languages)
        try:
            wijken = WijkMap.load(directory / WIJKEN_FILE)
        except (OSError, ValueError, KeyError) as exc:
            problems.append(f"{WIJKEN_FILE}: cannot be read ({exc})")
            return None, problems
        gazetteer = Gazetteer.read(directory, places, problems)
        return cls(tuple(places), tuple(closures), gazetteer, wijken), problems

    @classmethod
    def load(cls, directory: pathlib.Path, languages: LanguageList | None = None) -> PlaceDirectory:
        """Loads everything in `directory`; raises PlacesDataError when the data has problems."""
        loaded, problems = cls.read(directory, languages)
        if loaded is None or problems:
            raise PlacesDataError(problems)
        return loaded

    # ---- lookups ----

    def get(self, place_id: str) -> Place | None:
        return next((place for place in self.places if place.id == place_id), None)

    def resolve(self, text: str) -> Resolution:
        """What a location text means (see Resolution)."""
        return self.gazetteer.resolve(text)

    def locate(self, point: GeoPoint) -> str | None:
        """The name of the wijk the point lies in, or None outside Ghent."""
        return self.wijken.locate(point)

    @cached_property
    def _name_keys(self) -> dict[str, list[Place]]:
        """Every name, alias, id and street address of every place, normalised with and without fillers."""
        keys: dict[str, list[Place]] = {}
        fillers = self.gazetteer.fillers
        for place in self.places:
            names = [place.name, place.id.replace("-", " "), *place.aliases]
            if place.street_line:
                names.append(place.street_line)
            for name in names:
                for normalised in {key(name, fillers), key(name)}:
                    if normalised and place not in keys.setdefault(normalised, []):
                        keys[normalised].append(place)
        return keys

    def names_in(self, text: str) -> list[tuple[str, Place]]:
        """(name, place) for every place whose name, alias or address (five letters or more) stands as whole words
        inside the text ('a la Zuidpoort a Nieuw Gent ... c'est quand?'), also one no longer listed (its detail
        says so)."""
        # 'bib aan de watersportbaan'; 'IN-Gent' also joined ('ingent'), as 'in gent' is any message about Ghent
        forms = [key(text), key(text, self.gazetteer.fillers)]
        if "-" in text:
            forms.append(key(text.replace("-", "")))
        said = [f" {form} " for form in forms]
        return [(name, place) for name, places in self._name_keys.items()
                if len(name) >= 5 and any(f" {name} " in form for form in said) for place in places]

    def find_by_name(self, text: str) -> Place | None:
        """The place a name, alias or address points at (typos allowed), or None when unknown or ambiguous."""
        keys = self._name_keys
        wanted = [form for form in (key(text), key(text, self.gazetteer.fillers)) if form]
        for form in wanted:
            found = keys.get(form)
            if found:
                return found[0] if len(found) == 1 else None
        for form in wanted:
            if len(form) < 5:
                continue
            best = process.extract(form, list(keys), scorer=fuzz.ratio, limit=2, score_cutoff=NAME_CUTOFF)
            if best and (len(best) == 1 or best[0][1] > best[1][1]):
                found = keys[best[0][0]]
                return found[0] if len(found) == 1 else None
        return None

    @cached_property
    def _anchors(self) -> dict[str, Anchor | None]:
        found: dict[str, Anchor | None] = {}
        for place in self.places:
            located = self.gazetteer.place_point(place)
            if located is None:
                found[place.id] = None
                continue
            point, source = located
            wijk = place.wijk if source == "wijk" else self.locate(point)
            found[place.id] = Anchor(point, source, wijk)
        return found

    @cached_property
    def _members(self) -> frozenset[int]:
        """The id() of each of this directory's place objects: `anchor` tells them apart without comparing every
        field of every place (`place in self.places`, the fallback, is the same test for the same objects)."""
        return frozenset(id(place) for place in self.places)

    def anchor(self, place: Place) -> Anchor | None:
        """Where the place stands for distances: own coordinates, else its street, else its wijk's centre."""
        if place.id in self._anchors and (id(place) in self._members or place in self.places):
            return self._anchors[place.id]
        located = self.gazetteer.place_point(place)  # a place not in the directory (e.g. a test copy)
        if located is None:
            return None
        point, source = located
        return Anchor(point, source, place.wijk if source == "wijk" else self.locate(point))

    def by_neighbourhood(self) -> dict[str, list[Place]]:
        """Offered places per wijk (from their coordinates, street or the wijk given in the data)."""
        grouped: dict[str, list[Place]] = {}
        for place in self.places:
            if not place.offered:
                continue
            anchor = self.anchor(place)
            wijk = anchor.wijk if anchor is not None else place.wijk
            if wijk:
                grouped.setdefault(wijk, []).append(place)
        return grouped

    def with_closures(self, closures: Iterable[Closure]) -> PlaceDirectory:
        """A copy with extra closures (for example those staff added in the console)."""
        return replace(self, closures=self.closures + tuple(closures))

    # ---- status and ranking ----

    def status(
        self, place: Place, at: datetime, point: GeoPoint | None = None, *, point_wijk: str | None = None
    ) -> PlaceStatus:
        """The place at moment `at`: open or not, helper or not, next change, distance from `point`.

        A place without own coordinates is measured from its street or wijk centre (`approximate`); `same_wijk`
        says whether `point` lies in the place's wijk (pass `point_wijk` when it is known already).
        """
        closures = [(c.start, c.end, c.reason) for c in self.closures if c.place_id == place.id]
        opening = open_state(place.hours, at, closures)
        helper_now = False
        if opening.open_now and place.helper and place.helper_hours:
            helper_now = open_state(place.helper_hours, at, closures).open_now
        distance = None
        approximate = same_wijk = False
        anchor = self.anchor(place) if point is not None else None
        if point is not None and anchor is not None:
            distance = round(distance_m(point, anchor.point))
            approximate = anchor.approximate
            if approximate and anchor.wijk is not None:
                same_wijk = (point_wijk or self.locate(point)) == anchor.wijk
        return PlaceStatus(
            place=place,
            distance_m=distance,
            open_now=opening.open_now,
            helper_now=helper_now,
            opens_at=opening.opens_at,
            closes_at=opening.closes_at,
            closed_reason=opening.closed_reason,
            approximate=approximate,
            same_wijk=same_wijk,
        )

    def nearest(
        self,
        point: GeoPoint | None,
        at: datetime,
        *,
        limit: int = 3,
        offset: int = 0,
        helper_only: bool = False,
    ) -> list[PlaceStatus]:
        """Offered places, open ones first, then those opening later that day, then the rest; nearest first.

        With a point, places are ranked by distance from their anchor (own coordinates, else their street, else
        their wijk's centre); a place with none of these is left out. Without a point, every offered place is
        listed and ties are broken by name. `helper_only` keeps places that have a helper, and puts those with
        a helper there now first.
        """
        moment = local(at)
        point_wijk = self.locate(point) if point is not None else None
        statuses = []
        for place in self.places:
            if not place.offered or (point is not None and self.anchor(place) is None):
                continue
            if helper_only and not (place.helper and place.helper_hours):
                continue
            statuses.append(self.status(place, moment, point, point_wijk=point_wijk))

        def rank(status: PlaceStatus) -> tuple[int, int, float, str]:
            available = status.helper_now if helper_only else status.open_now
            if available:
                group = 0
            elif status.opens_at is not None and status.opens_at.date() == moment.date():
                group = 1
            elif status.opens_at is not None:
                group = 2
            else:
                group = 3
            distance = float(status.distance_m) if status.distance_m is not None else 0.0
            return (group, 0 if status.open_now else 1, distance, status.place.name)

        statuses.sort(key=rank)
        return statuses[offset : offset + limit]
