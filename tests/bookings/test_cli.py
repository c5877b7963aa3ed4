"""`digibuur slots add|list` and `digibuur bookings list`: the JSON contracts of issue 17, refusals outside hours."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.runtime import Deps
from tests.bookings.helpers import send, texts


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[dict[str, object]]:
    assert main(argv) == 0
    out: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return out


def test_slots_add_weekly_and_list(cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    added = _json(capsys, ["slots", "add", "--place", "de-krook", "--start", "2027-06-05 10:00", "--minutes", "60",
                           "--capacity", "3", "--weekly-until", "2027-06-19", "--json"])
    assert [row["start"] for row in added] == ["2027-06-05T10:00:00+02:00", "2027-06-12T10:00:00+02:00",
                                               "2027-06-19T10:00:00+02:00"]
    listed = _json(capsys, ["slots", "list", "--place", "de-krook", "--from", "2027-06-12", "--to", "2027-06-12",
                            "--json"])
    assert listed == [{"id": added[1]["id"], "place": "de-krook", "start": "2027-06-12T10:00:00+02:00",
                       "end": "2027-06-12T11:00:00+02:00", "capacity": 3, "booked": 0}]


def test_slots_add_refuses_outside_hours_holidays_and_closed_days(cli_env: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["slots", "add", "--place", "de-krook", "--start", "2027-06-07 12:00", "--minutes", "30",
                 "--capacity", "1"]) == 1  # the lunch break
    assert "outside the opening hours" in capsys.readouterr().err
    assert main(["slots", "add", "--place", "de-krook", "--start", "2026-12-25 13:00", "--minutes", "30",
                 "--capacity", "1"]) == 1  # Christmas
    assert main(["slots", "add", "--place", "nowhere", "--start", "2027-06-07 13:00", "--minutes", "30",
                 "--capacity", "1"]) == 1
    capsys.readouterr()
    added = _json(capsys, ["slots", "add", "--place", "de-krook", "--start", "2026-12-18 10:00", "--minutes", "30",
                           "--capacity", "1", "--weekly-until", "2027-01-01", "--json"])
    assert [row["start"][:10] for row in added] == ["2026-12-18"]  # 25/12 and 1/1 are holidays: skipped


def test_bookings_list_contract(cli_env: str, deps: Deps, capsys: pytest.CaptureFixture[str]) -> None:
    send(deps, "reserveren", "+32470000701", "whatsapp")
    send(deps, "2", "+32470000701", "whatsapp")  # Friday 27/11
    send(deps, "3", "+32470000701", "whatsapp")  # 14:00
    send(deps, "mail", "+32470000701", "whatsapp")
    assert "Gereserveerd!" in texts(send(deps, "ja", "+32470000701", "whatsapp"), "whatsapp")
    rows = _json(capsys, ["bookings", "list", "--place", "de-krook", "--date", "2026-11-27", "--status", "booked",
                          "--json"])
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == ["code", "place", "slot_id", "start", "end", "status", "number", "channel", "language",
                         "created_at"]
    assert (row["place"], row["start"], row["end"], row["status"], row["number"], row["channel"],
            row["language"]) == ("de-krook", "2026-11-27T14:00:00+01:00", "2026-11-27T14:30:00+01:00", "booked",
                                 "+32470000701", "whatsapp", "nl")
    assert str(row["code"]).startswith("R-")
    assert _json(capsys, ["bookings", "list", "--status", "cancelled", "--json"]) == []
    assert _json(capsys, ["bookings", "list", "--date", "2026-11-26", "--json"]) == []
