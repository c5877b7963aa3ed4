"""Booking test fixtures: the service on a named backend (SQLite, PostgreSQL) for the races."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.content.library import Library
from bot.runtime import Deps, build_deps
from bot.settings import ContentPaths, Settings
from tests.conftest import Clock, new_database_url, wired_for_tests


@pytest.fixture(params=["sqlite", "postgres"])
def backend_deps(request: pytest.FixtureRequest, tmp_path: Path, library: Library, shipped: ContentPaths,
                 clock: Clock) -> Iterator[Deps]:
    url = new_database_url(tmp_path, request.param)
    built = wired_for_tests(build_deps(replace(Settings.from_env({}), database_url=url, run_scheduler=False)),
                            library, shipped, clock)
    yield built
    built.db.dispose()
