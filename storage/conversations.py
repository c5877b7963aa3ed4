"""The hot path's conversation storage: one inbound turn in a few plain driver statements (upsert the contact,
lock its conversation, dedupe, recent messages, log messages, write the state), on SQLite and PostgreSQL.

Every function runs inside the caller's Session transaction (its connection: on SQLite the BEGIN IMMEDIATE
writer lock, on PostgreSQL row locks) and does not commit. The statements go straight to the driver cursor:
for the few statements of a turn, SQLAlchemy's statement and ORM machinery cost more than the database. On
PostgreSQL, where each statement is a network round trip, a turn without effects (or with only the effects
`ContactUpdates` writes: the contact's language, the news offer shown) is two between the driver's
BEGIN and COMMIT: `start_turn` (the contact's upsert and the reads, in a database function) and `finish_turn`; and
in an `optimistic_turn` (the service's first try there) it is those two alone, each its own transaction, the
write checked against the row versions the read saw."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from storage.db import BUSY_TIMEOUT_MS, follow_checkpointer, is_sqlite, sqlite_writer_lock
from storage.outbound import NEWS_OFFER
from storage.types import as_utc

NO_OUTBOUND: dict[str, Any] = {"news": False, "follow": [], "offered_at": None}


@dataclass(frozen=True)
class ContactRow:
    """The sender's contact row, locked for this transaction."""

    id: int
    language: str
    opted_out: bool

    @classmethod
    def of(cls, row: Any) -> ContactRow:
        """From a row that starts with the contact's id, language and opted_out."""
        return cls(id=int(row[0]), language=str(row[1] or ""), opted_out=bool(row[2]))


@dataclass(frozen=True)
class Opening:
    """What a turn reads once the contact is locked: the conversation (None when it has no row yet), whether
    this external id was stored already, whether the contact has any subscription row, and (when asked for)
    its newest inbound messages since a moment, (received, text) newest first."""

    state: dict[str, Any] | None
    turns: int
    duplicate_of: int | None
    subscribed: bool
    recent: tuple[tuple[datetime, str], ...] = ()


_PARAM = re.compile(r":([a-z_]+)")

# the parts a turn's reading statements share
_DEDUPE = "(SELECT id FROM message WHERE channel = :channel AND external_id = :external_id)"
_SUBSCRIBED = "EXISTS (SELECT 1 FROM subscription WHERE contact_id = :contact_id)"
_RECENT = ("SELECT {columns} FROM message WHERE contact_id = :contact_id AND direction = 'in' "
           "AND created_at >= :since ORDER BY id DESC LIMIT :limit")

_OFFER_COLUMNS = "subscription (contact_id, kind, place_id, language, wording, created_at, ended_at, end_reason)"
_OFFER_VALUES = f"'{NEWS_OFFER}', '', :offer_language, :offer_wording, :now, :now, 'offer'"  # shown, closed at once

_SQL: dict[str, str] = {
    "upsert_contact": (
        "INSERT INTO contact (channel, address, stats_key, language, opted_out, last_inbound_at, created_at) "
        "VALUES (:channel, :address, :stats_key, '', :no, :now, :now) "
        "ON CONFLICT (channel, address) DO UPDATE SET last_inbound_at = excluded.last_inbound_at "
        "RETURNING id, language, opted_out"),
    "opening": f"SELECT state, turns, {_DEDUPE}, {_SUBSCRIBED} FROM conversation WHERE contact_id = :contact_id",
    "opening_without_conversation": f"SELECT {_DEDUPE}, {_SUBSCRIBED}",
    "recent_inbound": _RECENT.format(columns="created_at, text"),
    "add_message": (
        "INSERT INTO message (contact_id, channel, direction, external_id, reply_to_id, text, intent, language, "
        "flow, payload, created_at) VALUES (:contact_id, :channel, :direction, :external_id, :reply_to_id, :text, "
        ":intent, :language, :flow, :payload, :created_at) RETURNING id"),
    "receives": (
        "SELECT kind, place_id, MAX(created_at) FROM subscription WHERE contact_id = :contact_id "
        "AND (ended_at IS NULL OR kind = 'news_offer') GROUP BY kind, place_id"),
    "set_language": "UPDATE contact SET language = :contact_language WHERE id = :contact_id",
    "news_offer": f"INSERT INTO {_OFFER_COLUMNS} VALUES (:contact_id, {_OFFER_VALUES})",
    "save_state": (
        "INSERT INTO conversation (contact_id, state, updated_at, turns) VALUES (:contact_id, :state, :now, 1) "
        "ON CONFLICT (contact_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, "
        "turns = conversation.turns + 1"),
}


