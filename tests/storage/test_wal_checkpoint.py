"""The web process's WAL checkpoints run in a background thread, not in a committing transaction."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import text

from storage.db import WalCheckpointer, make_engine, transaction


def _autocheckpoint(engine: object) -> int:
    with engine.connect() as connection:  # type: ignore[attr-defined]
        return int(connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar())


def test_checkpoints_move_to_a_thread_and_the_wal_stays_bounded(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with transaction(engine) as session:
        session.exec(text("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)"))  # type: ignore[call-overload]
    assert _autocheckpoint(engine) == 1000  # SQLite's default before
    checkpointer = WalCheckpointer(engine, every_s=0.05).start()
    try:
        assert _autocheckpoint(engine) == 0  # commits never checkpoint now
        wal = tmp_path / "wal.db-wal"
        largest = 0
        for _ in range(60):  # ~60 x 40 pages: without any checkpoint the WAL would grow past 2,400 pages
            with transaction(engine) as session:
                for _ in range(40):
                    session.exec(text("INSERT INTO filler (body) VALUES (:b)").bindparams(b="x" * 4000))  # type: ignore[call-overload]
            largest = max(largest, wal.stat().st_size)
            # wait for the thread's next round (its interval, as in service), not a fixed sleep: on a loaded
            # machine the thread may be scheduled late, and the bound below is about checkpoints, not scheduling
            before = checkpointer.runs
            deadline = time.monotonic() + 5
            while checkpointer.runs <= before and time.monotonic() < deadline:
                time.sleep(0.005)
            assert checkpointer.runs > before, "the checkpoint thread did not run within 5 s"
        assert checkpointer.runs >= 60
        assert largest < 1000 * 4096  # without the thread: ~10 MB; SQLite's own checkpoint starts at 1000 pages
    finally:
        checkpointer.stop()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT COUNT(*) FROM filler").scalar() == 2400
    engine.dispose()


def test_does_nothing_on_a_second_start_or_stop(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    checkpointer = WalCheckpointer(engine, every_s=0.05)
    checkpointer.stop()
    checkpointer.start().start()
    checkpointer.stop()
    checkpointer.stop()
    engine.dispose()


def test_two_checkpointers_on_one_engine_start_and_stop_in_any_order(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'two.db'}")
    first = WalCheckpointer(engine, every_s=0.01).start()
    second = WalCheckpointer(engine, every_s=0.01).start()
    first.stop()
    second.stop()  # the shared listener is gone already: no error
