"""The service: dead letters, throttling, loop detection, forget-me, and the message log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, func, select

from bot import engine
from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle
from storage.models import Contact, DeadLetter, Message, Unmatched
from tests.conftest import Clock


def send(deps: Deps, text: str, address: str = "+32470000010", external_id: str | None = None) -> Any:
    return handle(Inbound(address=Address("sms", address), text=text, received_at=deps.clock(),
                          external_id=external_id), deps)


def test_engine_failure_keeps_a_dead_letter(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(engine, "respond", explode)
    result = send(deps, "menu", external_id="SM-dead-1")
    assert "Sorry, er ging iets mis" in result.replies[0].text
    with Session(deps.db) as session:
        letter = session.exec(select(DeadLetter)).one()
        assert "boom" in letter.error
        kept = session.get(Message, letter.message_id)
        assert kept is not None and kept.text == "menu" and kept.direction == "in"


def test_one_number_flooding_is_throttled_politely(deps: Deps) -> None:
    limit = deps.settings.throttle_per_minute
    answers = [send(deps, f"vraag nummer {i}") for i in range(limit + 5)]
    assert all(a.replies for a in answers[:limit])
    assert "Wacht even een minuut" in answers[limit].replies[0].text
    assert all(not a.replies for a in answers[limit + 1:])
    other = send(deps, "menu", address="+32470000011")
    assert other.replies and other.replies[0].text.startswith("Waarmee")


def test_throttle_lifts_after_a_minute(deps: Deps, clock: Clock) -> None:
    for i in range(deps.settings.throttle_per_minute + 2):
        send(deps, f"bericht {i}")
    clock.now = clock.now + timedelta(minutes=2)
    assert send(deps, "menu").replies[0].text.startswith("Waarmee")


def test_a_bot_repeating_itself_is_stopped(deps: Deps, clock: Clock) -> None:
    autoreply = "I am out of office until Monday, thank you for your message"
    results = []
    for _ in range(7):
        clock.now = clock.now + timedelta(seconds=20)
        results.append(send(deps, autoreply))
    assert all(r.replies for r in results[:4])
    assert all(not r.replies for r in results[4:])


def test_unmatched_messages_are_kept_for_review(deps: Deps) -> None:
    send(deps, "wat is het weer morgen in brussel")
    with Session(deps.db) as session:
        row = session.exec(select(Unmatched)).one()
        assert row.text == "wat is het weer morgen in brussel"


def test_forget_me_removes_every_trace(deps: Deps) -> None:
    number = "+32470000077"
    send(deps, "hallo", address=number)
    send(deps, "ik zoek een digipunt", address=number)
    send(deps, "vergeet mij", address=number)
    done = send(deps, "1", address=number)
    assert "gewist" in done.replies[0].text
    with Session(deps.db) as session:
        assert session.exec(select(Contact).where(Contact.address == number)).first() is None
        assert session.exec(select(func.count()).select_from(Message)).one() == 0
        assert session.exec(select(func.count()).select_from(Unmatched)).one() == 0
    dump = dump_database(deps)
    assert "470000077" not in dump and "vergeet mij" not in dump and "ik zoek een digipunt" not in dump


def dump_database(deps: Deps) -> str:
    """Every row of every table as text: a database dump that works on SQLite and PostgreSQL."""
    from sqlmodel import SQLModel

    lines: list[str] = []
    with deps.db.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                lines.append(f"{table.name}: {tuple(row)!r}")
    return "\n".join(lines)
