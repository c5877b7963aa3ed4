"""How one inbound turn is stored: upsert the contact, read its conversation (dedupe, recent messages,
subscriptions), log the messages, write the state, on SQLite and PostgreSQL.

Every function runs inside the caller's transaction (a `storage.turn_transactions` turn, or an ORM Session's) and
does not commit; the statements are `storage.turn_sql`'s, on the driver cursor. On PostgreSQL, where each
statement is a network round trip, a turn without effects (or with only the effects `ContactUpdates` writes: the
contact's language, the news offer shown) is two statements: `start_turn` (the contact's upsert and the reads)
and `finish_turn`; in an `optimistic_turn` (the service's first try there) each is its own transaction, the
write checked against the row versions the read saw."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from storage.turn_sql import TurnCursor
from storage.turn_transactions import OptimisticTurn, TurnConflict, TurnTransaction
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


Target = Session | TurnTransaction | OptimisticTurn


def _turn(target: Target) -> TurnCursor:
    """The driver cursor to use: the turn transaction's own, or (a Session) one on the session's connection."""
    if isinstance(target, TurnTransaction):
        return target.turn
    if isinstance(target, OptimisticTurn):
        return target.lock()  # anything but its read and plain write: the turn's transaction, locked as read
    return TurnCursor(target.connection())


def _reading_turn(target: Target) -> TurnCursor:
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
