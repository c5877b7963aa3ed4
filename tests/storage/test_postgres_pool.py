"""PostgreSQL's pool notices a connection the server closed without a query (storage.db._server_still_there)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from storage import conversations, turn_transactions
from storage.db import make_engine
from tests.conftest import new_database_url

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def _backend_pid(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar())


def test_a_connection_the_server_ended_is_replaced_before_a_turn_uses_it(tmp_path: Path) -> None:
    url = new_database_url(tmp_path, "postgres")
    engine = make_engine(url, pool_size=1)
    other = make_engine(url, pool_size=1)
    try:
        pooled = _backend_pid(engine)
        assert _backend_pid(engine) == pooled  # the pool keeps the connection between checkouts
        with other.connect() as admin:
            assert admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pooled}).scalar()
        deadline = time.monotonic() + 10
        with other.connect() as admin:
            while admin.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"),
                                {"pid": pooled}).scalar() and time.monotonic() < deadline:
                time.sleep(0.02)
        with turn_transactions.turn_transaction(engine) as tx:  # no error: the ended connection is not handed out
            contact = conversations.lock_contact(tx, "sms", "+32470000010", "key", NOW)
        assert contact.id
        assert _backend_pid(engine) != pooled
    finally:
        engine.dispose()
        other.dispose()


def test_a_healthy_idle_connection_is_kept(tmp_path: Path) -> None:
    engine = make_engine(new_database_url(tmp_path, "postgres"), pool_size=1)
    try:
        pids = {_backend_pid(engine) for _ in range(5)}
        time.sleep(0.2)
        pids.add(_backend_pid(engine))
        assert len(pids) == 1
    finally:
        engine.dispose()
