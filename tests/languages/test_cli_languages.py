"""The command line with seven languages: guides list, intents classify, chat --json; days from babel."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from places.describe import hours_in_words
from places.moments import parse_moment
from places.phrases import Phrases
from tests.languages.content_languages import copy_content, fixture_languages

ROOT = Path(__file__).resolve().parents[2]
SEVEN = ["nl", "en", "fr", "tr", "ar", "bg", "uk"]


@pytest.fixture(scope="module")
def seven(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seven-cli")
    copy_content(folder)
    fixture_languages(folder)
    return folder


def cli(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> str:
    out = subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, check=True,
                         timeout=300)
    return out.stdout


def test_guides_list_names_all_seven_languages(seven: Path) -> None:
    rows = json.loads(cli("guides", "list", "--json", env={"DIGIBUUR_CONTENT_DIR": str(seven)}))
    assert len(rows) >= 11
    assert all(row["languages"] == SEVEN for row in rows), rows


def test_intents_classify_names_one_of_the_seven_or_null() -> None:
    lines = ["waar is een digipunt", "bilgisayar nerede", "فين كاين الانترنت", "kade ima internet",
             "де безкоштовний інтернет", "ok", "gdzie jest darmowy komputer"]
    out = [json.loads(line) for line in cli("intents", "classify", stdin="\n".join(lines) + "\n").splitlines()]
    assert [row["language"] for row in out] == ["nl", "tr", "ar", "bg", "uk", None, None]


def test_chat_json_carries_the_language(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'chat.db'}"}
    out = [json.loads(line) for line in cli("chat", "--json", stdin="menu\nEnglish\n", env=env).splitlines()]
    assert out[0]["language"] == "nl" and len(out) >= 2 and {record["language"] for record in out[1:]} == {"en"}


def test_day_names_come_from_babel_in_every_language(seven: Path) -> None:
    phrases = Phrases.load(seven / "places")
    assert hours_in_words("Mo-Fr 09:00-17:00", "tr", phrases=phrases) == "Pzt-Cum 09:00-17:00"
    assert hours_in_words("Mo-Fr 09:00-17:00", "uk", phrases=phrases) == "пн-пт 09:00-17:00"
    assert hours_in_words("Sa 10:00-12:00", "ar", phrases=phrases) == "السبت 10:00-12:00"


@pytest.mark.parametrize("text", ["cumartesi", "Cumartesi 14:00", "събота", "субота", "السبت", "zaterdag"])
def test_moments_in_every_language(text: str) -> None:
    now = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))  # a Wednesday
    moment = parse_moment(text, now)
    assert moment is not None and moment.date().isoformat() == "2026-12-05"
