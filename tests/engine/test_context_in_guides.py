"""Residents who run ahead, look back, say it works, find it after all, or add a remark inside a guide (blind sets
1 and 3): each is read in context, in nl, en and fr, with the shipped WhatsApp and hotspot guides."""

from __future__ import annotations

from typing import Any

import pytest

from bot.content.library import Library
from tests.engine.understanding import Chat, joined, options

START = {"nl": "hoe installeer ik whatsapp", "en": "how do I install whatsapp", "fr": "comment installer whatsapp"}
OK = {"nl": "ok", "en": "ok", "fr": "ok"}


def _step(turn_state: dict[str, Any] | None) -> str | None:
    cursor = (turn_state or {}).get("guide") or {}
    return cursor.get("step_id") if isinstance(cursor, dict) else None


def _at_agree(library: Library, language: str) -> Chat:
    chat = Chat(library, language=language)
    chat.say(START[language])
    if _step(chat.state) != "store":  # the guide may first ask which phone
        chat.say("android")
    assert _step(chat.state) == "store"
    chat.say(OK[language])
    assert _step(chat.state) == "agree"
    return chat


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "er komt geen sms met een code"),
    ("en", "I don't get an sms with the code"),
    ("fr", "je ne reçois pas le sms avec le code"),
])
def test_trouble_with_a_later_step_is_handled_at_that_step(library: Library, language: str, text: str) -> None:
    chat = _at_agree(library, language)
    turn = chat.say(text)
    assert _step(turn.state) == "code"
    assert len(options(turn)) == 3  # done, a helper, later: still in the guide
    assert turn.state["flow"] == "guide"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik heb de code al ingetypt"),
    ("en", "ok i got the code already"),
    ("fr", "j'ai reçu le code"),
])
def test_a_later_step_reported_done_moves_on_after_it(library: Library, language: str, text: str) -> None:
    chat = _at_agree(library, language)
    turn = chat.say(text)
    assert _step(turn.state) == "name"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik zie dat groene knopje niet"),
    ("en", "i cannot find the green button"),
    ("fr", "je ne trouve pas le bouton vert"),
])
def test_trouble_about_the_current_step_stays_there(library: Library, language: str, text: str) -> None:
    chat = _at_agree(library, language)
    turn = chat.say(text)
    assert _step(turn.state) == "agree" and turn.state["flow"] == "guide"


HOTSPOT = {"nl": ("ik wil internet delen met mijn laptop", "samsung", "ja hij doet het"),
           "en": ("share internet from my phone to my laptop", "samsung", "yes it works"),
           "fr": ("partager internet avec mon portable", "samsung", "ça marche")}


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_it_works_late_in_a_guide_ends_it_early_it_is_a_step_done(library: Library, language: str) -> None:
    start, phone, works = HOTSPOT[language]
    early = Chat(library, language=language)
    early.say(start)
    early.say(phone)
    first = _step(early.state)
    turn = early.say(works)
    assert turn.state["flow"] == "guide" and _step(turn.state) != first  # step 1: just the step done
    late = Chat(library, language=language)
    late.say(start)
    late.say(phone)
    for _ in range(4):
        late.say(OK[language])
    assert late.state is not None and late.state["flow"] == "guide"
    ended = late.say(works)
    assert ended.state["flow"] == "" and ended.state.get("guide") is None


@pytest.mark.parametrize(("language", "stuck", "found"), [
    ("nl", "lukt nog steeds niet", "ah daar is het"),
    ("en", "still not working", "found it"),
    ("fr", "toujours pas", "ah si c'est là"),
])
def test_found_it_while_a_helper_is_asked_goes_on_with_the_guide(
        library: Library, language: str, stuck: str, found: str) -> None:
    chat = _at_agree(library, language)
    chat.say(stuck)  # trouble: simpler words
    chat.say(stuck)  # again: a helper is offered
    assert chat.state is not None and chat.state["flow"] in ("offer", "handoff")
    if chat.state["flow"] == "offer":
        chat.say("ja" if language == "nl" else "yes" if language == "en" else "oui")
    assert chat.state["flow"] in ("handoff", "handoff-number")
    turn = chat.say(found)
    assert turn.state["flow"] == "guide" and _step(turn.state) == "number"
    assert not turn.effects  # no ticket


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_ok_at_the_helper_offer_is_still_a_yes(library: Library, language: str) -> None:
    chat = _at_agree(library, language)
    chat.say("blabla kwak")  # a remark: acknowledged
    chat.say("blabla kwak")  # the second miss at the step: a helper is offered
    assert chat.state is not None and chat.state["flow"] == "offer"
    turn = chat.say("ok")
    assert turn.state["flow"] in ("handoff", "handoff-number")


@pytest.mark.parametrize(("language", "remark"), [
    ("nl", "samsung a12"), ("en", "it's a samsung a12"), ("fr", "c'est un samsung a12")])
def test_a_short_remark_at_a_step_is_acknowledged_not_misunderstood(
        library: Library, language: str, remark: str) -> None:
    chat = _at_agree(library, language)
    turn = chat.say(remark)
    texts = joined(turn)
    assert texts.startswith(library.texts.get(language, "noted"))
    assert library.texts.get(language, "guide_hint_unexpected") not in texts
    assert _step(turn.state) == "agree"
    again = chat.say(remark)  # a second remark at the same step is a miss as before
    assert library.texts.get(language, "noted") not in joined(again)
