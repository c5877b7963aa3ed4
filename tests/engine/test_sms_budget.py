"""The bot's own fixed messages fit the SMS budget: at most two GSM-7 segments, in every language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.engine import respond
from bot.library import Library
from bot.messages import Address, Inbound, Reply
from bot.render import render

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
@pytest.mark.parametrize("message", ["hallo", "menu", "2", "3", "4", "5", "help", "taal", "xqzzy vlorp"])
def test_menus_and_fallbacks_fit_two_segments(library: Library, language: str, message: str) -> None:
    state = {"language": language, "language_known": True}
    first = respond(Inbound(Address("sms", "+32470000001"), "menu", NOW), state, library, NOW)
    result = respond(Inbound(Address("sms", "+32470000001"), message, NOW), first.state, library, NOW)
    for reply in result.replies:
        rendered = render(reply, "sms")
        assert rendered.encoding == "GSM-7", rendered.text
        assert rendered.segments <= 2, f"{rendered.segments} segments:\n{rendered.text}"


class _Anything(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "Dampoort 12"


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_every_sentence_is_gsm7_after_conversion(library: Library, language: str) -> None:
    for key, template in library.texts.sentences[language].items():
        text = template.format_map(_Anything())
        rendered = render(Reply(text=text), "sms")
        assert rendered.encoding == "GSM-7", f"{language}.{key}: {text}"
