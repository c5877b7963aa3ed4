"""storage/conversations.py on SQLite and PostgreSQL: contact upsert, dedupe, state write, message log, row lock."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage import conversations, turn_transactions
from storage.db import make_engine, transaction
from storage.models import Contact, Conversation, Message, Subscription
from tests.conftest import new_database_url

BACKENDS = ["sqlite", "postgres"]
NOW = datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_turn_round_trip(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    with transaction(engine) as session:
        contact = conversations.lock_contact(session, "sms", "+32470000001", "key", NOW)
        assert contact.language == "" and not contact.opted_out
        opening = conversations.open_turn(session, contact.id, "sms", "SM1")
        assert opening.state is None and opening.duplicate_of is None and not opening.subscribed
        inbound = conversations.add_message(session, contact_id=contact.id, channel="sms", direction="in",
                                            external_id="SM1", text="menu", created_at=NOW, intent="menu",
                                            payload={"location": [51.05, 3.72]})
        reply = conversations.add_message(session, contact_id=contact.id, channel="sms", direction="out",
                                          reply_to_id=inbound, text="Hallo é", created_at=NOW,
                                          payload={"options": [{"key": "1"}]})
        conversations.save_state(session, contact.id, {"flow": "menu", "language": "nl"}, NOW)
    with transaction(engine) as session:
        again = conversations.lock_contact(session, "sms", "+32470000001", "key", NOW + timedelta(minutes=1))
        assert again.id == contact.id
        opening = conversations.open_turn(session, contact.id, "sms", "SM1")
        assert opening.state == {"flow": "menu", "language": "nl"} and opening.turns == 1
        assert opening.duplicate_of == inbound
        assert conversations.open_turn(session, contact.id, "sms", None).duplicate_of is None
        conversations.save_state(session, contact.id, {"flow": ""}, NOW + timedelta(minutes=1))
        recent = conversations.recent_inbound(session, contact.id, NOW - timedelta(seconds=1), 5)
        assert recent == [(NOW, "menu")]
        assert conversations.recent_inbound(session, contact.id, NOW + timedelta(microseconds=1), 5) == []
    with Session(engine) as session:  # the ORM reads what the driver statements wrote
        row = session.get(Message, reply)
        assert row is not None and row.reply_to_id == inbound and row.text == "Hallo é"
        assert row.payload == {"options": [{"key": "1"}]} and row.created_at == NOW
        stored = session.get(Message, inbound)
        assert stored is not None and stored.payload == {"location": [51.05, 3.72]} and stored.intent == "menu"
        conversation = session.exec(select(Conversation)).one()
        assert conversation.state == {"flow": ""} and conversation.turns == 2
        assert conversation.updated_at == NOW + timedelta(minutes=1)
        person = session.exec(select(Contact)).one()
        assert person.last_inbound_at == NOW + timedelta(minutes=1) and person.created_at == NOW
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_repeated_external_id_raises_integrity_error(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    with transaction(engine) as session:
        contact = conversations.lock_contact(session, "sms", "+32470000002", "key", NOW)
        conversations.add_message(session, contact_id=contact.id, channel="sms", direction="in",
                                  external_id="SM2", text="hallo", created_at=NOW)
    with pytest.raises(IntegrityError), transaction(engine) as session:
        conversations.add_message(session, contact_id=contact.id, channel="sms", direction="in",
                                  external_id="SM2", text="hallo", created_at=NOW)
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_subscriptions_are_noticed(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    with transaction(engine) as session:
        contact = conversations.lock_contact(session, "sms", "+32470000003", "key", NOW)
        session.add(Subscription(contact_id=contact.id, kind="news", wording="w", language="nl", created_at=NOW))
    with transaction(engine) as session:
        assert conversations.open_turn(session, contact.id, "sms", "x").subscribed
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_turn_read_and_written_as_the_service_does(tmp_path: Path, backend: str) -> None:
    """start_turn and finish_turn (on PostgreSQL one statement each) read and write what the separate statements
    do: the first turn without a conversation row, the second with one."""
    engine = make_engine(new_database_url(tmp_path, backend))
    with turn_transactions.turn_transaction(engine) as tx:
        contact, opening = conversations.start_turn(tx, "sms", "+32470000009", "key", NOW, "SM9",
                                                    recent_since=NOW - timedelta(minutes=10), recent_limit=5)
        assert contact == conversations.ContactRow(id=contact.id, language="", opted_out=False)
        assert opening == conversations.Opening(state=None, turns=0, duplicate_of=None, subscribed=False)
        inbound, replies = conversations.finish_turn(
            tx, contact_id=contact.id, channel="sms", now=NOW, state={"flow": "menu", "language": "nl"},
            inbound={"external_id": "SM9", "text": "menu", "created_at": NOW, "payload": {"location": [51.05, 3.72]},
                     "intent": "menu", "flow": "menu", "language": "nl"},
            replies=[("Hallo é", {"options": [{"key": "1"}]}), ("Tweede", {})])
        assert len(replies) == 2 and inbound < replies[0] < replies[1]
    later = NOW + timedelta(minutes=1)
    with turn_transactions.turn_transaction(engine) as tx:
        again, opening = conversations.start_turn(tx, "sms", "+32470000009", "key", later, "SM9",
                                                  recent_since=NOW, recent_limit=5)
        assert again == contact
        assert opening.state == {"flow": "menu", "language": "nl"} and opening.turns == 1
        assert opening.duplicate_of == inbound and opening.recent == ((NOW, "menu"),)
        assert conversations.start_turn(tx, "sms", "+32470000009", "key", later, None, recent_since=later,
                                        recent_limit=5)[1].duplicate_of is None
        assert conversations.open_turn(tx, contact.id, "sms", "SM9", recent_since=NOW, recent_limit=5) == opening
        assert conversations.open_turn(tx, contact.id, "sms", "SM10", recent_since=later, recent_limit=5) == \
            conversations.Opening(state={"flow": "menu", "language": "nl"}, turns=1, duplicate_of=None,
                                  subscribed=False)
        second, none = conversations.finish_turn(
            tx, contact_id=contact.id, channel="sms", now=later, state={"flow": ""}, replies=[],
            inbound={"external_id": None, "text": "ok", "created_at": later, "payload": {}})
        assert none == () and second > replies[1]
    with Session(engine) as session:  # the ORM reads what the driver statements wrote
        first, other = (session.get(Message, reply_id) for reply_id in replies)
        assert first is not None and other is not None
        assert (first.text, first.reply_to_id, first.payload, first.created_at, first.direction) == \
            ("Hallo é", inbound, {"options": [{"key": "1"}]}, NOW, "out")
        assert (other.text, other.reply_to_id, other.payload) == ("Tweede", inbound, {})
        stored = session.get(Message, inbound)
        assert stored is not None and stored.payload == {"location": [51.05, 3.72]}
        assert (stored.intent, stored.flow, stored.language, stored.external_id, stored.direction) == \
            ("menu", "menu", "nl", "SM9", "in")
        conversation = session.exec(select(Conversation)).one()
        assert conversation.state == {"flow": ""} and conversation.turns == 2 and conversation.updated_at == later
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_contact_lock_serialises_turns(tmp_path: Path, backend: str) -> None:
    """A second turn of the same contact waits until the first commits, then sees its state (no lost update)."""
    engine = make_engine(new_database_url(tmp_path, backend))
    with transaction(engine) as session:
        contact = conversations.lock_contact(session, "sms", "+32470000004", "key", NOW)
        conversations.save_state(session, contact.id, {"n": 0}, NOW)
    seen: list[int] = []

    def turn(pause: float) -> None:
        with transaction(engine) as session:
            locked = conversations.lock_contact(session, "sms", "+32470000004", "key", NOW)
            opening = conversations.open_turn(session, locked.id, "sms", None)
            assert opening.state is not None
            time.sleep(pause)
            seen.append(int(opening.state["n"]))
            conversations.save_state(session, locked.id, {"n": int(opening.state["n"]) + 1}, NOW)

    _two_at_once(turn)
    assert sorted(seen) == [0, 1]
    with Session(engine) as session:
        assert session.exec(select(Conversation)).one().state == {"n": 2}
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_service_statements_serialise_the_first_two_turns_of_a_new_contact(tmp_path: Path,
                                                                                backend: str) -> None:
    """Two messages of a new sender at once, as the service stores a turn: the second waits for the first's
    commit and then sees its conversation row and message (its reads are a statement after the contact's lock)."""
    engine = make_engine(new_database_url(tmp_path, backend))
    seen: list[tuple[int | None, int]] = []

    def turn(pause: float) -> None:
        with turn_transactions.turn_transaction(engine) as tx:
            locked, opening = conversations.start_turn(tx, "sms", "+32470000008", "key", NOW, f"SM-{pause}",
                                                       recent_since=NOW, recent_limit=5)
            time.sleep(pause)
            count = int(opening.state["n"]) if opening.state is not None else None
            seen.append((count, len(opening.recent)))
            conversations.finish_turn(tx, contact_id=locked.id, channel="sms", now=NOW, replies=[("r", {})],
                                      state={"n": (count or 0) + 1}, inbound={
                                          "external_id": f"SM-{pause}", "text": "hallo", "created_at": NOW})

    _two_at_once(turn)
    assert sorted(seen, key=str) == [(1, 1), (None, 0)]
    with Session(engine) as session:
        assert session.exec(select(Conversation)).one().state == {"n": 2}
    engine.dispose()


def _two_at_once(turn: Callable[[float], None]) -> None:
    """The first turn holds its transaction 0.3 s; the second starts 0.1 s after it."""
    threads = [threading.Thread(target=turn, args=(0.3,)), threading.Thread(target=turn, args=(0.0,))]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join()


@pytest.mark.parametrize("backend", BACKENDS)
def test_receives_says_what_storage_outbound_says(tmp_path: Path, backend: str) -> None:
    from storage.outbound import receives

    engine = make_engine(new_database_url(tmp_path, backend))
    with transaction(engine) as session:
        contact = conversations.lock_contact(session, "sms", "+32470000005", "key", NOW)
        assert conversations.receives(session, contact.id) == receives(session, contact.id)
        for kind, place, ended, minutes in [("news", "", None, 0), ("news", "", NOW, 1), ("follow", "b", None, 2),
                                            ("follow", "a", None, 3), ("follow", "c", NOW, 4),
                                            ("news_offer", "", NOW, 5), ("news_offer", "", NOW, 9)]:
            session.add(Subscription(contact_id=contact.id, kind=kind, place_id=place, wording="w", language="nl",
                                     created_at=NOW + timedelta(minutes=minutes), ended_at=ended))
        session.flush()
        expected = receives(session, contact.id)
        assert expected["news"] and expected["follow"] == ["a", "b"]
        assert conversations.receives(session, contact.id) == expected
        session.add(Subscription(contact_id=contact.id, kind="news_offer", wording="w", language="nl",
                                 created_at=NOW + timedelta(minutes=11), ended_at=NOW))
        session.flush()
        assert conversations.receives(session, contact.id) == receives(session, contact.id)
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_turn_transaction_commits_driver_and_orm_writes_together_or_neither(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    with turn_transactions.turn_transaction(engine) as tx:  # driver statements only: no Session at all
        contact = conversations.lock_contact(tx, "sms", "+32470000006", "key", NOW)
        conversations.add_message(tx, contact_id=contact.id, channel="sms", direction="in", external_id="SM6",
                                  text="menu", created_at=NOW)
        conversations.save_state(tx, contact.id, {"n": 1}, NOW)
    with turn_transactions.turn_transaction(engine) as tx:  # then the ORM on the same transaction
        conversations.lock_contact(tx, "sms", "+32470000006", "key", NOW)
        assert conversations.open_turn(tx, contact.id, "sms", "SM6").duplicate_of is not None
        person = tx.session.get(Contact, contact.id)
        assert person is not None
        person.language = "fr"
        tx.session.add(person)
        tx.session.flush()
        conversations.save_state(tx, contact.id, {"n": 2}, NOW)
    with pytest.raises(RuntimeError), turn_transactions.turn_transaction(engine) as tx:  # neither survives an error
        conversations.lock_contact(tx, "sms", "+32470000006", "key", NOW)
        conversations.save_state(tx, contact.id, {"n": 3}, NOW)
        person = tx.session.get(Contact, contact.id)
        assert person is not None
        person.language = "en"
        tx.session.add(person)
        raise RuntimeError("boom")
    with pytest.raises(IntegrityError), turn_transactions.turn_transaction(engine) as tx:  # a repeated external id
        conversations.save_state(tx, contact.id, {"n": 4}, NOW)
        conversations.add_message(tx, contact_id=contact.id, channel="sms", direction="in", external_id="SM6",
                                  text="menu", created_at=NOW)
    with Session(engine) as session:
        assert session.exec(select(Conversation)).one().state == {"n": 2}
        person = session.get(Contact, contact.id)
        assert person is not None and person.language == "fr"
        assert len(session.exec(select(Message)).all()) == 1
    engine.dispose()


def test_sqlite_turns_run_on_one_kept_connection_until_it_breaks_or_the_engine_is_disposed(tmp_path: Path) -> None:
    engine = make_engine(new_database_url(tmp_path, "sqlite"))
    timeouts = []
    for wait in (True, False, False, True):
        with turn_transactions.turn_transaction(engine, wait=wait) as tx:
            conversations.lock_contact(tx, "sms", "+32470000007", "key", NOW)
            timeouts.append((tx.turn.dbapi, tx.turn.cursor.execute("PRAGMA busy_timeout").fetchone()[0]))
    assert len({id(dbapi) for dbapi, _ in timeouts}) == 1  # the same driver connection every turn
    assert [timeout for _, timeout in timeouts] == [30000, 0, 0, 30000]  # an event-loop turn never sleeps
    first = timeouts[0][0]
    with pytest.raises(RuntimeError), turn_transactions.turn_transaction(engine) as tx:
        conversations.lock_contact(tx, "sms", "+32470000007", "key", NOW)
        tx.turn.dbapi.close()  # the connection breaks under the turn: the rollback fails, it is dropped
        raise RuntimeError("boom")
    with turn_transactions.turn_transaction(engine) as tx:  # the next turn has a working one
        conversations.lock_contact(tx, "sms", "+32470000007", "key", NOW)
        second = tx.turn.dbapi
    assert second is not first
    assert engine.pool.checkedout() == 1  # the broken one went back to the pool (invalidated); the new one is kept
    engine.dispose()  # closes the kept connection
    with pytest.raises(Exception, match="closed"):
        second.execute("SELECT 1")
    with turn_transactions.turn_transaction(engine) as tx:  # and a disposed engine still serves turns
        assert conversations.lock_contact(tx, "sms", "+32470000007", "key", NOW).id == 1
    engine.dispose()