def _pyformat(sql: str) -> str:
    """An SQL text with :name parameters in psycopg's %(name)s form."""
    return _PARAM.sub(r"%(\1)s", sql)


_POSTGRES: dict[str, str] = {name: _pyformat(sql) for name, sql in _SQL.items()}
_POSTGRES["opening"] += " FOR UPDATE"  # handoff and the surveys change a conversation under this row lock
_POSTGRES["add_message"] = _POSTGRES["add_message"].replace("%(payload)s", "CAST(%(payload)s AS json)")
_POSTGRES["save_state"] = _POSTGRES["save_state"].replace("%(state)s", "CAST(%(state)s AS json)")
# PostgreSQL only (each statement is a network round trip there): a turn opens in one statement, the database
# function of migration 0009 (the contact's upsert, then, after its lock, the conversation row locked FOR UPDATE,
# also when it does not exist yet, the dedupe, the subscriptions and the recent messages), and its writes are
# another (`finish_turn` below)
_POSTGRES["start_turn"] = ("SELECT * FROM digibuur_open_turn(%(channel)s, %(address)s, %(stats_key)s, %(now)s, "
                           "%(external_id)s, %(since)s, %(limit)s)")
# the writes of a turn without effects, after a CTE `state` that returns a row when the state was written: the
# inbound message, then its replies in order (one statement's sequence values follow its rows' order, so the
# replies' ids ascending are theirs); the statement returns the inbound message's id and the replies' ids
_INBOUND_AFTER_STATE = _POSTGRES["add_message"].replace(" VALUES (", " SELECT ").replace(") RETURNING",
                                                                                   " FROM state RETURNING")
# (a parameter used twice needs one type in both places)
_OFFER_VALUES_TYPED = _pyformat(_OFFER_VALUES).replace("%(offer_wording)s", "CAST(%(offer_wording)s AS text)")
_WRITE_MESSAGES = (
    # ContactUpdates: the contact's language (NULL: unchanged), the news offer shown (NULL: none)
    "contact_language AS (UPDATE contact SET language = CAST(%(contact_language)s AS text) FROM state "
    "WHERE contact.id = state.contact_id AND CAST(%(contact_language)s AS text) IS NOT NULL RETURNING contact.id), "
    f"news_offer AS (INSERT INTO {_OFFER_COLUMNS} SELECT contact_id, {_OFFER_VALUES_TYPED} "
    "FROM state WHERE CAST(%(offer_wording)s AS text) IS NOT NULL RETURNING id), "
    f"inbound AS ({_INBOUND_AFTER_STATE}), "
    "replies AS (INSERT INTO message (contact_id, channel, direction, reply_to_id, text, payload, created_at) "
    "SELECT %(contact_id)s, %(channel)s, 'out', inbound.id, reply.text, CAST(reply.payload AS json), %(now)s "
    "FROM inbound, unnest(CAST(%(reply_texts)s AS text[]), CAST(%(reply_payloads)s AS text[])) "
    "WITH ORDINALITY AS reply(text, payload, n) ORDER BY reply.n RETURNING id) "
    "SELECT inbound.id, ARRAY(SELECT id FROM replies ORDER BY id) FROM inbound")
