"""PostgreSQL turns without locks held while the dialogue runs (storage.turn_transactions.optimistic_turn): the write
happens only if the contact and conversation rows are the versions the turn read, and writes nothing otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage import conversations, turn_transactions
from storage.db import make_engine, transaction
from storage.models import Contact, Conversation, Message
from tests.conftest import new_database_url

NOW = datetime(2026, 12, 2, 9, 30, 15, 123456, tzinfo=UTC)
SENDER = "+32470000021"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(new_database_url(tmp_path, "postgres"))
    yield engine
    engine.dispose()


def _read(turn: turn_transactions.OptimisticTurn, sid: str | None = None,
          ) -> tuple[conversations.ContactRow, conversations.Opening]:
    return conversations.start_turn(turn, "sms", SENDER, "key", NOW, sid, recent_since=NOW - timedelta(minutes=10),
                                    recent_limit=5)


def _write(turn: turn_transactions.OptimisticTurn, contact_id: int, state: dict[str, object], sid: str | None = None,
           text: str = "hallo") -> tuple[int, tuple[int, ...]]:
    return conversations.finish_turn(turn, contact_id=contact_id, channel="sms", now=NOW, state=state,
                                     replies=[("Dag!", {"options": ["1"]})],
                                     inbound={"external_id": sid, "text": text, "created_at": NOW, "payload": {}})


def _stored(engine: Engine) -> tuple[list[dict[str, object]], list[str]]:
    with Session(engine) as session:
        states = [row.state for row in session.exec(select(Conversation)).all()]
        texts = [row.text for row in session.exec(select(Message).order_by(Message.id)).all()]  # type: ignore[arg-type]
    return states, texts


def test_an_optimistic_turn_reads_and_writes_what_a_locked_turn_does(engine: Engine) -> None:
    with turn_transactions.optimistic_turn(engine) as turn:
        contact, opening = _read(turn, "SM21")
        assert opening == conversations.Opening(state=None, turns=0, duplicate_of=None, subscribed=False)
        inbound, replies = _write(turn, contact.id, {"flow": "menu"}, "SM21")
        assert len(replies) == 1 and inbound < replies[0]
        assert not turn.turn.dbapi.info.transaction_status  # each statement committed as it ran: idle
    with turn_transactions.optimistic_turn(engine) as turn:
        again, opening = _read(turn, "SM21")
        assert again == contact
        assert opening.state == {"flow": "menu"} and opening.turns == 1 and opening.duplicate_of == inbound
        assert opening.recent == ((NOW, "hallo"),)
        _write(turn, contact.id, {"flow": "guide"}, "SM22", text="1")
    with turn_transactions.turn_transaction(engine) as tx:  # the locked turn reads the same
        locked, seen = conversations.start_turn(tx, "sms", SENDER, "key", NOW, "SM22",
                                                recent_since=NOW - timedelta(minutes=10), recent_limit=5)
        assert locked == contact and seen.state == {"flow": "guide"} and seen.turns == 2
        assert seen.recent == ((NOW, "1"), (NOW, "hallo"))
    assert _stored(engine) == ([{"flow": "guide"}], ["hallo", "Dag!", "1", "Dag!"])
    with engine.connect() as connection:  # the connection went back to the pool in the driver's usual mode
        assert connection.connection.dbapi_connection.autocommit is False  # type: ignore[union-attr]


def test_a_conversation_changed_after_the_read_makes_the_write_write_nothing(engine: Engine) -> None:
    with turn_transactions.optimistic_turn(engine) as first:
        contact, _ = _read(first)
        _write(first, contact.id, {"n": 1})
    with turn_transactions.optimistic_turn(engine) as turn:
        _read(turn)
        with transaction(engine) as session:  # a helper's change to the conversation meanwhile
            conversations.save_state(session, contact.id, {"n": 1, "ticket": "AB12"}, NOW)
        with pytest.raises(turn_transactions.TurnConflict):
            _write(turn, contact.id, {"n": 2}, text="later")
    assert _stored(engine) == ([{"n": 1, "ticket": "AB12"}], ["hallo", "Dag!"])  # no message, no state


def test_a_contact_changed_after_the_read_makes_the_write_write_nothing(engine: Engine) -> None:
    with turn_transactions.optimistic_turn(engine) as turn:
        contact, _ = _read(turn)
        with transaction(engine) as session:  # staff mark the number as opted out meanwhile
            row = session.get(Contact, contact.id)
            assert row is not None
            row.opted_out = True
            session.add(row)
        with pytest.raises(turn_transactions.TurnConflict):
            _write(turn, contact.id, {"n": 1})
    assert _stored(engine) == ([], [])


def test_of_two_first_turns_read_at_once_only_one_writes(engine: Engine) -> None:
    with turn_transactions.optimistic_turn(engine) as first, turn_transactions.optimistic_turn(engine) as second:
        contact, opening = _read(first, "SM-a")
        also, other = _read(second, "SM-b")
        assert also == contact and opening.state is None and other.state is None  # neither has a conversation
        _write(second, contact.id, {"by": "b"}, "SM-b", text="b")
        with pytest.raises(turn_transactions.TurnConflict):
            _write(first, contact.id, {"by": "a"}, "SM-a", text="a")
    assert _stored(engine) == ([{"by": "b"}], ["b", "Dag!"])


def test_a_conversation_created_after_an_empty_read_makes_the_write_write_nothing(engine: Engine) -> None:
    with turn_transactions.optimistic_turn(engine) as turn:
        contact, opening = _read(turn)
        assert opening.state is None
        with transaction(engine) as session:  # (the contact unchanged: only the conversation row appears)
            conversations.save_state(session, contact.id, {"by": "job"}, NOW)
        with pytest.raises(turn_transactions.TurnConflict):
            _write(turn, contact.id, {"by": "turn"})
    assert _stored(engine) == ([{"by": "job"}], [])


def test_a_turn_that_needs_more_is_locked_as_it_was_read_and_committed_at_its_end(engine: Engine) -> None:
    with turn_transactions.optimistic_turn(engine) as first:
        contact, _ = _read(first)
        _write(first, contact.id, {"n": 1})
    with turn_transactions.optimistic_turn(engine) as turn:
        with pytest.raises(RuntimeError):
            _write(turn, contact.id, {})  # nothing read yet: nothing to write
        _read(turn)
        assert conversations.receives(turn, contact.id) == {"news": False, "follow": [], "offered_at": None}
        assert not turn.locked  # reads need no lock
        conversations.add_message(turn, contact_id=contact.id, channel="sms", direction="in", text="effects",
                                  created_at=NOW)  # more than a plain write: BEGIN, both rows locked as read
        assert turn.locked and turn.turn.dbapi.info.transaction_status  # in a transaction now
        person = turn.session.get(Contact, contact.id)
        assert person is not None
        person.language = "fr"
        turn.session.add(person)
        _write(turn, contact.id, {"n": 2}, text="after")  # the locked turn's own write, in that transaction
        with Session(engine) as other:  # nothing visible before the end of the turn
            assert len(other.exec(select(Message)).all()) == 2
    states, texts = _stored(engine)
    assert states == [{"n": 2}] and texts == ["hallo", "Dag!", "effects", "after", "Dag!"]
    with Session(engine) as session:
        stored = session.get(Contact, contact.id)
        assert stored is not None and stored.language == "fr"


def test_a_turn_locked_after_its_rows_changed_writes_nothing(engine: Engine) -> None:
    with turn_transactions.optimistic_turn(engine) as first:
        contact, _ = _read(first)
        _write(first, contact.id, {"n": 1})
    with pytest.raises(turn_transactions.TurnConflict), turn_transactions.optimistic_turn(engine) as turn:
        _read(turn)
        with transaction(engine) as session:
            conversations.save_state(session, contact.id, {"n": 1, "by": "helper"}, NOW)
        _ = turn.session  # the lock finds the conversation changed
    with pytest.raises(RuntimeError), turn_transactions.optimistic_turn(engine) as turn:  # an error: rolled back
        _read(turn)
        conversations.add_message(turn, contact_id=contact.id, channel="sms", direction="in", text="lost",
                                  created_at=NOW)
        raise RuntimeError("boom")
    assert _stored(engine) == ([{"n": 1, "by": "helper"}], ["hallo", "Dag!"])
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection.autocommit is False  # type: ignore[union-attr]


def test_sqlite_has_no_optimistic_turns(tmp_path: Path) -> None:
    engine = make_engine(new_database_url(tmp_path, "sqlite"))
    assert not turn_transactions.optimistic(engine)
    with pytest.raises(ValueError), turn_transactions.optimistic_turn(engine):
        pass
    engine.dispose()
