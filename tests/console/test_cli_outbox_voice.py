"""`digibuur outbox list [--status S] --json` and `digibuur chat --channel voice` against a real database."""

from __future__ import annotations

import io
import json

import pytest
from sqlmodel import Session, select

from bot.cli import main
from bot.runtime import Deps
from storage.db import transaction
from storage.models import Outbox
from storage.queries import enqueue


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def test_outbox_list_json_newest_first_with_status(cli_env: str, live_deps: Deps,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with transaction(live_deps.db) as session:
        first = enqueue(session, "sms", "+32470000001", {"text": "Eerste", "options": [["1", "Ja"], ["2", "Nee"]]})
        second = enqueue(session, "telegram", "12345", {"text": "Tweede"})
        second.status = "sent"
        session.add(second)
    assert main(["outbox", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in rows] == [second.id, first.id]
    assert set(rows[0]) == {"id", "channel", "to", "status", "text", "created_at"}
    assert rows[1] == {"id": first.id, "channel": "sms", "to": "+32470000001", "status": "pending",
                       "text": "Eerste\n1 Ja  2 Nee", "created_at": rows[1]["created_at"]}
    assert main(["outbox", "list", "--status", "sent", "--json"]) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == [second.id]


def test_chat_voice_plays_a_call_with_keys(cli_env: str, live_deps: Deps, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("1\n9040\n1\n\n\n"))
    assert main(["chat", "--channel", "voice", "--as", "+32470123456"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("[nl] Hallo, dit is digibuur")
    assert "(waits for one key)" in out and "(waits for 4 keys)" in out
    assert "[nl] Ik stuur je dit nu per sms." in out
    assert out.rstrip().endswith("(the call ends)")
    with Session(live_deps.db) as session:
        rows = list(session.exec(select(Outbox)))
    assert rows and all((row.channel, row.address) == ("sms", "+32470123456") for row in rows)


def test_chat_voice_json(cli_env: str, live_deps: Deps, monkeypatch: pytest.MonkeyPatch,
                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("2\n"))
    assert main(["chat", "--channel", "voice", "--as", "anonymous", "--json"]) == 0
    start, number = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert start["step"] == "menu" and start["keys"] == 1 and not start["hangup"]
    assert start["say"][0] == {"text": start["say"][0]["text"], "language": "nl"}
    assert number["step"] == "number" and number["keys"] == 0
    assert number["say"][0]["text"].startswith("Je nummer is verborgen.")