_POSTGRES["finish_turn"] = f"WITH state AS ({_POSTGRES['save_state']} RETURNING contact_id), {_WRITE_MESSAGES}"
# PostgreSQL, a turn without locks (`optimistic_turn`): the read, committed at once (the contact's upsert and what
# open_turn reads, with the contact's and the conversation's row versions, `xmin`: the id of the transaction that
# wrote the row last), and the write, which writes nothing unless both rows are still those versions (another turn
# of the same resident, a helper or a job changed them meanwhile: the caller reads and runs the turn again)
_ABOUT_CONTACT = ", ".join([_DEDUPE, _SUBSCRIBED, f"ARRAY({_RECENT.format(columns='created_at')})",
                            f"ARRAY({_RECENT.format(columns='CAST(text AS text)')})"]).replace(":contact_id", "k.id")
_POSTGRES["read_turn"] = _pyformat(
    f"WITH k AS ({_SQL['upsert_contact']}, CAST(xmin AS text) AS version) "
    f"SELECT k.id, k.language, k.opted_out, conv.state, conv.turns, conv.version IS NOT NULL, {_ABOUT_CONTACT}, "
    "k.version, conv.version FROM k LEFT JOIN LATERAL (SELECT state, turns, CAST(xmin AS text) AS version "
    "FROM conversation WHERE contact_id = k.id) AS conv ON true")
# the contact still at the version read (FOR UPDATE: a concurrent change is waited for, then compared)
_CONTACT_AS_READ = ("k AS (SELECT id FROM contact WHERE id = %(contact_id)s "
                    "AND xmin = CAST(%(contact_version)s AS xid) FOR UPDATE)")
_POSTGRES["lock_turn"] = (
    f"WITH {_CONTACT_AS_READ}, "
    "cv AS (SELECT xmin AS version FROM conversation WHERE contact_id = %(contact_id)s FOR UPDATE) "
    "SELECT EXISTS (SELECT 1 FROM k) AND CASE WHEN CAST(%(conversation_version)s AS text) IS NULL "
    "THEN NOT EXISTS (SELECT 1 FROM cv) "
    "ELSE EXISTS (SELECT 1 FROM cv WHERE cv.version = CAST(%(conversation_version)s AS xid)) END")
_POSTGRES["write_turn"] = (
    f"WITH {_CONTACT_AS_READ}, "
    # the conversation: updated if still at the version read, or created if it had no row (and still has none)
    "changed AS (UPDATE conversation SET state = CAST(%(state)s AS json), updated_at = %(now)s, "
    "turns = conversation.turns + 1 FROM k WHERE conversation.contact_id = k.id "
    "AND conversation.xmin = CAST(%(conversation_version)s AS xid) RETURNING conversation.contact_id), "
    "created AS (INSERT INTO conversation (contact_id, state, updated_at, turns) "
    "SELECT k.id, CAST(%(state)s AS json), %(now)s, 1 FROM k WHERE CAST(%(conversation_version)s AS text) IS NULL "
    "ON CONFLICT (contact_id) DO NOTHING RETURNING contact_id), "
    f"state AS (SELECT contact_id FROM changed UNION ALL SELECT contact_id FROM created), {_WRITE_MESSAGES}")


