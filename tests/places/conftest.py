"""Shared fixtures for the places tests: the shipped directory, loaded once."""

from __future__ import annotations

import pytest
from places_testing import DATA

from places.directory import PlaceDirectory


@pytest.fixture(scope="session")
def directory() -> PlaceDirectory:
    return PlaceDirectory.load(DATA)
