"""Digipunt data types: places, closures, the status of a place at a moment, and a resolved location."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.messages import GeoPoint
from places.booking_rules import BookingRules

STATUSES = ("listed", "unverified", "historical")
# facts a place's data may mark as uncertain (shown with the ask_on_site phrase); an unverified place is
# uncertain as a whole, a helper of null is uncertain by itself
UNCERTAIN_FIELDS = ("hours", "helper", "max_visit_minutes", "reservation")
ResolutionKind = Literal["point", "coarse", "ambiguous", "unknown"]
AnchorSource = Literal["own", "street", "wijk"]


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
    uncertain: tuple[str, ...] = ()
    booking: BookingRules | None = None  # when residents can book a session with a helper

    @property
    def listing_unsure(self) -> bool:
        """The place itself may have changed or stopped (status unverified)."""
        return self.status == "unverified"

    @property
    def helper_unsure(self) -> bool:
        """Whether a helper is there is not known for sure."""
        return self.helper is None or "helper" in self.uncertain or self.listing_unsure

    def unsure(self, fact: str) -> bool:
        """Whether this fact (one of UNCERTAIN_FIELDS) is marked uncertain, or the whole place is."""
        return fact in self.uncertain or self.listing_unsure

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
class Anchor:
    """Where a place stands for ranking by distance: its own coordinates, else a point on its street (from the
    gazetteer's street list), else the centre of its wijk. Only "own" is precise."""

    point: GeoPoint
    source: AnchorSource
    wijk: str | None = None

    @property
    def approximate(self) -> bool:
        return self.source != "own"


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
    approximate: bool = False  # the distance is from an approximate point (the place's street or wijk)
    same_wijk: bool = False  # the resident's point lies in the place's wijk


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
