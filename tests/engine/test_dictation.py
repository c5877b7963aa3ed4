"""Punctuation said aloud to voice-to-text is written back as marks, only in dictated messages, and a place name
said in two words ('gent brugge') is still that place."""

from __future__ import annotations

import pytest

from bot.content.library import Library
from bot.flows.dictation import written_marks
from tests.engine.understanding import Chat


@pytest.mark.parametrize(("said", "written"), [
    ("ik zoek een digitaal punt in gentbrugge voor morgen punt mijn computer is kapot vraagteken",
     "ik zoek een digitaal punt in gentbrugge voor morgen. mijn computer is kapot?"),
    ("where can i use a computer comma near the station question mark",
     "where can i use a computer, near the station?"),
    ("bonjour virgule ou est le digipunt point d'interrogation", "bonjour, ou est le digipunt?"),
    ("is er een digipunt in ledeberg punt", "is er een digipunt in ledeberg."),
])
def test_said_marks_are_written(library: Library, said: str, written: str) -> None:
    assert written_marks(said, library.answers) == written


@pytest.mark.parametrize("text", [
    "ik zoek een digitaal punt",  # a 'punt' that is a word, in a message not dictated
    "het is een goed punt",
    "mijn punt is dat het niet werkt",
])
def test_a_message_not_dictated_is_unchanged(library: Library, text: str) -> None:
    assert written_marks(text, library.answers) == text


def test_a_dictated_place_question_in_two_word_place_names_gives_the_list(library: Library) -> None:
    chat = Chat(library, language="nl")
    turn = chat.say("hallo ik zoek een digitaal punt in gent brugge voor morgen voormiddag punt mijn computer is "
                    "kapot en ik moet mijn belastingen doen vraagteken")
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert "Gentbrugge" in turn.replies[0].text
