"""Database engine and transactions: SQLite (WAL, busy timeout, BEGIN IMMEDIATE) or PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


BUSY_TIMEOUT_MS = 30000  # SQLite: how long a writer waits for another process's write transaction


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """Build the engine once per process; SQLite gets WAL and immediate write transactions."""
    if url.startswith("sqlite"):
        # A pool of open connections: closing the last SQLite connection checkpoints the WAL (milliseconds).
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, poolclass=QueuePool,
                               pool_size=pool_size, max_overflow=20, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            # Writers take the lock up front (no deadlocking lock upgrades); readers never wait (WAL).
            options = connection.get_execution_options()
            if options.get("digibuur_begun"):
                return  # storage.conversations.TurnTransaction issued BEGIN IMMEDIATE on the driver already
            if options.get("digibuur_read_only"):
                connection.exec_driver_sql("BEGIN")
            else:
                connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # hide_parameters: an SQL error never carries a resident's number or text into a log line or dead letter
    return create_engine(url, pool_size=pool_size, max_overflow=10, pool_pre_ping=True, pool_recycle=300,
                         hide_parameters=True)


CHECKPOINT_TRIES = 20


def checkpoint_erasure(engine: Engine) -> bool:
    """After erasing personal data on SQLite: copy the WAL into the database file and truncate it, so the
    erased rows' old page images do not stay on disk. True when the WAL is empty now (always on PostgreSQL)."""
    if not is_sqlite(engine):
        return True
    with _writer_lock(engine):
        for attempt in range(CHECKPOINT_TRIES):
            raw = engine.raw_connection()
            try:
                cursor = raw.cursor()
                busy, _log_frames, _done = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                cursor.close()
            finally:
                raw.close()
            if not busy:
                return True
            time.sleep(0.05 * (attempt + 1))  # a reader of another process still uses an old snapshot
    return False


def reader(engine: Engine) -> Engine:
    """The same engine for read-only sessions: on SQLite they start a deferred transaction, so a read never
    waits for a writer (not even one held by the same thread)."""
    return engine.execution_options(digibuur_read_only=True)


_SQLITE_WRITERS: dict[int, threading.RLock] = {}
_REGISTRY_LOCK = threading.Lock()


def _writer_lock(engine: Engine) -> threading.RLock:
    with _REGISTRY_LOCK:
        return _SQLITE_WRITERS.setdefault(id(engine), threading.RLock())


def sqlite_writer_lock(engine: Engine) -> threading.RLock | None:
    """The process's SQLite writer lock (None on PostgreSQL), for callers that must not wait for it."""
    return _writer_lock(engine) if is_sqlite(engine) else None


def writer_lock(engine: Engine) -> threading.RLock | nullcontext[None]:
    """What a writing transaction holds first: on SQLite the process's writer lock, on PostgreSQL nothing."""
    return _writer_lock(engine) if is_sqlite(engine) else nullcontext()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error.

    On SQLite only one writer can work at a time; threads of this process queue on a lock instead of
    sleeping in SQLite's busy handler (other processes still wait through busy_timeout)."""
    with writer_lock(engine), Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def describe_error(exc: BaseException) -> str:
    """An error for logs and dead letters without personal data: for database errors only the first line of the
    server's message (PostgreSQL's DETAIL line quotes key values, e.g. a phone number); never SQL parameters."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        first_line = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else ""
        return f"{type(exc).__name__} ({type(exc.orig).__name__}): {first_line}"[:2000]
    return f"{type(exc).__name__}: {exc}"[:2000]


def is_transient(exc: BaseException) -> bool:
    """The database was unreachable or busy (connection lost, server restarting, lock or pool timeout): the
    same work will succeed later, so the caller should fail and let the provider redeliver."""
    if isinstance(exc, SATimeoutError):
        return True
    if isinstance(exc, DBAPIError):
        return bool(exc.connection_invalidated) or isinstance(exc, (OperationalError, InterfaceError))
    return False


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading only: it never commits, and never takes SQLite's writer lock (a deferred BEGIN, so
    it neither waits for a writer nor blocks one); on PostgreSQL an ordinary transaction, rolled back at the end."""
    with Session(reader(engine), expire_on_commit=False) as session:
        yield session
