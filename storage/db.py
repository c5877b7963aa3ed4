"""Database engine and transactions: SQLite (WAL, busy timeout, BEGIN IMMEDIATE) or PostgreSQL."""

from __future__ import annotations

import logging
import select
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session, create_engine

log = logging.getLogger("digibuur.db")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


BUSY_TIMEOUT_MS = 30000  # SQLite: how long a writer waits for another process's write transaction


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """Build the engine once per process; SQLite gets WAL and immediate write transactions."""
    if url.startswith("sqlite"):
        # A pool of open connections: closing the last SQLite connection checkpoints the WAL (milliseconds). LIFO:
        # the connection used last has a current page cache (another connection's commit empties it).
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, poolclass=QueuePool,
                               pool_size=pool_size, max_overflow=20, pool_use_lifo=True, hide_parameters=True)

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
                return  # storage.turn_transactions.TurnTransaction issued BEGIN IMMEDIATE on the driver already
            if options.get("digibuur_read_only"):
                connection.exec_driver_sql("BEGIN")
            else:
                connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # hide_parameters: an SQL error never carries a resident's number or text into a log line or dead letter
    engine = create_engine(url, pool_size=pool_size, max_overflow=10, pool_recycle=300, hide_parameters=True)
    event.listen(engine, "checkout", _server_still_there)
    return engine


def _server_still_there(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """PostgreSQL's pre-ping without a round trip: a pooled connection the server has closed (restart,
    pg_terminate_backend, idle timeout) has something to read, its closing message or the end of the stream,
    where an idle healthy one has nothing. Raising DisconnectionError makes the pool drop it and connect
    again (SQLAlchemy's pool_pre_ping sent a query instead: one network round trip on every checkout)."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection is closed")
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    if poller.poll(0):
        raise DisconnectionError("the server wrote to an idle connection: it is closing it")


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


CHECKPOINT_EVERY_S = 0.25  # the web process's WAL checkpoint interval (SQLite's default: at 1000 pages ~ 4 MB)


class WalCheckpointer:
    """SQLite: WAL checkpoints in a background thread instead of in a committing transaction.

    SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL past 1000 pages: copying the pages
    into the database file and its fsync, milliseconds to tens of milliseconds, inside whichever turn commits
    then (in the web process: on the event loop, stalling every request). `start` switches the automatic
    checkpoint off on the engine's connections (each as it is checked out) and runs `PRAGMA
    wal_checkpoint(PASSIVE)` every CHECKPOINT_EVERY_S in a daemon thread; the driver releases the GIL while
    SQLite works, and a passive checkpoint never blocks a writer or reader. The WAL stays as bounded as before:
    a passive checkpoint is what the automatic one runs, only more often. Commits are unchanged (a turn's COMMIT
    is in the WAL before its answer); a forget-me's TRUNCATE checkpoint (`checkpoint_erasure`) is separate."""

    def __init__(self, engine: Engine, every_s: float = CHECKPOINT_EVERY_S) -> None:
        self.engine = engine
        self.every_s = every_s
        self.runs = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> WalCheckpointer:
        if not is_sqlite(self.engine) or self._thread is not None:
            return self
        if not event.contains(self.engine, "checkout", _no_autocheckpoint):
            event.listen(self.engine, "checkout", _no_autocheckpoint)
        self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout=10)
        self._thread = None
        # (two apps on one engine, as in tests: the first to stop has removed the shared listener already)
        if event.contains(self.engine, "checkout", _no_autocheckpoint):
            event.remove(self.engine, "checkout", _no_autocheckpoint)

    def checkpoint(self) -> None:
        raw = self.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            cursor.close()
        finally:
            raw.close()
        self.runs += 1

    def _run(self) -> None:
        while not self._stop.wait(self.every_s):
            try:
                self.checkpoint()
            except Exception as exc:  # the database is busy or gone for a moment: the next round tries again
                log.warning("WAL checkpoint failed: %s", describe_error(exc))


def _no_autocheckpoint(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    _autocheckpoint_off(dbapi_connection, record.info)


def _autocheckpoint_off(dbapi_connection: Any, info: dict[Any, Any]) -> None:
    if not info.get("digibuur_no_autocheckpoint"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()
        info["digibuur_no_autocheckpoint"] = True


def follow_checkpointer(engine: Engine, connection: Any) -> None:
    """A connection kept checked out (storage.conversations' turn connection) gets the checkout's setting: no
    automatic checkpoint while a WalCheckpointer runs, also when it started after the connection was taken."""
    if not connection.info.get("digibuur_no_autocheckpoint") and event.contains(engine, "checkout", _no_autocheckpoint):
        _autocheckpoint_off(connection.connection.dbapi_connection, connection.info)


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