class _Turn:
    """The driver cursor of a connection, with the dialect's SQL and value conversions."""

    def __init__(self, connection: Connection) -> None:
        self.postgres = connection.dialect.name == "postgresql"
        self.sql = _POSTGRES if self.postgres else _SQL
        dbapi = connection.connection.dbapi_connection
        assert dbapi is not None
        self.dbapi = dbapi
        # one cursor per driver connection, kept with it (the pool's `info` is cleared when the connection is
        # replaced): psycopg's cursor remembers how to send each parameter type, a new one looked them up again
        cursor = connection.info.get("digibuur_cursor")
        if cursor is None:
            cursor = connection.info["digibuur_cursor"] = dbapi.cursor()
        self.cursor = cursor
        self.errors = connection.dialect.loaded_dbapi.Error

    def time(self, moment: datetime) -> Any:
        """A UTC column value (SQLite: SQLAlchemy's text format, so ORM readers and comparisons agree)."""
        if self.postgres:
            return moment.astimezone(UTC)
        plain = moment.astimezone(UTC).replace(tzinfo=None)
        text = str(plain)  # '%Y-%m-%d %H:%M:%S.%f' as strftime writes it, but faster; str drops a zero .%f
        return text if plain.microsecond else f"{text}.000000"

    def execute(self, name: str, params: dict[str, Any]) -> Any:
        """Run one statement; a driver error is raised as SQLAlchemy's (IntegrityError, OperationalError, ...),
        without its parameters, as every other statement of the project raises it."""
        try:
            self.cursor.execute(self.sql[name], params)
        except self.errors as exc:
            raise DBAPIError.instance(self.sql[name], None, exc, self.errors, hide_parameters=True) from exc
        return self.cursor

    def driver(self, statement: str, call: Any) -> None:
        """A transaction statement (BEGIN IMMEDIATE, commit, rollback), its driver error raised as SQLAlchemy's."""
        try:
            call()
        except self.errors as exc:
            raise DBAPIError.instance(statement, None, exc, self.errors, hide_parameters=True) from exc


class WriterBusy(Exception):
    """`turn_transaction(engine, wait=False)` would have had to wait: PostgreSQL (its statements wait on the
    network), or on SQLite another thread of this process or another process is writing. Nothing was done."""


class TurnTransaction:
    """One inbound turn's transaction on a pooled connection, without an ORM Session unless one is asked for.

    The same unit of work as `storage.db.transaction` (SQLite: the process's writer lock and BEGIN IMMEDIATE;
    PostgreSQL: the driver's implicit BEGIN and the rows' locks), committed by the caller's context manager
    `turn_transaction`. Most turns run only this module's statements on the driver cursor; `session` opens an
    ORM Session on the same connection and transaction for the rest (effects, dead letters, duplicates)."""

    def __init__(self, connection: Connection, wait: bool = True, kept: bool = False) -> None:
        self.connection = connection
        self.kept = kept  # the process's kept SQLite turn connection: not returned to the pool after the turn
        self.turn = _Turn(connection)
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
        self.turn = _Turn(connection)
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

    def lock(self) -> _Turn:
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


Target = Session | TurnTransaction | OptimisticTurn


def _turn(target: Target) -> _Turn:
    """The driver cursor to use: the turn transaction's own, or (a Session) one on the session's connection."""
    if isinstance(target, TurnTransaction):
        return target.turn
    if isinstance(target, OptimisticTurn):
        return target.lock()  # anything but its read and plain write: the turn's transaction, locked as read
    return _Turn(target.connection())


def _reading_turn(target: Target) -> _Turn:
    """`_turn`, and an optimistic turn's own cursor: its reads, and the write that checks what they read."""
    return target.turn if isinstance(target, OptimisticTurn) else _turn(target)


def _json(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, (str, bytes)):
        loaded = json.loads(value)
        return loaded if isinstance(loaded, dict) else {}
    return dict(value)


def lock_contact(session: Target, channel: str, address: str, stats_key: str, now: datetime) -> ContactRow:
    """Get or create the sender's contact in one statement, noting the inbound time; PostgreSQL holds its row
    lock until the transaction ends (one turn at a time per contact), SQLite's BEGIN IMMEDIATE serialises all."""
    turn = _turn(session)
    row = turn.execute("upsert_contact", {"channel": channel, "address": address, "stats_key": stats_key,
                                          "no": False, "now": turn.time(now)}).fetchone()
    return ContactRow.of(row)


