"""The `digibuur places` command: the nearest JSON contract and the check exit status."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import places as cli_places
from tests.places.places_testing import DATA

RESULT_KEYS = {
    "id",
    "name",
    "address",
    "lat",
    "lon",
    "distance_m",
    "open_now",
    "helper_now",
    "opens_at",
    "closes_at",
}


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="digibuur")
    sub = parser.add_subparsers(dest="command", required=True)
    cli_places.register(sub)
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


def test_nearest_near_text_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(["places", "nearest", "--near", "dampoort", "--at", "2026-03-30T11:30:00+02:00", "--json"]) == 0
    )
    output = json.loads(capsys.readouterr().out)
    assert output["location"] == {"label": "Dampoort", "lat": 51.052621, "lon": 3.749874}
    assert len(output["results"]) == 3
    first = output["results"][0]
    assert set(first) == RESULT_KEYS
    assert (
        first["id"] == "kringwinkel-vlaamsekaai" and first["open_now"] is True and first["helper_now"] is True
    )
    assert first["closes_at"] == "2026-03-30T12:00:00+02:00" and first["opens_at"] is None
    assert first["address"] == "Vlaamsekaai 10, 9000 Gent"


def test_nearest_from_coordinates_with_limit_and_utc_time(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [
        "places",
        "nearest",
        "--lat",
        "51.06",
        "--lon",
        "3.70",
        "--at",
        "2026-12-25T10:00:00Z",
        "--limit",
        "2",
    ]
    assert run([*argv, "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["location"]["label"] == "Brugse Poort - Rooigem"
    assert len(output["results"]) == 2
    assert all(r["open_now"] is False for r in output["results"])  # Christmas
    assert output["results"][0]["opens_at"] == "2026-12-28T10:00:00+01:00"


def test_unknown_location_gives_null_and_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["places", "nearest", "--near", "bla bla", "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == {"location": None, "results": []}
    assert "bla bla" in captured.err


def test_coarse_location_uses_its_point_with_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["places", "nearest", "--near", "9000", "--at", "2026-06-01T11:00:00+02:00", "--json"]) == 0
    captured = capsys.readouterr()
    output = json.loads(captured.out)
    assert output["location"]["label"] == "9000 Gent" and len(output["results"]) == 3
    assert "coarse" in captured.err and "Brugse Poort - Rooigem" in captured.err


def test_text_output_is_numbered_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["places", "nearest", "--near", "korenmarkt", "--at", "2026-06-01T11:00:00+02:00"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" ")[0] for line in lines] == ["1", "2", "3"]


def test_check_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["places", "check", "--dir", str(DATA)]) == 0
    broken = tmp_path / "places"
    shutil.copytree(DATA, broken)
    path = broken / "digipunten.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('"Mo 13:30-17:00; PH off"', '"nooit"', 1))
    capsys.readouterr()
    assert run(["places", "check", "--dir", str(broken)]) == 1
    assert "buurthuis-scheldeoord: hours 'nooit' does not parse" in capsys.readouterr().out


def test_check_in_a_subprocess_uses_the_settings_directory() -> None:
    code = (
        "import argparse, sys; from bot.cli import places as cli_places; p = argparse.ArgumentParser(); "
        "s = p.add_subparsers(); cli_places.register(s); a = p.parse_args(['places', 'check']); "
        "sys.exit(a.func(a))"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert "places data OK" in completed.stdout
