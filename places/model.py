"""Digipunt data types: places, closures, the status of a place at a moment, and a resolved location."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.messages import GeoPoint

STATUSES = ("listed", "unverified", "historical")
ResolutionKind = Literal["point", "coarse", "ambiguous", "unknown"]


@dataclass(frozen=True)
class Reservation:
    """Whether a visit must be booked (None = not known) and how, per language."""

    required: bool | None = False
    how: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Contact:
    """How to reach the people who run a place."""

    phone: str | None = None
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Place:
    """One Digipunt, as carried over from the facts (None = not known, never guessed)."""

    id: str
    name: str
    short_name: str
    status: str
    street: str | None
    number: str | None
    postcode: str | None
    city: str
    lat: float | None
    lon: float | None
    hours: str | None
    helper: bool | None
    helper_hours: str | None
    reservation: Reservation
    max_visit_minutes: int | None
    contact: Contact
    notes: dict[str, str]
    aliases: tuple[str, ...] = ()
    coordinates: str | None = None
    wijk: str | None = None

    @property
    def point(self) -> GeoPoint | None:
        if self.lat is None or self.lon is None:
            return None
        return GeoPoint(self.lat, self.lon)

    @property
    def street_line(self) -> str:
        """'Vlaamsekaai 10' (or '' when the street is not known)."""
        if not self.street:
            return ""
        return f"{self.street} {self.number}" if self.number else self.street

    @property
    def address(self) -> str:
        """'Vlaamsekaai 10, 9000 Gent' (or '' when the street is not known)."""
        if not self.street:
            return ""
        town = f"{self.postcode} {self.city}" if self.postcode else self.city
        return f"{self.street_line}, {town}"

    @property
    def offered(self) -> bool:
        """Whether the place may be offered as 'nearest' (historical places are only found by name)."""
        return self.status != "historical"


@dataclass(frozen=True)
class Closure:
    """A place is closed from `start` to `end` (both days included), for a reason given per language."""

    place_id: str
    start: date
    end: date
    reason: dict[str, str]

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class PlaceStatus:
    """A place at a moment: distance from the resident, open or not, helper or not, next change."""

    place: Place
    distance_m: int | None
    open_now: bool
    helper_now: bool
    opens_at: datetime | None
    closes_at: datetime | None
    closed_reason: dict[str, str] | None = None


@dataclass(frozen=True)
class Resolution:
    """What a location text was understood as.

    kind: "point" (precise enough), "coarse" (understood but too large, e.g. "9000"), "ambiguous" (several
    readings; `alternatives` lists them), "unknown" (not understood). `point` is the point to rank from; for
    coarse and ambiguous texts it is a representative point when there is one.
    """

    kind: ResolutionKind
    label: str | None
    point: GeoPoint | None
    alternatives: tuple[str, ...] = ()
