"""The engine on its own: pure, deterministic, and never a dead end."""

from __future__ import annotations

import sys
from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.content.library import Library
from bot.engine import respond
from bot.messages import Address, Inbound
from bot.state import State

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))


def turn(library: Library, text: str, state: dict[str, Any] | None = None, channel: str = "sms") -> Any:
    inbound = Inbound(address=Address(channel, "+32470000001"), text=text, received_at=NOW)
    return respond(inbound, state, library, NOW)


def conversation(library: Library, *messages: str) -> tuple[list[Any], dict[str, Any]]:
    state: dict[str, Any] | None = None
    turns = []
    for message in messages:
        result = turn(library, message, state)
        state = result.state
        turns.append(result)
    assert state is not None
    return turns, state


def test_engine_imports_no_io_libraries() -> None:
    forbidden = ("twilio", "telegram", "sqlmodel", "sqlalchemy", "starlette", "fastapi", "apscheduler")
    import importlib
    import subprocess

    code = (
        f"import sys, bot.engine; bad=[m for m in sys.modules if m.split('.')[0] in {forbidden!r}]; "
        "print(','.join(sorted(bad)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"the engine pulled in {out.stdout.strip()}"
    assert importlib.import_module("bot.engine")


def test_same_input_same_output(library: Library) -> None:
    first = turn(library, "hallo")
    second = turn(library, "hallo")
    assert first.replies == second.replies
    assert first.state == second.state


def test_a_state_is_stored_as_dataclasses_would_copy_it(library: Library) -> None:
    # State.to_dict walks options and JSON values itself (the hot path); it must give what asdict gives
    _, raw = conversation(library, "hoe deel ik internet van mijn gsm")
    state = State.from_dict(raw)
    assert any(option.words for option in state.options)
    assert state.to_dict() == asdict(state)
    assert State.from_dict(state.to_dict()) == state


def test_menu_is_numbered_in_dutch(library: Library) -> None:
    result = turn(library, "menu")
    reply = result.replies[0]
    assert reply.text == "Waarmee kan ik je helpen?"
    assert [o.key for o in reply.options] == ["1", "2", "3", "4", "5", "6"]
    assert reply.options[0].label == "Digipunt in de buurt"
    assert reply.options[-1].label == "Iemand spreken"


@pytest.mark.parametrize("answer", ["2", "wifi of hotspot", "Wifi of hotspt", "WIFI OF HOTSPOT"])
def test_option_by_digit_label_or_typo(library: Library, answer: str) -> None:
    _, state = conversation(library, "menu")
    result = turn(library, answer, state)
    assert result.replies[0].text.startswith("Wifi of internet"), result.replies[0].text


@pytest.mark.parametrize("word", ["STOP", "stop", "Stoppen", "uit", "ARRET", "arrêt", "unsubscribe"])
def test_stop_words_in_three_languages(library: Library, word: str) -> None:
    _, state = conversation(library, "hallo", "2")
    result = turn(library, word, state)
    assert any(type(e).__name__ == "OptOut" for e in result.effects)
    assert result.state["opted_out"] is True
    silent = turn(library, "menu", result.state)
    assert silent.replies == ()


def test_start_after_stop(library: Library) -> None:
    _, state = conversation(library, "stop")
    result = turn(library, "START", state)
    assert any(type(e).__name__ == "OptIn" for e in result.effects)
    assert "Welkom terug" in result.replies[0].text


@pytest.mark.parametrize(("word", "expected"), [("back", "You are already"), ("retour", "Vous êtes déjà"),
                                                ("terug", "Je bent al")])
def test_back_words(library: Library, word: str, expected: str) -> None:
    language = {"back": "en", "retour": "fr", "terug": "nl"}[word]
    result = turn(library, word, {"language": language})
    assert result.replies[0].text.startswith(expected)


@pytest.mark.parametrize("word", ["help", "HULP", "aide"])
def test_help_offers_a_person(library: Library, word: str) -> None:
    result = turn(library, word)
    actions = [o["action"] for o in result.state["options"]]
    assert "flow:handoff" in actions


@pytest.mark.parametrize(("word", "language"), [("english", "en"), ("Français", "fr"), ("nederlands", "nl"),
                                                ("engels", "en")])
def test_naming_a_language_switches(library: Library, word: str, language: str) -> None:
    result = turn(library, word, {"language": "nl" if language != "nl" else "en"})
    assert result.state["language"] == language
    assert any(type(e).__name__ == "SetLanguage" and e.language == language for e in result.effects)


def test_fallback_reasks_then_offers_helper(library: Library) -> None:
    turns, state = conversation(library, "xqzzy vlorp", "plimf grobble")
    assert turns[0].replies[0].text.startswith("Sorry, dat begrijp ik niet")
    assert len(turns[0].replies[0].options) == 6
    assert "helper" in turns[1].replies[0].text
    assert [o["action"] for o in state["options"]] == ["flow:handoff", "menu:main"]


def test_unmatched_is_recorded_for_staff(library: Library) -> None:
    result = turn(library, "xqzzy vlorp")
    recorded = [e for e in result.effects if type(e).__name__ == "RecordUnmatched"]
    assert recorded and recorded[0].text == "xqzzy vlorp"


def test_repeat_gives_the_last_message_again(library: Library) -> None:
    _, state = conversation(library, "menu", "2")
    again = turn(library, "herhaal", state)
    assert again.replies[0].text.startswith("Wifi of internet")


BAD_INPUTS = [
    "",
    "   \t  ",
    "a" * 5000,
    "😀😀😀",
    "مرحبا كيف حالك",
    "שלום",
    "\x00\x07\x1b[31m hallo",
    "\u202e\u202dmenu",
    "1" * 300,
    "?!?!",
]


@pytest.mark.parametrize("text", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_gets_a_helpful_reply(library: Library, text: str) -> None:
    result = turn(library, text)
    assert result.replies, "no reply"
    joined = " ".join(r.text for r in result.replies)
    assert len(joined) > 10
    assert "error" not in joined.lower()


def test_media_only_message(library: Library) -> None:
    inbound = Inbound(address=Address("whatsapp", "+32470000001"), text="", received_at=NOW, has_media=True)
    result = respond(inbound, {"language": "en"}, library, NOW)
    assert result.replies[0].text.startswith("I can only read text")


def test_a_greeting_does_not_compete_with_the_question(library: Library) -> None:
    result = turn(library, "goeiedag ik heb geen internet thuis")
    assert result.intent == "internet.access"
    assert not result.replies[0].text.startswith("Bedoel je")
