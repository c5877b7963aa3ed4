"""Browser test fixtures: the real app served by uvicorn in a thread (temporary SQLite, fixed clock) and
Debian's Chromium driven by Playwright. Everything skips when /usr/bin/chromium is missing."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

CHROMIUM = Path(os.environ.get("DIGIBUUR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STAFF = ("staff@gent.be", "staff password 1")
HELPER = ("anna@beego.be", "helper password 1")
# a Thursday, 10:30 in Ghent: most Digipunten are open (the server's clock stands still here)
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"no {CHROMIUM}: browser tests skipped")


@dataclass
class Served:
    """A running app: its base URL and the service deps (to seed data or look into the database)."""

    url: str
    deps: Any


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    require_chromium()
    import uvicorn

    from bot.app import create_app
    from bot.console.passwords import create_user
    from bot.runtime import build_deps
    from bot.settings import Settings
    from storage.db import transaction

    url = f"sqlite:///{tmp_path / 'browser.db'}"
    settings = replace(Settings.from_env({}), database_url=url, run_scheduler=False)
    deps = build_deps(settings, migrate=True)
    deps.clock = lambda: NOW
    with transaction(deps.db) as session:
        create_user(session, STAFF[0], STAFF[1], "staff")
        create_user(session, HELPER[0], HELPER[1], "helper", organisation="beego")
    app = create_app(settings, deps, scheduler=False)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield Served(f"http://127.0.0.1:{port}", deps)
    server.should_exit = True
    thread.join(timeout=10)
    deps.db.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    require_chromium()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.set_default_timeout(60_000)  # a content save rebuilds the library (seconds on a busy 2-core CI box)
    pytest.importorskip("playwright.sync_api").expect.set_options(timeout=30_000)
    opened = context.new_page()
    yield opened
    context.close()


def log_in(page: Any, served: Served, account: tuple[str, str] = STAFF, start: str = "/console") -> None:
    page.goto(served.url + start)
    page.get_by_label("E-mailadres").fill(account[0])
    page.get_by_label("Wachtwoord").fill(account[1])
    page.locator("#login").click()
    page.wait_for_load_state()
