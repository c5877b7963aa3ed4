"""Digipunt finder: places, opening hours and closures, gazetteer (text -> point), nearest open place."""

from places.check import check
from places.describe import describe_list, describe_place, hours_in_words
from places.directory import PlaceDirectory
from places.model import Closure, Place, PlaceStatus, Resolution
from places.moments import parse_moment

__all__ = [
    "Closure",
    "Place",
    "PlaceDirectory",
    "PlaceStatus",
    "Resolution",
    "check",
    "describe_list",
    "describe_place",
    "hours_in_words",
    "parse_moment",
]
