"""The service on PostgreSQL: a turn runs without locks held while the dialogue runs, and is read and run again
when its conversation changed meanwhile; turns that need more take the locks (storage.turn_transactions)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlmodel import Session, select

from bot import engine as dialogue
from bot import service
from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle
from storage import conversations
from storage.db import transaction
from storage.models import Contact, Conversation, Message
from tests.conftest import new_database_url

SENDER = "+32470000031"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return new_database_url(tmp_path, "postgres")


def message(deps: Deps, text: str, sid: str, sender: str = SENDER) -> Inbound:
    return Inbound(address=Address("sms", sender), text=text, received_at=deps.clock(), external_id=sid)


def change_during_first_run(deps: Deps, monkeypatch: Any, change: Callable[[Session], None]) -> list[str]:
    """The engine, replaced: while its first run works, `change` is committed in a transaction of its own. Returns
    the language each run read (filled in as the turn runs)."""
    runs: list[str] = []

    def respond(*args: Any) -> Any:
        runs.append(str(args[1].get("language")))
        if len(runs) == 1:
            with transaction(deps.db) as session:
                change(session)
        return dialogue.respond(*args)

    monkeypatch.setattr(service, "engine", SimpleNamespace(respond=respond, Turn=dialogue.Turn))
    return runs


def conversation_to_english(deps: Deps) -> Callable[[Session], None]:
    def change(session: Session) -> None:
        conversation = session.exec(select(Conversation)).one()
        conversations.save_state(session, conversation.contact_id, {**conversation.state, "language": "en"},
                                 deps.clock())
    return change


def test_a_turn_whose_conversation_changed_meanwhile_is_run_again_on_the_change(deps: Deps,
                                                                               monkeypatch: Any) -> None:
    handle(message(deps, "menu", "SM-o1"), deps)
    runs = change_during_first_run(deps, monkeypatch, conversation_to_english(deps))  # its language
    result = handle(message(deps, "menu", "SM-o2"), deps)
    assert runs == ["nl", "en"]  # read and run again, on the changed state
    assert result.language == "en" and result.replies[0].text == "How can I help you?"  # in the changed language
    with Session(deps.db) as session:
        inbound = session.exec(select(Message).where(Message.direction == "in")).all()
        assert [m.external_id for m in inbound] == ["SM-o1", "SM-o2"]  # the first run wrote nothing
        conversation = session.exec(select(Conversation)).one()
        assert conversation.state["language"] == "en" and conversation.turns == 3  # two turns and the change


def test_a_turn_with_effects_is_locked_as_it_was_read_and_runs_once(deps: Deps, monkeypatch: Any) -> None:
    runs: list[int] = []

    def respond(*args: Any) -> Any:
        turn = dialogue.respond(*args)
        runs.append(len(turn.effects))
        return turn

    monkeypatch.setattr(service, "engine", SimpleNamespace(respond=respond, Turn=dialogue.Turn))
    result = handle(message(deps, "STOP", "SM-o3"), deps)
    assert len(runs) == 1 and runs[0] > 0  # the run's effects applied in the locked turn, without running again
    assert result.replies  # the goodbye
    with Session(deps.db) as session:
        assert session.exec(select(Contact)).one().opted_out
        assert len(session.exec(select(Message).where(Message.direction == "in")).all()) == 1


def test_a_turn_with_effects_whose_conversation_changed_meanwhile_is_run_again(deps: Deps,
                                                                              monkeypatch: Any) -> None:
    handle(message(deps, "menu", "SM-o4"), deps)
    runs = change_during_first_run(deps, monkeypatch, conversation_to_english(deps))
    result = handle(message(deps, "STOP", "SM-o5"), deps)
    assert runs == ["nl", "en"] and result.language == "en"  # the lock found the change: run again on it
    with Session(deps.db) as session:
        assert session.exec(select(Contact)).one().opted_out
        assert [m.external_id for m in session.exec(select(Message).where(Message.direction == "in")).all()] == [
            "SM-o4", "SM-o5"]


def test_messages_of_one_sender_at_once_are_all_stored_and_counted(deps: Deps) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def send(number: int) -> None:
        try:
            start.wait(10)
            handle(message(deps, "menu", f"SM-o-at-once-{number}"), deps)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(number,)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(deps.db) as session:
        inbound = session.exec(select(Message).where(Message.direction == "in")).all()
        assert sorted(m.external_id or "" for m in inbound) == [f"SM-o-at-once-{n}" for n in range(4)]
        assert session.exec(select(Conversation)).one().turns == 4  # no turn's state write was lost


def test_a_turn_that_only_sets_the_language_writes_nothing_after_a_change_and_runs_again(deps: Deps,
                                                                                        monkeypatch: Any) -> None:
    handle(message(deps, "menu", "SM-o6"), deps)

    def contact_to_french(session: Session) -> None:  # a helper's tool sets the contact's language
        contact = session.exec(select(Contact)).one()
        contact.language = "fr"
        session.add(contact)

    def no_effects_path(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("a turn that only sets the language took the effects path")

    runs = change_during_first_run(deps, monkeypatch, contact_to_french)
    monkeypatch.setattr(service, "_with_effects", no_effects_path)
    result = handle(message(deps, "English", "SM-o7"), deps)
    assert len(runs) == 2 and result.language == "en"  # the contact's change was seen: run again
    with Session(deps.db) as session:
        assert session.exec(select(Contact)).one().language == "en"
        assert [m.external_id for m in session.exec(select(Message).where(Message.direction == "in")).all()] == [
            "SM-o6", "SM-o7"]
        assert session.exec(select(Conversation)).one().turns == 2