def start_turn(session: Target, channel: str, address: str, stats_key: str, now: datetime, external_id: str | None,
               recent_since: datetime, recent_limit: int) -> tuple[ContactRow, Opening]:
    """A turn's opening as the service needs it: `lock_contact`, then `open_turn` with the newest `recent_limit`
    inbound messages since `recent_since`. PostgreSQL: one round trip (the database function of migration 0009,
    whose reads come after the contact's lock as two statements' would); SQLite: the statements one by one."""
    turn = _reading_turn(session)
    if not turn.postgres:
        contact = lock_contact(session, channel, address, stats_key, now)
        return contact, open_turn(session, contact.id, channel, external_id, recent_since, recent_limit)
    row = turn.execute("read_turn" if isinstance(session, OptimisticTurn) else "start_turn", {
        "channel": channel, "address": address, "stats_key": stats_key, "now": turn.time(now), "no": False,
        "external_id": external_id or "", "since": turn.time(recent_since), "limit": recent_limit}).fetchone()
    if isinstance(session, OptimisticTurn):
        session.versions, session.contact_id = (row[10], row[11]), int(row[0])
    contact = ContactRow.of(row)
    return contact, Opening(state=_json(row[3]) if row[5] else None, turns=int(row[4] or 0),
                            duplicate_of=_duplicate_of(row[6], external_id), subscribed=bool(row[7]),
                            recent=tuple((as_utc(created), str(text)) for created, text in zip(row[8], row[9],
                                                                                               strict=True)))


def open_turn(session: Target, contact_id: int, channel: str, external_id: str | None,
              recent_since: datetime | None = None, recent_limit: int = 0) -> Opening:
    """The locked contact's conversation state (PostgreSQL: row locked FOR UPDATE), the id of an inbound message
    already stored with this external id, whether any subscription row exists and, with `recent_since`, the
    newest `recent_limit` inbound messages since then."""
    turn = _turn(session)
    params = {"contact_id": contact_id, "channel": channel, "external_id": external_id or ""}
    recent = (tuple(recent_inbound(session, contact_id, recent_since, recent_limit)) if recent_since is not None
              else ())
    row = turn.execute("opening", params).fetchone()
    if row is not None:
        return Opening(state=_json(row[0]), turns=int(row[1] or 0),
                       duplicate_of=_duplicate_of(row[2], external_id), subscribed=bool(row[3]),
                       recent=recent)
    row = turn.execute("opening_without_conversation", params).fetchone()
    return Opening(state=None, turns=0, duplicate_of=_duplicate_of(row[0], external_id),
                   subscribed=bool(row[1]), recent=recent)


def _duplicate_of(found: Any, external_id: str | None) -> int | None:
    """The id of a message stored already with this external id; None when there is none, or when the inbound
    message has no external id (the dedupe compared with '' then)."""
    return int(found) if external_id and found is not None else None


def recent_inbound(session: Target, contact_id: int, since: datetime, limit: int) -> list[tuple[datetime, str]]:
    """The contact's newest inbound messages since a moment: (received, text), newest first."""
    turn = _turn(session)
    rows = turn.execute("recent_inbound", {"contact_id": contact_id, "since": turn.time(since),
                                           "limit": limit}).fetchall()
    return [(as_utc(created), str(text)) for created, text in rows]


def receives(session: Target, contact_id: int) -> dict[str, Any]:
    """What the engine is told the resident receives, as storage.outbound.receives says it, in one aggregate:
    {"news": a running news consent, "follow": the followed places' ids, "offered_at": the last news offer}."""
    turn = _reading_turn(session)
    rows = turn.execute("receives", {"contact_id": contact_id}).fetchall()
    offers = [as_utc(created) for kind, _place, created in rows if kind == "news_offer"]
    return {"news": any(kind == "news" for kind, _place, _created in rows),
            "follow": sorted({str(place) for kind, place, _created in rows if kind == "follow"}),
            "offered_at": max(offers).isoformat() if offers else None}


