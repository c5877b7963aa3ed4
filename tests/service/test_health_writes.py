"""/healthz writes a heartbeat row: a database that still reads but refuses writes (disk full, read-only) is 503,
and the probe's row never passes for the scheduler's heartbeat."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session

from bot.app import WRITE_PROBE, create_app, health
from bot.runtime import Deps
from storage.db import is_sqlite, transaction
from storage.models import JobRun

SQLITE_REFUSE = [
    "CREATE TRIGGER refuse_insert BEFORE INSERT ON jobrun BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    "CREATE TRIGGER refuse_update BEFORE UPDATE ON jobrun BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
]
POSTGRES_REFUSE = [
    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left'; "
    "END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON jobrun FOR EACH ROW EXECUTE FUNCTION refuse()",
]


def refuse_writes(deps: Deps) -> None:
    with deps.db.begin() as connection:
        for statement in SQLITE_REFUSE if is_sqlite(deps.db) else POSTGRES_REFUSE:
            connection.execute(text(statement))


def test_healthz_is_503_when_writes_fail(deps: Deps) -> None:
    with TestClient(create_app(deps.settings, deps, scheduler=False)) as client:
        ok = client.get("/healthz")
        assert ok.status_code == 200 and ok.json()["checks"]["database_write"] == "ok"
        refuse_writes(deps)
        broken = client.get("/healthz")
    assert broken.status_code == 503
    assert broken.json()["checks"]["database"] == "ok"  # reading still works
    assert any("writes fail" in problem for problem in broken.json()["problems"])


def test_the_probe_row_is_not_the_scheduler_heartbeat(deps: Deps) -> None:
    now = deps.clock()
    with transaction(deps.db) as session:
        session.add(JobRun(name="drain_outbox", last_run_at=now - timedelta(minutes=30)))
    assert health(deps, True).status_code == 503  # writes the probe row, yet the scheduler is stale
    with Session(deps.db) as session:
        assert session.get(JobRun, WRITE_PROBE) is not None
    assert health(deps, False).status_code == 200
