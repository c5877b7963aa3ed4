"""`digibuur tickets list --json`: the exact contract."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.runtime import Deps
from handoff import inbox
from storage.db import transaction
from tests.conftest import Clock
from tests.handoff.conftest import make_user, open_ticket_by_chat

FIELDS = [
    "code",
    "status",
    "organisation",
    "language",
    "topic",
    "callback_number",
    "callback_window",
    "created_at",
    "transcript",
]


def test_tickets_list_json(
    deps: Deps, clock: Clock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = open_ticket_by_chat(deps, "+32470000401")
    second = open_ticket_by_chat(deps, "+32470000402", opener="je voudrais parler à quelqu'un")
    staff = make_user(deps, "staff@stad.gent", role="staff", organisation=None)
    with transaction(deps.db) as session:
        inbox.claim(session, staff, second, clock.now)
    monkeypatch.setenv("DATABASE_URL", deps.settings.database_url)
    assert main(["tickets", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [row["code"] for row in rows] == [first, second]
    assert list(rows[0]) == FIELDS
    assert rows[0]["status"] == "open" and rows[1]["status"] == "claimed"
    assert rows[0]["callback_number"] == "+32470000401" and rows[0]["callback_window"] == "asap"
    assert rows[1]["language"] == "fr"
    assert rows[0]["created_at"].startswith("2026-11-26T09:30:00")
    assert list(rows[0]["transcript"][0]) == ["from", "text", "at"]
    assert rows[0]["transcript"][0]["from"] == "resident"
    assert main(["tickets", "list", "--status", "claimed", "--json"]) == 0
    assert [row["code"] for row in json.loads(capsys.readouterr().out)] == [second]
    assert main(["tickets", "list", "--status", "closed", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
