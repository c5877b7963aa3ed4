"""Shared fixtures for the places tests: the shipped directory, loaded once."""

from __future__ import annotations

import pytest

from places.directory import PlaceDirectory
from tests.places.places_testing import DATA


@pytest.fixture(scope="session")
def directory() -> PlaceDirectory:
    return PlaceDirectory.load(DATA)
