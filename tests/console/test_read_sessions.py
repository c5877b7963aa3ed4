"""Read-only work never takes SQLite's writer lock: console pages and /metrics answer while another connection
holds it, and a write waits for it (storage.db.read_session against storage.db.transaction)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.runtime import Deps
from storage import audit_log, reports
from storage.db import read_session, transaction
from storage.types import utcnow
from tests.console.conftest import add_user, login

QUICK = 10.0  # seconds: far below the 30 s busy timeout a page would wait if it wanted the writer lock
READ_ONLY_PAGES = (
    "/console",
    "/console/problems",
    "/console/unmatched",
    "/console/audit",
    "/console/organisations",
    "/console/broadcasts",
    "/console/translations",
    "/console/guides",
    "/console/places",
    "/console/history/organisations/organisations.yaml",
)


def _sqlite_file(deps: Deps) -> str:
    if deps.db.dialect.name != "sqlite":
        pytest.skip("the writer lock is SQLite's")
    database = deps.db.url.database
    assert database
    return database


@contextmanager
def _writer_lock_held(path: str) -> Iterator[sqlite3.Connection]:
    """Another connection (as another process would) holds the writer lock until the block ends."""
    other = sqlite3.connect(path, timeout=1, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


def _within(seconds: float, work: Callable[[], Any]) -> tuple[bool, Any]:
    """(finished in time, its result); the work goes on in its thread when it did not finish."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = work()
        except BaseException as exc:  # reported to the test below
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if "error" in result:
        raise result["error"]
    return not thread.is_alive(), result.get("value")


def test_console_pages_and_metrics_answer_while_a_writer_holds_the_lock(staff_client: TestClient,
                                                                        live_deps: Deps) -> None:
    path = _sqlite_file(live_deps)
    for page in READ_ONLY_PAGES:  # warm up: first loads may write caches, and the pages must exist
        assert staff_client.get(page).status_code == 200, page
    with _writer_lock_held(path):
        for page in (*READ_ONLY_PAGES, "/metrics"):
            done, response = _within(QUICK, lambda page=page: staff_client.get(page))
            assert done, f"{page} waited for the writer lock"
            assert response.status_code == 200, page
        assert "digibuur_messages" in staff_client.get("/metrics").text


def test_helper_pages_answer_while_a_writer_holds_the_lock(app_client: TestClient, live_deps: Deps) -> None:
    path = _sqlite_file(live_deps)
    add_user(live_deps, "anna@beego.be", "helper", organisation="beego")
    assert login(app_client, "anna@beego.be").status_code == 303
    pages = ("/helpers", "/helpers?scope=mine", "/helpers/telegram")
    for page in pages:
        assert app_client.get(page).status_code == 200, page
    with _writer_lock_held(path):
        for page in pages:
            done, response = _within(QUICK, lambda page=page: app_client.get(page))
            assert done, f"{page} waited for the writer lock"
            assert response.status_code == 200, page


def test_a_write_waits_for_the_lock_and_a_read_session_does_not(live_deps: Deps) -> None:
    path = _sqlite_file(live_deps)

    def write() -> None:
        with transaction(live_deps.db) as session:
            audit_log.record(session, "test", "lock.probe", "", utcnow())

    def read() -> int:
        with read_session(live_deps.db) as session:
            return reports.inbound_count(session)

    with _writer_lock_held(path):
        done, count = _within(QUICK, read)
        assert done and count == 0
        written, _ = _within(0.5, write)
        assert not written, "a write went ahead while another connection held the writer lock"
    # the lock is released: the waiting write goes through
    with read_session(live_deps.db) as session:
        for _ in range(100):
            if any(row.action == "lock.probe" for row in audit_log.newest(session, 5)):
                break
            threading.Event().wait(0.05)
            session.rollback()  # a new snapshot
        assert any(row.action == "lock.probe" for row in audit_log.newest(session, 5))
