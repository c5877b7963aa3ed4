"""`digibuur guides check` and `digibuur guides list --json`."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli.guides import register


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="digibuur")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result = args.func(args)
    assert isinstance(result, int)
    return result


def test_list_json_shape(capsys: pytest.CaptureFixture[str], shipped_dir: Path) -> None:
    assert run(["guides", "list", "--json", "--dir", str(shipped_dir)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert isinstance(rows, list) and len(rows) == 12
    for row in rows:
        assert list(row) == ["id", "title", "languages", "steps", "intents"]
        assert row["languages"] == ["nl", "en", "fr", "tr", "ar", "bg", "uk"]
        assert isinstance(row["steps"], int) and row["steps"] >= 1
        assert all(isinstance(intent, str) for intent in row["intents"])
    hotspot = next(row for row in rows if row["id"] == "hotspot")
    assert hotspot["title"] == "Internet van je gsm delen (hotspot)"
    assert hotspot["intents"] == ["guide.hotspot"]
    assert hotspot["steps"] == len(
        [
            line
            for line in (shipped_dir / "hotspot.yaml").read_text().splitlines()
            if line.startswith("  - id:")
        ]
    )


def test_list_reads_the_configured_content_dir(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, content_copy: Callable[[], Path]
) -> None:
    directory = content_copy()
    for path in directory.glob("*.yaml"):
        if path.name not in ("_frame.yaml", "job-help.yaml"):
            path.unlink()
    path = directory / "job-help.yaml"
    path.write_text(path.read_text().replace("guide:device-request", "flow:menu"), encoding="utf-8")
    monkeypatch.setenv("DIGIBUUR_CONTENT_DIR", str(directory.parent))
    assert run(["guides", "list", "--json"]) == 0
    assert [row["id"] for row in json.loads(capsys.readouterr().out)] == ["job-help"]


def test_check_passes_on_the_shipped_guides(capsys: pytest.CaptureFixture[str], shipped_dir: Path) -> None:
    assert run(["guides", "check", "--dir", str(shipped_dir)]) == 0
    captured = capsys.readouterr()
    assert ": error:" not in captured.out
    assert "0 errors" in captured.err


def test_check_fails_and_prints_file_and_line(
    capsys: pytest.CaptureFixture[str], content_copy: Callable[[], Path]
) -> None:
    directory = content_copy()
    path = directory / "teams.yaml"
    text = path.read_text(encoding="utf-8").replace("next: teams-find", "next: teams-search")
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "next: teams-search" in row)
    assert run(["guides", "check", "--dir", str(directory)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{line}: error: teams/teams-login: goes to step 'teams-search'" in out
    assert ": warning: " in out  # warnings are printed too
    assert run(["guides", "list", "--json", "--dir", str(directory)]) == 1
