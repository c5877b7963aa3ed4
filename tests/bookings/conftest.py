"""Booking test fixtures: the service on a named backend (SQLite, PostgreSQL) for the races."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.library import Library
from bot.service import Deps
from bot.settings import ContentPaths, Settings
from bot.wiring import build_deps
from handoff.organisations import load_organisations
from tests.conftest import Clock, new_database_url


@pytest.fixture(params=["sqlite", "postgres"])
def backend_deps(request: pytest.FixtureRequest, tmp_path: Path, library: Library, shipped: ContentPaths,
                 clock: Clock) -> Iterator[Deps]:
    url = new_database_url(tmp_path, request.param)
    built = build_deps(replace(Settings.from_env({}), database_url=url, run_scheduler=False))
    organisations = load_organisations(shipped.organisations)
    built.library = lambda: library
    built.organisations = lambda: organisations
    built.clock = clock
    built.on_ticket_opened.clear()
    built.on_ticket_message.clear()
    yield built
    built.db.dispose()
