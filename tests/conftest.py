"""Shared fixtures: a fresh database per test (SQLite file, or PostgreSQL when DIGIBUUR_TEST_DATABASE_URL is set),
the shipped content, and a service with a fixed clock."""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.content.library import Library
from bot.runtime import Deps, build_deps
from bot.settings import ContentPaths, Settings
from handoff.organisations import load_organisations
from storage.migrate import upgrade

BRUSSELS = ZoneInfo("Europe/Brussels")
ROOT = Path(__file__).resolve().parent.parent
PG_ENV = "DIGIBUUR_TEST_DATABASE_URL"
PG_ONLY_ENV = "DIGIBUUR_TEST_POSTGRES_URL"
_template_ready: set[str] = set()


def postgres_admin_url() -> str | None:
    raw = os.environ.get(PG_ENV) or os.environ.get(PG_ONLY_ENV)
    if not raw or not raw.startswith("postgres"):
        return None
    return Settings.from_env({"DATABASE_URL": raw}).database_url


def template_name() -> str:
    """The migrated template's name, unique to this checkout and its migrations: several checkouts (branches with
    other migrations) may share one PostgreSQL server without cloning each other's schema."""
    digest = hashlib.sha1(str(ROOT).encode())
    for path in sorted((ROOT / "storage" / "migrations" / "versions").glob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    shard = os.environ.get("DIGIBUUR_TEST_SHARD", "")  # parallel test processes: one template each
    return f"digibuur_test_template_{digest.hexdigest()[:12]}{'_' + shard if shard.isdigit() else ''}"


def fresh_postgres_database(admin_url: str) -> str:
    """A new database cloned from a migrated template (fast: CREATE DATABASE ... TEMPLATE)."""
    url = make_url(admin_url)
    template = template_name()
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if admin_url not in _template_ready:
            conn.execute(text(f"DROP DATABASE IF EXISTS {template}"))
            conn.execute(text(f"CREATE DATABASE {template}"))
            upgrade(url.set(database=template).render_as_string(hide_password=False))
            _template_ready.add(admin_url)
        name = f"digibuur_t_{uuid.uuid4().hex[:12]}"
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {template}"))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def new_database_url(tmp_path: Path, backend: str = "default") -> str:
    admin = postgres_admin_url()
    if backend == "postgres" or (backend == "default" and os.environ.get(PG_ENV)):
        if admin is None:
            pytest.skip("no PostgreSQL: set DIGIBUUR_TEST_POSTGRES_URL (CI does)")
        return fresh_postgres_database(admin)
    url = f"sqlite:///{tmp_path / 'digibuur-test.db'}"
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def shipped() -> ContentPaths:
    return ContentPaths.shipped()


@pytest.fixture(scope="session")
def library(shipped: ContentPaths) -> Library:
    return Library.load(shipped)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return new_database_url(tmp_path)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return replace(Settings.from_env({}), database_url=db_url, run_scheduler=False)


class Clock:
    """A settable clock for the service (the engine itself never reads a clock)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    # a Thursday, 10:30 in Ghent: most Digipunten are open
    return Clock(datetime(2026, 11, 26, 10, 30, tzinfo=BRUSSELS))


@pytest.fixture
def deps(settings: Settings, library: Library, shipped: ContentPaths, clock: Clock) -> Iterator[Deps]:
    built = wired_for_tests(build_deps(settings), library, shipped, clock)
    yield built
    built.db.dispose()


def wired_for_tests(built: Deps, library: Library, shipped: ContentPaths, clock: Clock) -> Deps:
    """Deps on the shipped content and organisations and the fixed clock, without ticket hooks (tests add the
    ones they exercise; tests/handoff/test_wiring.py checks what build_deps wires)."""
    organisations = load_organisations(shipped.organisations)
    built.library = lambda: library
    built.organisations = lambda: organisations
    built.clock = clock
    built.on_ticket_opened.clear()
    built.on_ticket_message.clear()
    return built


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With DIGIBUUR_TEST_DATABASE_URL (the PostgreSQL run of CI), run only the tests that use the database
    fixture: the others do not depend on the backend and ran in the SQLite run (tests that name their backends,
    sqlite and postgres, ran there too). DIGIBUUR_TEST_ALL=1 runs everything anyway."""
    if not os.environ.get(PG_ENV) or os.environ.get("DIGIBUUR_TEST_ALL") == "1":
        return
    kept = [item for item in items if "db_url" in getattr(item, "fixturenames", ())]
    skipped = [item for item in items if item not in kept]
    if skipped:
        config.hook.pytest_deselected(items=skipped)
        items[:] = kept
