"""Asking for a language in a sentence that also names the one the resident does not read well (blind sets): the
language left after the negated one is chosen at once, and the confirmation shares the question's SMS."""

from __future__ import annotations

import pytest

from bot.content.library import Library
from tests.engine.understanding import Chat


@pytest.mark.parametrize(("text", "language"), [
    ("sorry English please, my dutch is not good", "en"),
    ("pardon, je parle pas bien le neerlandais, en francais c'est possible?", "fr"),
    ("bonjour, est-ce que vous parlez arabe ? mon francais n'est pas tres bon", "ar"),
])
def test_the_language_left_after_the_negated_one(library: Library, text: str, language: str) -> None:
    chat = Chat(library, language="nl")
    turn = chat.say(text)
    assert (chat.state or {})["language"] == language
    assert turn.replies[0].text.startswith(library.texts.get(language, "language_set"))
    assert {reply.language for reply in turn.replies} == {language}


def test_only_a_negated_language_gets_the_picker(library: Library) -> None:
    chat = Chat(library, language="nl")
    turn = chat.say("i don't speak dutch")
    assert (chat.state or {})["flow"] == "language" and len(turn.replies[0].options) == 7
