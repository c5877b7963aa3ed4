"""The simulator's location picker, from the content: named points (landmarks, wijken) and a small SVG map of the
wijk outlines (no tiles, no external scripts). Projection: equirectangular, scaled by cos(latitude) at the centre."""

from __future__ import annotations

import math
from dataclasses import dataclass

from places.directory import PlaceDirectory
from places.geo import Ring

MAP_WIDTH = 600.0
PICK_KINDS = (("landmark", "Landmarks"), ("wijk", "Wijken"))


@dataclass(frozen=True)
class PickPoint:
    """One named point offered in the picker."""

    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class MapShape:
    """One wijk as an SVG path (in map units) with its name."""

    name: str
    path: str


@dataclass(frozen=True)
class PickerMap:
    """Everything the page needs: point groups, wijk paths, and the numbers to turn a click back into lat/lon."""

    groups: tuple[tuple[str, tuple[PickPoint, ...]], ...]
    shapes: tuple[MapShape, ...]
    width: float
    height: float
    min_lon: float
    max_lat: float
    x_per_degree: float  # map units per degree of longitude
    y_per_degree: float  # map units per degree of latitude

    def project(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.min_lon) * self.x_per_degree, (self.max_lat - lat) * self.y_per_degree

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        return self.max_lat - y / self.y_per_degree, self.min_lon + x / self.x_per_degree


def _path(ring: Ring, picker: PickerMap) -> str:
    points = [picker.project(lat, lon) for lon, lat in ring]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"


def build_picker(places: PlaceDirectory) -> PickerMap:
    """The picker for this content: every landmark and wijk with a point, and every wijk outline."""
    rings = [ring for area in places.wijken.wijken for polygon in area.polygons for ring in (polygon.outer,)]
    lons = [lon for ring in rings for lon, _ in ring]
    lats = [lat for ring in rings for _, lat in ring]
    groups = []
    for kind, title in PICK_KINDS:
        points = tuple(
            PickPoint(entry.name, entry.point.lat, entry.point.lon)
            for entry in places.gazetteer.entries
            if entry.kind == kind and entry.point is not None
        )
        if points:
            groups.append((title, points))
    if not lons:
        return PickerMap(tuple(groups), (), MAP_WIDTH, 0.0, 0.0, 0.0, 1.0, 1.0)
    min_lon, max_lon, min_lat, max_lat = min(lons), max(lons), min(lats), max(lats)
    squash = math.cos(math.radians((min_lat + max_lat) / 2))
    x_per_degree = MAP_WIDTH / max(max_lon - min_lon, 1e-9)
    y_per_degree = x_per_degree / max(squash, 1e-9)
    height = (max_lat - min_lat) * y_per_degree
    picker = PickerMap(tuple(groups), (), MAP_WIDTH, round(height, 1), min_lon, max_lat, x_per_degree, y_per_degree)
    shapes = tuple(
        MapShape(area.name, " ".join(_path(polygon.outer, picker) for polygon in area.polygons))
        for area in places.wijken.wijken
    )
    return PickerMap(picker.groups, shapes, picker.width, picker.height, min_lon, max_lat, x_per_degree,
                     y_per_degree)
