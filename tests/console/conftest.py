"""Fixtures for the console tests: the real app on a fresh database with live content, users, a logged-in client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.console.passwords import create_user
from bot.runtime import Deps, build_deps
from bot.settings import Settings
from storage.db import transaction

PASSWORD = "correct horse battery"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def live_deps(settings: Settings, clock: Any) -> Iterator[Deps]:
    """Service deps with LiveContent (so staff revisions take effect) and the test clock."""
    built = build_deps(settings)
    built.clock = clock
    yield built
    built.db.dispose()


@pytest.fixture
def app_client(settings: Settings, live_deps: Deps) -> Iterator[TestClient]:
    app = create_app(settings, live_deps, scheduler=False)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def add_user(deps: Deps, email: str, role: str, organisation: str | None = None) -> int:
    with transaction(deps.db) as session:
        user = create_user(session, email, PASSWORD, role, organisation=organisation)
        assert user.id is not None
        return user.id


def csrf_token(client: TestClient, path: str = "/console/login") -> str:
    page = client.get(path)
    found = _TOKEN.search(page.text)
    assert found, f"no CSRF token on {path}: {page.status_code}"
    return found.group(1)


def login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    token = csrf_token(client)
    return client.post("/console/login", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def staff_client(app_client: TestClient, live_deps: Deps) -> TestClient:
    add_user(live_deps, "staff@gent.be", "staff")
    response = login(app_client, "staff@gent.be")
    assert response.status_code == 303, response.text
    return app_client
