"""Forget-me and the retention purge leave nothing behind: not in any table (outbox rows forwarded to helpers,
unmatched texts, dead letters, ticket events, a callback number given on another channel), and on SQLite not in
the database file or its WAL either (secure_delete + a TRUNCATE checkpoint). Checked on the raw bytes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from sqlmodel import Session, func, select

from bot import engine
from bot.cli.privacy import forget
from bot.crons import purge_retention
from bot.runtime import Deps
from handoff import inbox
from handoff.notify import message_hook
from storage.db import transaction
from storage.models import Contact, DeadLetter, Outbox, Ticket, Unmatched, User
from storage.types import utcnow
from tests.conftest import Clock, new_database_url
from tests.handoff.conftest import make_user
from tests.service.test_service import dump_database
from tests.transcript import say

NUMBER = "+32470123987"  # the resident's SMS number, also given as the callback number on Telegram
CHAT = "777001"  # the same resident on Telegram
SECRETS = ("470123987", "470 12 39 87", "Zorbakaas", "Quuxwortel", "Plonkerbaum", "Gloopfrazzle", CHAT)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every test here runs on both databases (PostgreSQL when DIGIBUUR_TEST_POSTGRES_URL is set)."""
    return new_database_url(tmp_path, str(request.param))


def sqlite_files(deps: Deps) -> list[Path]:
    database = make_url(str(deps.db.url)).database
    assert database
    return [Path(database), Path(database + "-wal")]


def raw_bytes(deps: Deps) -> bytes:
    return b"".join(path.read_bytes() for path in sqlite_files(deps) if path.exists())


def left_behind(deps: Deps, needles: tuple[str, ...]) -> list[str]:
    """The needles still found: in the raw SQLite file and WAL bytes, or in a dump of every table."""
    haystack = raw_bytes(deps) if deps.db.dialect.name == "sqlite" else dump_database(deps).encode()
    return [needle for needle in needles if needle.encode() in haystack]


def resident_everywhere(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> str:
    """One resident leaving traces in every table: two channels, a ticket claimed by a helper who gets the
    resident's words by Telegram, unmatched questions, and a message that made the engine fail."""
    deps.on_ticket_message.append(message_hook)
    for text in ("ik wil iemand spreken", "0470 12 39 87", "1", "1", "1"):
        say(deps, "telegram", CHAT, text)
    say(deps, "telegram", CHAT, "hallo nog een vraag over Zorbakaas")
    say(deps, "sms", NUMBER, "heb je Quuxwortel")
    real = engine.respond

    def fail_on_gloop(inbound: Any, *args: Any) -> Any:
        if "Gloopfrazzle" in inbound.text:
            raise RuntimeError("the engine broke")
        return real(inbound, *args)

    monkeypatch.setattr(engine, "respond", fail_on_gloop)
    say(deps, "sms", NUMBER, "Gloopfrazzle?")
    helper = make_user(deps, "anna@beego.be", telegram_user_id=4242)
    with transaction(deps.db) as session:
        ticket = session.exec(select(Ticket)).one()
        viewer = session.get(User, helper.id)
        assert viewer is not None and inbox.claim(session, viewer, ticket.code, deps.clock())
    say(deps, "telegram", CHAT, "mijn buurman Plonkerbaum helpt ook")
    with Session(deps.db) as session:
        forwarded = session.exec(select(Outbox).where(Outbox.address == "4242")).all()
        assert any("Plonkerbaum" in row.body["text"] for row in forwarded)
        unmatched = " ".join(u.text for u in session.exec(select(Unmatched)))
        assert "Zorbakaas" in unmatched and "Quuxwortel" in unmatched, unmatched
        assert session.exec(select(func.count()).select_from(DeadLetter)).one() == 1
        return ticket.code


def test_forget_number_reaches_every_table_and_the_raw_file(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    code = resident_everywhere(deps, monkeypatch)
    assert left_behind(deps, SECRETS) == list(SECRETS)  # the scan sees them before
    assert forget(str(deps.db.url.render_as_string(hide_password=False)), "0470 12 39 87") == 2
    assert left_behind(deps, SECRETS) == []
    with Session(deps.db) as session:
        assert session.exec(select(func.count()).select_from(Contact)).one() == 0
        ticket = session.exec(select(Ticket).where(Ticket.code == code)).one()
        assert ticket.callback_number is None and ticket.status == "closed" and ticket.transcript == []
    if deps.db.dialect.name == "sqlite":
        wal = sqlite_files(deps)[1]
        assert not wal.exists() or wal.stat().st_size == 0


def test_vergeet_mij_in_a_chat_leaves_no_bytes_behind(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    resident_everywhere(deps, monkeypatch)
    say(deps, "telegram", CHAT, "vergeet mij")
    say(deps, "telegram", CHAT, "1")
    gone = ("Zorbakaas", "Plonkerbaum", "470 12 39 87", CHAT)
    assert left_behind(deps, gone) == []
    assert left_behind(deps, ("Quuxwortel",)) == ["Quuxwortel"]  # the SMS conversation was not asked to go


def test_retention_purges_unmatched_and_dead_letters_and_their_bytes(
    deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    resident_everywhere(deps, monkeypatch)
    with transaction(deps.db) as session:
        ticket = session.exec(select(Ticket)).one()
        staff = session.exec(select(User)).one()
        staff.role = "staff"
        inbox.close(session, staff, ticket.code, clock.now, outcome="solved")
    later = max(clock.now, utcnow()) + timedelta(days=deps.settings.retention_days, hours=1)  # outbox: real time
    counts = purge_retention.run(deps, later)
    assert counts["unmatched_deleted"] >= 2 and counts["dead_letters_deleted"] == 1
    assert counts["outbox_deleted"] >= 1
    with Session(deps.db) as session:
        assert session.exec(select(func.count()).select_from(Unmatched)).one() == 0
        assert session.exec(select(func.count()).select_from(DeadLetter)).one() == 0
    assert left_behind(deps, ("Zorbakaas", "Quuxwortel", "Plonkerbaum", "Gloopfrazzle", "470 12 39 87")) == []
