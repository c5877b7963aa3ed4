"""The statements of one inbound turn, in SQLite's and PostgreSQL's form, and the driver cursor that runs them
(`TurnCursor`): plain driver statements, because for the few statements of a turn SQLAlchemy's statement and ORM
machinery cost more than the database. On PostgreSQL, where each statement is a network round trip, a turn's
reads are one statement and its writes another."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from storage.outbound import NEWS_OFFER

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
        f"AND (ended_at IS NULL OR kind = '{NEWS_OFFER}') GROUP BY kind, place_id"),
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
# another (`conversations.finish_turn`)
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


class TurnCursor:
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
