"""'Forget me' in a resident's own words (blind set 3): a message that itself asks to delete goes straight to the
one confirmation (not the notice and then the confirmation); a question about keeping data still gets the notice."""

from __future__ import annotations

import pytest

from bot.content.library import Library
from tests.engine.understanding import Chat, joined, options


@pytest.mark.parametrize(("language", "text", "confirm"), [
    ("en", "ok then please wipe my number and everything you have on me", "Do you want us to delete"),
    ("nl", "Mag alles van mij weg nu? mijn nummer en wat ik gestuurd heb", "Wil je dat we je nummer"),
    ("nl", "verwijder al mijn gegevens", "Wil je dat we je nummer"),
])
def test_an_explicit_request_is_confirmed_once(library: Library, language: str, text: str, confirm: str) -> None:
    chat = Chat(library, language=language)
    asked = chat.say(text)
    assert confirm in joined(asked) and len(options(asked)) == 2
    done = chat.say("yep" if language == "en" else "ja doe maar 🙏")
    assert [type(effect).__name__ for effect in done.effects] == ["ForgetContact"]


def test_a_question_about_keeping_data_gets_the_notice(library: Library) -> None:
    chat = Chat(library, language="en")
    notice = chat.say("hey how long do you keep my chats")
    assert "30 days" in joined(notice) and options(notice) == ["Delete everything", "Menu"]
