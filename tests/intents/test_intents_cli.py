"""`digibuur intents classify` and `digibuur intents eval`, driven through argparse like the real CLI."""

from __future__ import annotations

import argparse
import io
import json
import pathlib

import pytest

from bot.cli.intents import register
from tests.intents.intents_helpers import CATALOG_DIR, DEV_SET


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="digibuur")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


def test_classify_writes_one_json_object_per_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("wr is digipunt\n3\n\nbonjour\n"))
    assert run(["intents", "classify", "--catalog", str(CATALOG_DIR)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["text"] for line in lines] == ["wr is digipunt", "3", "bonjour"]
    assert [line["intent"] for line in lines] == ["digipunt.find", None, "greeting"]
    assert set(lines[0]) == {"text", "intent", "score", "language"}
    assert lines[2]["language"] == "fr"


def test_classify_uses_the_settings_catalogue_by_default(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("DIGIBUUR_CONTENT_DIR", raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("STOP\n"))
    assert run(["intents", "classify"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "optout.stop"


def test_eval_passes_on_the_dev_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["intents", "eval", str(DEV_SET), "--catalog", str(CATALOG_DIR)]) == 0
    out = capsys.readouterr().out
    assert "none kept unmatched" in out and "PASS" in out


def test_eval_fails_below_the_thresholds(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "wrong.tsv"
    path.write_text("nl\tmenu\thotspot aanzetten\nnl\tnone\twhatsapp installeren\n", encoding="utf-8")
    assert run(["intents", "eval", str(path), "--catalog", str(CATALOG_DIR)]) == 1
    out = capsys.readouterr().out
    assert "menu -> guide.hotspot: 1" in out and "FAIL" in out


def test_eval_reports_a_broken_catalogue(tmp_path: pathlib.Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "menu.yaml").write_text("spec_version: 1\nid: menu\n", encoding="utf-8")
    assert run(["intents", "eval", str(DEV_SET), "--catalog", str(tmp_path)]) == 2
    assert "menu.yaml:1: action is missing" in capsys.readouterr().err
