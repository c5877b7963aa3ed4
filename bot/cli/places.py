"""The `digibuur places` command: `nearest` (JSON contract) and `check` (data validation for CI)."""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from datetime import datetime
from typing import Any

from bot.content_base.languages import LanguageList, languages_near
from bot.messages import GeoPoint
from bot.settings import Settings
from places.check import check, placement
from places.describe import describe_list
from places.directory import PlaceDirectory
from places.hours import TIMEZONE, local
from places.loader import PlacesDataError
from places.model import PlaceStatus


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds `places nearest` and `places check` to the digibuur command."""
    places = sub.add_parser("places", help="Digipunten: nearest open place, data check")
    commands = places.add_subparsers(dest="places_command", required=True)

    nearest = commands.add_parser("nearest", help="the nearest Digipunten for a place or a point")
    where = nearest.add_mutually_exclusive_group(required=True)
    where.add_argument("--near", metavar="TEXT", help="postcode, street, wijk or landmark, e.g. '9040'")
    where.add_argument("--lat", type=float, help="latitude (WGS84); needs --lon")
    nearest.add_argument("--lon", type=float, help="longitude (WGS84); needs --lat")
    nearest.add_argument(
        "--at", metavar="ISO-8601", help="moment to evaluate (default: now); naive = Brussels"
    )
    nearest.add_argument("--limit", type=int, default=3, help="how many places (default 3)")
    nearest.add_argument("--json", action="store_true", help="print the JSON contract instead of text lines")
    nearest.add_argument("--dir", type=pathlib.Path, help="places data directory (default: from settings)")
    nearest.set_defaults(func=run_nearest)

    checker = commands.add_parser("check", help="validate the places data; exits 1 when there are problems")
    checker.add_argument("--dir", type=pathlib.Path, help="places data directory (default: from settings)")
    checker.set_defaults(func=run_check)


def _data_dir(args: argparse.Namespace) -> pathlib.Path:
    given: pathlib.Path | None = args.dir
    return given if given is not None else Settings.from_env().content.places


def _languages(args: argparse.Namespace) -> LanguageList:
    """The content's language list (a --dir inside a content folder uses that folder's texts/)."""
    if args.dir is not None:
        return languages_near(pathlib.Path(args.dir).parent / "texts")
    return languages_near(Settings.from_env().content.texts)


def _iso(moment: datetime | None) -> str | None:
    return local(moment).isoformat() if moment is not None else None


def _result(status: PlaceStatus) -> dict[str, Any]:
    place = status.place
    return {
        "id": place.id,
        "name": place.name,
        "address": place.address or None,
        "lat": place.lat,
        "lon": place.lon,
        "distance_m": status.distance_m,
        "open_now": status.open_now,
        "helper_now": status.helper_now,
        "opens_at": _iso(status.opens_at),
        "closes_at": _iso(status.closes_at),
    }


def _moment(raw: str | None) -> datetime:
    if raw is None:
        return datetime.now(TIMEZONE)
    return local(datetime.fromisoformat(raw))


def run_nearest(args: argparse.Namespace) -> int:
    """Prints the nearest places. An unknown place gives location null, no results and a note on stderr.

    A coarse ("9000") or ambiguous ("stationsbuurt") place is answered from its representative point, with a
    note on stderr naming the alternatives; when there is no such point, it is treated like an unknown place.
    """
    if (args.lat is None) != (args.lon is None):
        print("error: --lat and --lon go together", file=sys.stderr)
        return 2
    try:
        at = _moment(args.at)
        directory = PlaceDirectory.load(_data_dir(args), _languages(args))
    except ValueError as exc:
        problems = exc.problems if isinstance(exc, PlacesDataError) else [str(exc)]
        print("error: " + "; ".join(problems), file=sys.stderr)
        return 2
    location: dict[str, Any] | None = None
    point: GeoPoint | None = None
    if args.lat is not None:
        point = GeoPoint(args.lat, args.lon)
        label = directory.locate(point) or f"{args.lat:.5f}, {args.lon:.5f}"
        location = {"label": label, "lat": point.lat, "lon": point.lon}
    else:
        resolution = directory.resolve(args.near)
        if resolution.kind != "point":
            alternatives = ", ".join(resolution.alternatives)
            detail = f" (more precise: {alternatives})" if alternatives else ""
            print(f"note: {args.near!r} is {resolution.kind}{detail}", file=sys.stderr)
        if resolution.point is not None:
            point = resolution.point
            location = {"label": resolution.label, "lat": point.lat, "lon": point.lon}
            if resolution.kind != "point":
                print(f"note: used the point of {resolution.label!r}", file=sys.stderr)
        else:
            print(f"note: could not place {args.near!r}; no results", file=sys.stderr)
    statuses = directory.nearest(point, at, limit=max(args.limit, 0)) if point is not None else []
    if args.json:
        print(
            json.dumps({"location": location, "results": [_result(s) for s in statuses]}, ensure_ascii=False)
        )
    else:
        source = _languages(args).source
        for number, line in enumerate(describe_list(statuses, source, at), start=1):
            print(f"{number} {line}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Prints every problem in the places data; exit status 1 when there is at least one. Then lists the places
    that are placed approximately or not at all (information, not problems)."""
    directory = _data_dir(args)
    problems = check(directory, _languages(args))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"places data OK ({directory})")
    for line in placement(directory):
        print(line)
    return 0