def add_message(session: Target, *, contact_id: int | None, channel: str, direction: str, text: str,
                created_at: datetime, external_id: str | None = None, reply_to_id: int | None = None,
                intent: str | None = None, language: str | None = None, flow: str | None = None,
                payload: dict[str, Any] | None = None) -> int:
    """Log one message and return its id (the unique (channel, external_id) raises IntegrityError on a repeat)."""
    turn = _turn(session)
    row = turn.execute("add_message", {
        "contact_id": contact_id, "channel": channel, "direction": direction, "external_id": external_id,
        "reply_to_id": reply_to_id, "text": text, "intent": intent, "language": language, "flow": flow,
        "payload": json.dumps(payload or {}), "created_at": turn.time(created_at)}).fetchone()
    return int(row[0])


def save_state(session: Target, contact_id: int, state: dict[str, Any], now: datetime) -> None:
    """Write the conversation's state as one JSON value and count the turn (creating the row on the first)."""
    turn = _turn(session)
    turn.execute("save_state", {"contact_id": contact_id, "state": json.dumps(state), "now": turn.time(now)})


@dataclass(frozen=True)
class ContactUpdates:
    """What the commonest effects write, written with the turn's plain writes instead of in the ORM: the contact's
    language (SetLanguage), the news offer shown (NewsOffered: a closed `news_offer` subscription row)."""

    language: str | None = None
    offer_wording: str | None = None
    offer_language: str = ""


def finish_turn(session: Target, *, contact_id: int, channel: str, inbound: dict[str, Any], state: dict[str, Any],
                replies: list[tuple[str, dict[str, Any]]], now: datetime,
                updates: ContactUpdates = ContactUpdates()) -> tuple[int, tuple[int, ...]]:
    """A turn without effects (or whose effects are only `updates`), written: the inbound message (`inbound`:
    add_message's fields but direction), the conversation's state, the updates, and the replies (text, payload) in
    order; returns the ids of the inbound message and of the replies. PostgreSQL: one statement (in an optimistic
    turn, one that writes only if nothing changed since `start_turn`, else TurnConflict); SQLite: one statement
    each, as before (no network between them)."""
    turn = _reading_turn(session)
    if not turn.postgres:
        inbound_id = add_message(session, contact_id=contact_id, channel=channel, direction="in", **inbound)
        save_state(session, contact_id, state, now)
        if updates.language is not None:
            turn.execute("set_language", {"contact_id": contact_id, "contact_language": updates.language})
        if updates.offer_wording is not None:
            turn.execute("news_offer", {"contact_id": contact_id, "offer_wording": updates.offer_wording,
                                        "offer_language": updates.offer_language, "now": turn.time(now)})
        return inbound_id, tuple(add_message(session, contact_id=contact_id, channel=channel, direction="out",
                                             reply_to_id=inbound_id, text=text, payload=payload, created_at=now)
                                 for text, payload in replies)
    statement, versions = "finish_turn", {}
    if isinstance(session, OptimisticTurn) and not session.locked:  # (locked: its rows are checked and held)
        statement, versions = "write_turn", session.version_params()
    row = turn.execute(statement, {
        **versions, "contact_id": contact_id, "channel": channel, "direction": "in", "reply_to_id": None,
        "external_id": inbound.get("external_id"),
        "text": inbound["text"], "intent": inbound.get("intent"), "language": inbound.get("language"),
        "flow": inbound.get("flow"), "payload": json.dumps(inbound.get("payload") or {}),
        "created_at": turn.time(inbound["created_at"]), "now": turn.time(now), "state": json.dumps(state),
        "contact_language": updates.language, "offer_wording": updates.offer_wording,
        "offer_language": updates.offer_language,
        "reply_texts": [text for text, _ in replies],
        "reply_payloads": [json.dumps(payload) for _, payload in replies]}).fetchone()
    if row is None:  # (only an optimistic write can write nothing)
        raise TurnConflict("the contact or its conversation changed since the turn read them")
    return int(row[0]), tuple(int(reply_id) for reply_id in row[1])
