"""The bot's own fixed messages fit each language's SMS budget (two GSM-7 segments for Latin-script languages,
three UCS-2 ones for Arabic and Cyrillic), in every active language, after the language's SMS spelling."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.content.library import Library
from bot.content_base.languages import shipped_languages
from bot.engine import respond
from bot.messages import Address, Inbound, Reply
from bot.render import render

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))
ACTIVE = shipped_languages().active


@pytest.mark.parametrize("language", ACTIVE)
@pytest.mark.parametrize("message", ["hallo", "menu", "2", "3", "4", "5", "help", "taal", "xqzzy vlorp"])
def test_menus_and_fallbacks_fit_the_budget(library: Library, language: str, message: str) -> None:
    state = {"language": language, "language_known": True}
    policy = library.texts.catalogue.sms(language)
    first = respond(Inbound(Address("sms", "+32470000001"), "menu", NOW), state, library, NOW)
    result = respond(Inbound(Address("sms", "+32470000001"), message, NOW), first.state, library, NOW)
    for reply in result.replies:
        rendered = render(reply, "sms")
        if policy.encoding == "gsm7" and not _names_languages_in_their_script(rendered.text):
            assert rendered.encoding == "GSM-7", rendered.text
        assert rendered.segments <= policy.max_segments, f"{rendered.segments} segments:\n{rendered.text}"


def _names_languages_in_their_script(text: str) -> bool:
    """The language picker lists 'العربية' and 'Українська' as their speakers write them: UCS-2 on SMS, and
    still within the segment budget."""
    languages = shipped_languages()
    names = [found.name for code in languages.active if (found := languages.get(code)) is not None
             and languages.sms(code).encoding == "ucs2"]
    return any(name in text for name in names)


class _Anything(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "Dampoort 12"


@pytest.mark.parametrize("language", [code for code in ACTIVE if shipped_languages().sms(code).encoding == "gsm7"])
def test_every_sentence_is_gsm7_after_conversion(library: Library, language: str) -> None:
    for key, template in library.texts.sentences[language].items():
        text = template.format_map(_Anything())
        rendered = render(library.texts.stamp(Reply(text=text), language), "sms")
        assert rendered.encoding == "GSM-7", f"{language}.{key}: {text}"
