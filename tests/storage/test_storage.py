"""Storage on SQLite and PostgreSQL: migrations, aware datetimes, dedupe, and concurrent writers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from sqlmodel import Session, func, select

from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle
from storage.db import make_engine, transaction
from storage.migrate import alembic_config, check, upgrade
from storage.models import Contact, Conversation, Message
from tests.conftest import new_database_url

ROOT = Path(__file__).resolve().parents[2]
BACKENDS = ["sqlite", "postgres"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_migrations_match_models(tmp_path: Path, backend: str) -> None:
    url = new_database_url(tmp_path, backend)
    check(url)  # raises when models and migrations drift


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_reply_and_provider_indexes_hold_only_rows_that_have_one(tmp_path: Path, backend: str) -> None:
    # migration 0008: the indexes on reply_to_id and provider_id hold only rows that have one, and the lookups
    # by value use them
    url = new_database_url(tmp_path, backend)
    engine = make_engine(url)
    with engine.connect() as connection:
        if backend == "sqlite":
            rows = connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'message'").all()
        else:
            rows = connection.exec_driver_sql(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'message'").all()
        definitions = {name: sql for name, sql in rows}
        for column in ("reply_to_id", "provider_id"):
            assert f"{column} IS NOT NULL" in definitions[f"ix_message_{column}"].replace("(", "").replace(")", "")
        if backend == "sqlite":
            for sql, index in (("SELECT id FROM message WHERE provider_id = 'SM1'", "ix_message_provider_id"),
                               ("SELECT id FROM message WHERE reply_to_id IN (1, 2)", "ix_message_reply_to_id")):
                plan = " ".join(row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
                assert index in plan, plan
    engine.dispose()


def test_the_open_turn_function_comes_and_goes_with_its_migration(tmp_path: Path) -> None:
    # migration 0009 (PostgreSQL only): digibuur_open_turn after the upgrade, gone after a downgrade to 0008
    url = new_database_url(tmp_path, "postgres")
    engine = make_engine(url)
    count = "SELECT count(*) FROM pg_proc WHERE proname = 'digibuur_open_turn'"
    with engine.connect() as connection:
        assert connection.exec_driver_sql(count).scalar_one() == 1
    command.downgrade(alembic_config(url), "0008_message_partial_indexes")
    with engine.connect() as connection:
        assert connection.exec_driver_sql(count).scalar_one() == 0
    upgrade(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql(count).scalar_one() == 1
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_datetimes_come_back_aware(tmp_path: Path, backend: str) -> None:
    url = new_database_url(tmp_path, backend)
    engine = make_engine(url)
    with transaction(engine) as session:
        session.add(Contact(channel="sms", address="+32470000009", stats_key="k"))
    with Session(engine) as session:
        contact = session.exec(select(Contact)).one()
        assert contact.created_at.tzinfo is not None
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_processes_same_conversation(tmp_path: Path, backend: str) -> None:
    """Two processes writing to one conversation at once: every message kept, no lost update, no lock error."""
    url = new_database_url(tmp_path, backend)
    count = 25
    procs = [
        subprocess.Popen([sys.executable, str(ROOT / "tests" / "storage" / "writer.py"), url, tag, str(count)],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        for tag in ("a", "b")
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, err[-2000:]
        assert "database is locked" not in err
    engine = make_engine(url)
    with Session(engine) as session:
        inbound = session.exec(select(func.count()).select_from(Message).where(Message.direction == "in")).one()
        conversation = session.exec(select(Conversation)).one()
        assert inbound == 2 * count
        assert conversation.turns == 2 * count, "a concurrent update was lost"
    engine.dispose()


def test_repeat_delivery_changes_nothing(deps: Deps) -> None:
    inbound = Inbound(address=Address("sms", "+32470000002"), text="menu", received_at=deps.clock(),
                      external_id="SM-repeat-1")
    first = handle(inbound, deps)
    with Session(deps.db) as session:
        before = session.exec(select(func.count()).select_from(Message)).one()
        state_before = session.exec(select(Conversation)).one().state
    second = handle(inbound, deps)
    assert second.duplicate and not first.duplicate
    assert [r.text for r in second.replies] == [r.text for r in first.replies]
    assert [r.options for r in second.replies] == [r.options for r in first.replies]
    with Session(deps.db) as session:
        assert session.exec(select(func.count()).select_from(Message)).one() == before
        assert session.exec(select(Conversation)).one().state == state_before


def test_state_survives_a_new_process(deps: Deps, settings: object) -> None:
    """A conversation continues in a fresh set of dependencies (as after a restart)."""
    from bot.runtime import build_deps

    handle(Inbound(address=Address("sms", "+32470000003"), text="menu", received_at=deps.clock()), deps)
    handle(Inbound(address=Address("sms", "+32470000003"), text="2", received_at=deps.clock()), deps)
    fresh = build_deps(deps.settings)
    fresh.library, fresh.organisations, fresh.clock = deps.library, deps.organisations, deps.clock
    result = handle(Inbound(address=Address("sms", "+32470000003"), text="1", received_at=deps.clock()), fresh)
    assert "Welke gsm heb je?" in result.replies[0].text
    fresh.db.dispose()
