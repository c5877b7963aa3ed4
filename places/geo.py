"""Geometry without shapely: distances, point-in-polygon, and the 25 Ghent wijk polygons."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.messages import GeoPoint

EARTH_RADIUS_M = 6_371_008.8
BOX_MARGIN = 1e-6  # degrees (~0.1 m)
Ring = tuple[tuple[float, float], ...]  # (lon, lat) pairs, as in GeoJSON


def distance_m(a: GeoPoint, b: GeoPoint) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat = lat2 - lat1
    dlon = math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def in_ring(point: GeoPoint, ring: Ring) -> bool:
    """Ray casting: whether the point lies inside a closed ring of (lon, lat) pairs."""
    x, y = point.lon, point.lat
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = ring[index]
        x2, y2 = ring[(index + 1) % count]
        if (y1 > y) != (y2 > y):
            crossing = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            if x < crossing:
                inside = not inside
    return inside


@dataclass(frozen=True)
class Polygon:
    """One polygon: an outer ring and optional holes."""

    outer: Ring
    holes: tuple[Ring, ...] = ()

    @cached_property
    def _box(self) -> tuple[float, float, float, float]:
        """The outer ring's bounding box, widened by far more than any rounding of in_ring's crossings."""
        lons = [lon for lon, _lat in self.outer] or [0.0]
        lats = [lat for _lon, lat in self.outer] or [0.0]
        return min(lons) - BOX_MARGIN, max(lons) + BOX_MARGIN, min(lats) - BOX_MARGIN, max(lats) + BOX_MARGIN

    def contains(self, point: GeoPoint) -> bool:
        west, east, south, north = self._box
        if not (west <= point.lon <= east and south <= point.lat <= north):
            return False  # outside the outer ring's box: the ray crosses the ring an even number of times
        return in_ring(point, self.outer) and not any(in_ring(point, hole) for hole in self.holes)


@dataclass(frozen=True)
class WijkArea:
    """A named wijk and its polygons."""

    number: int
    name: str
    polygons: tuple[Polygon, ...]

    def contains(self, point: GeoPoint) -> bool:
        return any(polygon.contains(point) for polygon in self.polygons)


def _ring(raw: list[list[float]]) -> Ring:
    return tuple((float(lon), float(lat)) for lon, lat in raw)


def _polygons(geometry: dict[str, object]) -> tuple[Polygon, ...]:
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list):
        raise ValueError("geometry without coordinates")
    if kind == "Polygon":
        parts = [coordinates]
    elif kind == "MultiPolygon":
        parts = coordinates
    else:
        raise ValueError(f"unsupported geometry type {kind!r}")
    return tuple(Polygon(_ring(rings[0]), tuple(_ring(hole) for hole in rings[1:])) for rings in parts)


@dataclass(frozen=True)
class WijkMap:
    """All wijken; answers which wijk a point lies in."""

    wijken: tuple[WijkArea, ...]

    @classmethod
    def load(cls, path: Path) -> WijkMap:
        data = json.loads(path.read_text(encoding="utf-8"))
        areas = []
        for feature in data["features"]:
            properties = feature["properties"]
            areas.append(
                WijkArea(int(properties["wijknr"]), str(properties["wijk"]), _polygons(feature["geometry"]))
            )
        return cls(tuple(areas))

    def locate(self, point: GeoPoint) -> str | None:
        for area in self.wijken:
            if area.contains(point):
                return area.name
        return None

    def names(self) -> list[str]:
        return [area.name for area in self.wijken]
