"""storage/conversations.py on SQLite and PostgreSQL: contact upsert, dedupe, state write, message log, row lock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage import conversations
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

    threads = [threading.Thread(target=turn, args=(0.3,)), threading.Thread(target=turn, args=(0.0,))]
    for thread in threads:
        thread.start()
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    assert sorted(seen) == [0, 1]
    with Session(engine) as session:
        assert session.exec(select(Conversation)).one().state == {"n": 2}
    engine.dispose()


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
    with conversations.turn_transaction(engine) as tx:  # driver statements only: no Session at all
        contact = conversations.lock_contact(tx, "sms", "+32470000006", "key", NOW)
        conversations.add_message(tx, contact_id=contact.id, channel="sms", direction="in", external_id="SM6",
                                  text="menu", created_at=NOW)
        conversations.save_state(tx, contact.id, {"n": 1}, NOW)
    with conversations.turn_transaction(engine) as tx:  # then the ORM on the same transaction
        conversations.lock_contact(tx, "sms", "+32470000006", "key", NOW)
        assert conversations.open_turn(tx, contact.id, "sms", "SM6").duplicate_of is not None
        person = tx.session.get(Contact, contact.id)
        assert person is not None
        person.language = "fr"
        tx.session.add(person)
        tx.session.flush()
        conversations.save_state(tx, contact.id, {"n": 2}, NOW)
    with pytest.raises(RuntimeError), conversations.turn_transaction(engine) as tx:  # neither survives an error
        conversations.lock_contact(tx, "sms", "+32470000006", "key", NOW)
        conversations.save_state(tx, contact.id, {"n": 3}, NOW)
        person = tx.session.get(Contact, contact.id)
        assert person is not None
        person.language = "en"
        tx.session.add(person)
        raise RuntimeError("boom")
    with pytest.raises(IntegrityError), conversations.turn_transaction(engine) as tx:  # a repeated external id
        conversations.save_state(tx, contact.id, {"n": 4}, NOW)
        conversations.add_message(tx, contact_id=contact.id, channel="sms", direction="in", external_id="SM6",
                                  text="menu", created_at=NOW)
    with Session(engine) as session:
        assert session.exec(select(Conversation)).one().state == {"n": 2}
        person = session.get(Contact, contact.id)
        assert person is not None and person.language == "fr"
        assert len(session.exec(select(Message)).all()) == 1
    engine.dispose()
