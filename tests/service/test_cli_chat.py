"""`digibuur chat --at MOMENT` (every time-dependent answer follows it) and `--reset` (forget the conversation,
keep the tickets), through the real command on a real database."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, col, select

from bot.cli import main
from bot.cli.chat import MomentError, clock_from, parse_moment
from storage.models import Contact, Conversation, Message, Ticket
from tests.conftest import BRUSSELS

ROOT = Path(__file__).resolve().parents[2]
RESIDENT = "+32470555001"


@pytest.fixture
def chat_db(monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def chat(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
         lines: str) -> tuple[str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["chat", "--as", RESIDENT, *argv]) == 0
    captured = capsys.readouterr()
    return captured.out, captured.err


def rows(db_url: str) -> tuple[list[Message], list[Ticket], Conversation | None]:
    engine = create_engine(db_url)
    with Session(engine) as session:
        contact = session.exec(select(Contact).where(Contact.address == RESIDENT)).first()
        assert contact is not None
        messages = list(session.exec(select(Message).where(Message.contact_id == contact.id)
                                     .order_by(col(Message.id))))
        tickets = list(session.exec(select(Ticket).where(Ticket.contact_id == contact.id)))
        conversation = session.exec(select(Conversation).where(Conversation.contact_id == contact.id)).first()
    engine.dispose()
    return messages, tickets, conversation


# ---- the moment ----


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-05 22:00", datetime(2026, 12, 5, 22, 0, tzinfo=BRUSSELS)),
        ("2026-12-05T22:00", datetime(2026, 12, 5, 22, 0, tzinfo=BRUSSELS)),
        ("2026-07-01 10:00", datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),  # summer time: +02:00
        ("2026-12-05T21:00Z", datetime(2026, 12, 5, 22, 0, tzinfo=BRUSSELS)),
        ("2026-12-05T22:00:00+01:00", datetime(2026, 12, 5, 21, 0, tzinfo=UTC)),
        ("2026-12-05", datetime(2026, 12, 5, 0, 0, tzinfo=BRUSSELS)),
    ],
)
def test_a_moment_is_brussels_time_unless_it_has_an_offset(raw: str, expected: datetime) -> None:
    moment = parse_moment(raw, "Europe/Brussels")
    assert moment == expected and moment.tzinfo is not None


@pytest.mark.parametrize("raw", ["morgen", "5/12 22u", "", "2026-13-01 10:00"])
def test_a_wrong_moment_is_refused(raw: str) -> None:
    with pytest.raises(MomentError, match="ISO 8601"):
        parse_moment(raw, "Europe/Brussels")


def test_the_clock_runs_on_from_the_moment() -> None:
    ticks = iter([100.0, 100.0, 130.5])
    clock = clock_from(datetime(2026, 12, 5, 22, 0, tzinfo=BRUSSELS), lambda: next(ticks))
    assert clock() == datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
    assert clock() == datetime(2026, 12, 5, 21, 0, 30, 500000, tzinfo=UTC)


def test_places_and_promises_follow_the_moment(
    chat_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    saturday, err = chat(monkeypatch, capsys, ["--at", "2026-12-05 22:00"], "waar is een digipunt\ndampoort\n")
    assert "the time is 2026-12-05 22:00" in err
    assert "gesloten, opent ma" in saturday and "open tot" not in saturday
    thursday, _ = chat(monkeypatch, capsys, ["--at", "2026-11-26T10:30:00+01:00"], "dampoort\n")
    assert "1 Kringwinkel, Vlaamsekaai 10: open tot 12u, met begeleider" in thursday
    promised, _ = chat(monkeypatch, capsys, ["--at", "2026-12-05 22:00"],
                       "menu\nik wil iemand spreken\n1\n3\n1\n")
    assert "belt je in de namiddag op een werkdag" in promised and "zo snel mogelijk" not in promised
    messages, tickets, _ = rows(chat_db)
    first = messages[0].created_at.replace(tzinfo=messages[0].created_at.tzinfo or UTC)
    assert abs((first - datetime(2026, 12, 5, 21, 0, tzinfo=UTC)).total_seconds()) < 60
    assert len(tickets) == 1 and tickets[0].callback_window == "afternoon"


def test_a_wrong_moment_stops_the_chat(chat_db: str, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("hallo\n"))
    assert main(["chat", "--at", "zaterdag"]) == 2
    assert "is not a moment" in capsys.readouterr().err


# ---- reset ----


def test_reset_forgets_the_conversation_but_not_the_tickets(
    chat_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chat(monkeypatch, capsys, [], "ik wil iemand spreken\n1\n1\n1\nhotspot\n")
    before, tickets, conversation = rows(chat_db)
    assert len(tickets) == 1 and conversation is not None and conversation.state["flow"]
    code = tickets[0].code

    out, err = chat(monkeypatch, capsys, ["--reset"], "")
    assert out == "" and f"forgot the conversation of sms:{RESIDENT} (its tickets are kept)" in err
    messages, tickets_after, conversation = rows(chat_db)
    assert len(messages) == len(before)  # the message log is not the conversation state: nothing is deleted
    assert [t.code for t in tickets_after] == [code] and tickets_after[0].status == "open"
    assert conversation is not None
    state = conversation.state
    assert state["flow"] == "" and state["options"] == [] and state["guide"] is None and state["data"] == {}
    assert state["ticket"] == code and conversation.turns == 0

    status, _ = chat(monkeypatch, capsys, [], "status\n")
    assert code in status


def test_reset_of_an_unknown_address_says_there_is_nothing(
    chat_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["chat", "--as", "+32470999000", "--reset"]) == 0
    assert "has no conversation yet; nothing to forget" in capsys.readouterr().err


def test_the_installed_command_takes_at_and_reset(db_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": db_url}
    command = [sys.executable, "-m", "bot.cli", "chat", "--as", RESIDENT, "--reset", "--at", "2026-11-26 10:30"]
    first = subprocess.run(command, input="waar is een digipunt\nrabot\n", capture_output=True, text=True,
                           env=env, cwd=ROOT, timeout=120, check=False)
    assert first.returncode == 0, first.stderr
    assert "nothing to forget" in first.stderr
    assert "1 Wijkkantoor Rabot, Griendeplein: open tot 12u, met begeleider (in je wijk)" in first.stdout
    second = subprocess.run(command, input="1\n", capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
                            check=False)
    assert f"forgot the conversation of sms:{RESIDENT}" in second.stderr
    assert "Wijkkantoor" not in second.stdout  # the list was forgotten: "1" is no longer a place
