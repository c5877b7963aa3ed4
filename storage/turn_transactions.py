"""The two kinds of transaction an inbound turn runs in: `turn_transaction` (locked throughout: SQLite's writer
lock and BEGIN IMMEDIATE, PostgreSQL's row locks) and, on PostgreSQL, `optimistic_turn` (no locks held while the
dialogue runs; the write checks the row versions the read saw). `storage.conversations` runs the turn's statements
in either."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from storage.db import BUSY_TIMEOUT_MS, follow_checkpointer, is_sqlite, sqlite_writer_lock
from storage.turn_sql import TurnCursor


class WriterBusy(Exception):
    """`turn_transaction(engine, wait=False)` would have had to wait: PostgreSQL (its statements wait on the
    network), or on SQLite another thread of this process or another process is writing. Nothing was done."""


class TurnTransaction:
    """One inbound turn's transaction on a pooled connection, without an ORM Session unless one is asked for.

    The same unit of work as `storage.db.transaction` (SQLite: the process's writer lock and BEGIN IMMEDIATE;
    PostgreSQL: the driver's implicit BEGIN and the rows' locks), committed by the caller's context manager
    `turn_transaction`. Most turns run only storage.conversations' statements on the driver cursor; `session` opens an
    ORM Session on the same connection and transaction for the rest (effects, dead letters, duplicates)."""

    def __init__(self, connection: Connection, wait: bool = True, kept: bool = False) -> None:
        self.connection = connection
        self.kept = kept  # the process's kept SQLite turn connection: not returned to the pool after the turn
        self.turn = TurnCursor(connection)
        self._session: Session | None = None
        if not self.turn.postgres:
            self._busy_timeout(BUSY_TIMEOUT_MS if wait else 0)  # 0: WriterBusy rather than sleeping on the loop
            try:
                self.turn.cursor.execute("BEGIN IMMEDIATE")
            except self.turn.errors as exc:
                if not wait and getattr(exc, "sqlite_errorcode", None) in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
                    self._pooled_timeout_back()
                    raise WriterBusy("another process is writing") from exc
                raise DBAPIError.instance("BEGIN IMMEDIATE", None, exc, self.turn.errors,
                                          hide_parameters=True) from exc
            self._pooled_timeout_back()

    def _pooled_timeout_back(self) -> None:
        """A pooled connection goes back with the usual busy timeout: other transactions wait for writers."""
        if not self.kept:
            self._busy_timeout(BUSY_TIMEOUT_MS)

    def _busy_timeout(self, milliseconds: int) -> None:
        """SQLite: how long BEGIN IMMEDIATE waits for another process's write; set only when it changes (the
        connection remembers it: a kept connection serving the event loop keeps 0)."""
        info = self.connection.info
        if info.get("digibuur_busy_timeout", BUSY_TIMEOUT_MS) != milliseconds:
            self.turn.cursor.execute(f"PRAGMA busy_timeout={milliseconds}")
            info["digibuur_busy_timeout"] = milliseconds

    @property
    def session(self) -> Session:
        """An ORM Session inside this transaction (made once, on first use)."""
        if self._session is None:
            # the transaction is open already: the connection's begin event must not issue another BEGIN
            self.connection.execution_options(digibuur_begun=True)
            self._session = Session(bind=self.connection, expire_on_commit=False)
        return self._session

    def commit(self) -> None:
        if self._session is not None:
            self._session.commit()  # flushes, then commits the connection's (that is, this) transaction
        else:
            self.turn.driver("COMMIT", self.turn.dbapi.commit)

    def rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()
        else:
            self.turn.driver("ROLLBACK", self.turn.dbapi.rollback)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        if not self.kept:
            self.connection.close()


@contextmanager
def turn_transaction(engine: Engine, *, wait: bool = True) -> Iterator[TurnTransaction]:
    """One inbound turn as one unit of work: commit on success, roll back on any error (as `db.transaction`).

    `wait=False`: raise WriterBusy instead of waiting for the writer (SQLite: another thread's writer lock or
    another process's write transaction) or for the network (PostgreSQL, always); for callers on an event loop."""
    lock = sqlite_writer_lock(engine)
    if not wait and lock is None:
        raise WriterBusy("PostgreSQL turns wait on the network")
    if lock is not None and not lock.acquire(blocking=wait):
        raise WriterBusy("another thread of this process is writing")
    try:
        kept = _take_kept(engine) if lock is not None else None
        connection = kept.connection if kept is not None else engine.connect()
        try:
            try:
                tx = TurnTransaction(connection, wait, kept=kept is not None)
            except WriterBusy:
                raise
            except BaseException:
                _drop(engine, kept)
                connection.invalidate()  # a failed BEGIN leaves nothing worth keeping in the pool
                raise
            try:
                yield tx
                tx.commit()
            except BaseException:
                try:
                    tx.rollback()
                except Exception:
                    _drop(engine, kept)
                    connection.invalidate()  # the connection is gone or broken: the pool forgets it
                raise
            finally:
                tx.close()
        finally:
            if kept is not None:
                kept.in_use = False
            if kept is None or kept.dropped:
                connection.close()  # back to the pool (an invalidated kept one too: its checkout ends)
    finally:
        if lock is not None:
            lock.release()


@dataclass
class _KeptConnection:
    """SQLite: the connection this process's turns run on, kept checked out of the pool. Turns are one at a time
    under the process's writer lock anyway; taking a pooled connection for each turn cost a checkout, a reset and
    a return, and (with several idle connections) a connection whose page cache another connection's commits had
    made stale. Kept on the engine itself (no registry that would keep engines alive), closed when the engine is
    disposed, dropped after an error. A turn nested in a turn of the same thread takes a pooled one as before."""

    pid: int  # (a forked child does not share its parent's SQLite connection)
    connection: Connection
    in_use: bool = False
    dropped: bool = False


def _take_kept(engine: Engine) -> _KeptConnection | None:
    """The engine's kept turn connection, marked in use (made when there is none usable); None while in use."""
    kept: _KeptConnection | None = getattr(engine, "_digibuur_turn_connection", None)
    if kept is None or kept.pid != os.getpid() or kept.connection.invalidated or kept.connection.closed:
        if not event.contains(engine, "engine_disposed", _close_kept):
            event.listen(engine, "engine_disposed", _close_kept)
        kept = _KeptConnection(os.getpid(), engine.connect())
        engine._digibuur_turn_connection = kept  # type: ignore[attr-defined]
    if kept.in_use:
        return None
    kept.in_use = True
    follow_checkpointer(engine, kept.connection)
    return kept


def _drop(engine: Engine, kept: _KeptConnection | None) -> None:
    """A kept connection that failed is no longer the engine's: the turn gives it back to the pool, invalidated."""
    if kept is not None:
        kept.dropped = True
        if getattr(engine, "_digibuur_turn_connection", None) is kept:
            engine._digibuur_turn_connection = None  # type: ignore[attr-defined]


def _close_kept(engine: Engine) -> None:
    kept: _KeptConnection | None = getattr(engine, "_digibuur_turn_connection", None)
    engine._digibuur_turn_connection = None  # type: ignore[attr-defined]
    if kept is not None and kept.pid == os.getpid() and not kept.connection.closed:
        kept.connection.invalidate()  # the driver connection closed now (the pool it came from is disposed already)
        kept.connection.close()


class TurnConflict(Exception):
    """An `optimistic_turn` wrote nothing: the contact or its conversation changed since `start_turn` read them
    (another turn of the same resident, a helper, a job). Read and run the turn again."""


class OptimisticTurn:
    """PostgreSQL: one inbound turn without a transaction held while the dialogue runs. `start_turn` reads (its
    own transaction: the driver is in autocommit mode) the state with the contact's and conversation's row versions;
    a turn without effects is then one more round trip, `finish_turn`, which writes only if both rows are still
    those versions (else TurnConflict): no BEGIN and COMMIT round trips. A turn that needs more (effects, a
    duplicate, the throttle, the loop guard, an error) is locked at its first other statement or ORM Session
    (`lock`): BEGIN, then both rows locked FOR UPDATE if still those versions (else TurnConflict), and from there
    it is a locked turn's transaction, committed when the turn ends."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.turn = TurnCursor(connection)
        self.versions: tuple[str | None, str | None] | None = None  # the contact's and conversation's, once read
        self.contact_id = 0  # the contact start_turn read
        self.locked = False
        self._session: Session | None = None

    def version_params(self) -> dict[str, Any]:
        """The contact and the row versions start_turn read, as the checking statements' parameters."""
        if self.versions is None:
            raise RuntimeError("an optimistic turn writes only what start_turn read")
        return {"contact_id": self.contact_id, "contact_version": self.versions[0],
                "conversation_version": self.versions[1]}

    def lock(self) -> TurnCursor:
        """The turn's transaction from here: BEGIN, and the contact and conversation rows locked as they were read
        (TurnConflict if either changed since)."""
        if not self.locked:
            self.turn.driver("BEGIN", lambda: self.turn.cursor.execute("BEGIN"))
            self.locked = True
            if not self.turn.execute("lock_turn", self.version_params()).fetchone()[0]:
                raise TurnConflict("the contact or its conversation changed since the turn read them")
        return self.turn

    @property
    def session(self) -> Session:
        """An ORM Session in the turn's transaction (locked first)."""
        if self._session is None:
            self.lock()
            self._session = Session(bind=self.connection, expire_on_commit=False)
        return self._session

    def commit(self) -> None:
        if self._session is not None:
            self._session.commit()
        elif self.locked:
            self.turn.driver("COMMIT", self.turn.dbapi.commit)

    def rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()
        elif self.locked:
            self.turn.driver("ROLLBACK", self.turn.dbapi.rollback)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()


@contextmanager
def optimistic_turn(engine: Engine) -> Iterator[OptimisticTurn]:
    """A PostgreSQL turn without locks held while the dialogue runs (see OptimisticTurn): committed on success
    (only a locked one has anything left to commit), rolled back on any error; the connection goes back to the
    pool in the driver's usual mode."""
    if not optimistic(engine):
        raise ValueError("SQLite turns run one at a time under the writer lock: use turn_transaction")
    connection = engine.connect()
    try:
        turn = OptimisticTurn(connection)
        turn.turn.dbapi.autocommit = True
        try:
            yield turn
            turn.commit()
        except BaseException:
            try:
                turn.rollback()
            except Exception:
                connection.invalidate()  # the connection is gone or broken: the pool forgets it
            raise
        finally:
            turn.close()
    finally:
        try:
            if not connection.invalidated:
                connection.connection.dbapi_connection.autocommit = False  # type: ignore[union-attr]
        except connection.dialect.loaded_dbapi.Error:
            connection.invalidate()  # broken meanwhile: the pool forgets it
        connection.close()


def optimistic(engine: Engine) -> bool:
    """Whether turns on this engine run as `optimistic_turn`s (PostgreSQL)."""
    return not is_sqlite(engine)
