"""Residents writing Dutch, English or French never get the picker for other languages."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.content.library import Library
from bot.engine import respond
from bot.messages import Address, Inbound

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))
DATA = Path(__file__).resolve().parents[1] / "data"


def labelled() -> list[tuple[str, str]]:
    rows = []
    for name in ("intents_dev.tsv", "intents_heldout.tsv"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                language, _intent, text = line.split("\t")
                rows.append((language, text))
    return rows


def test_no_message_of_the_labelled_sets_gets_the_picker(library: Library) -> None:
    pickers = []
    for language, text in labelled():
        turn = respond(Inbound(Address("sms", "+32470000001"), text, NOW), None, library, NOW)
        if turn.state["flow"] == "language-picker":
            pickers.append(f"{language}: {text}")
    assert len(labelled()) > 600
    assert pickers == []


@pytest.mark.parametrize("text", ["heyy digibuur", "helloooo anybody", "bla bla", "qwerty", "ok ok", "hahaha"])
def test_one_sign_is_not_enough_for_the_picker(library: Library, text: str) -> None:
    turn = respond(Inbound(Address("sms", "+32470000001"), text, NOW), None, library, NOW)
    assert turn.state["flow"] != "language-picker"
