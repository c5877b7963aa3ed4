"""Seven languages in the engine: knowing the language, switching by name, SMS spelling, the picker for others.

The texts here are small made-up fixtures (tests/languages/content_languages.py); the shipped translations are
content written by others and checked by the validators.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.channels.text_split import split_for_channel
from bot.content.library import Library
from bot.engine import Turn, respond
from bot.messages import Address, Inbound, Reply
from bot.render import render
from bot.settings import ContentPaths
from tests.languages.content_languages import copy_content, fixture_languages

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))


@pytest.fixture(scope="module")
def seven(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("seven")
    copy_content(folder)
    fixture_languages(folder)
    return Library.load(ContentPaths.under(folder))


def talk(library: Library, *messages: str, channel: str = "sms") -> list[Turn]:
    state: dict[str, Any] | None = None
    turns = []
    for text in messages:
        result = respond(Inbound(Address(channel, "+32470000001"), text, NOW), state, library, NOW)
        state = result.state
        turns.append(result)
    return turns


def test_all_seven_are_offered(seven: Library) -> None:
    assert seven.texts.languages == ("nl", "en", "fr", "tr", "ar", "bg", "uk")


@pytest.mark.parametrize(
    ("name", "language"),
    [("Türkçe", "tr"), ("turkce", "tr"), ("по-українськи", "uk"), ("українською", "uk"), ("بالعربية", "ar"),
     ("arabi", "ar"), ("на български", "bg"), ("English", "en"), ("Nederlands", "nl"), ("français", "fr")],
)
def test_names_switch_the_language(seven: Library, name: str, language: str) -> None:
    [result] = talk(seven, name)
    assert result.state["language"] == language and result.state["language_known"]
    # the confirmation opens the first message (on SMS the menu shares it when both fit in two segments)
    assert result.replies[0].text.startswith(seven.texts.get(language, "language_set"))
    assert {reply.language for reply in result.replies} == {language}


def test_a_name_switches_in_the_middle_of_a_flow(seven: Library) -> None:
    first, switched = talk(seven, "waar is een digipunt", "Türkçe")
    assert first.state["flow"] == "digipunt"
    assert switched.state["language"] == "tr"
    assert switched.replies[0].language == "tr"


@pytest.mark.parametrize(
    ("text", "language"),
    [("evde internet yok, ne yapabilirim", "tr"), ("فين كاين الانترنت بلا فلوس", "ar"),
     ("къде има безплатен интернет", "bg"), ("де є безкоштовний інтернет", "uk")],
)
def test_the_first_clear_message_decides(seven: Library, text: str, language: str) -> None:
    [result] = talk(seven, text)
    assert result.state["language"] == language
    assert all(reply.language == language for reply in result.replies)


def test_the_language_is_remembered(seven: Library) -> None:
    turns = talk(seven, "evde internet yok, ne yapabilirim", "ok", "menu")
    assert [turn.state["language"] for turn in turns] == ["tr", "tr", "tr"]
    assert turns[-1].replies[0].text == seven.texts.get("tr", "menu_prompt")


def test_turkish_is_spelled_for_sms_and_kept_on_whatsapp(seven: Library) -> None:
    [result] = talk(seven, "Türkçe")
    first = result.replies[0]
    assert first.language == "tr"
    reply = Reply(text=first.text.splitlines()[0], language="tr", sms_spelling=first.sms_spelling)
    assert "ş" in reply.text and "ı" in reply.text
    sms = render(reply, "sms").text
    assert not set("şğıİŞĞ") & set(sms) and render(reply, "sms").encoding == "GSM-7"
    assert sms == reply.text.replace("ş", "s").replace("ı", "i").replace("ğ", "g").replace("ç", "c")
    assert render(reply, "whatsapp").text == reply.text
    assert render(reply, "telegram").text == reply.text


def test_arabic_on_sms_adds_no_invisible_characters_and_gets_three_segments(seven: Library) -> None:
    turns = talk(seven, "بالعربية", "menu", "1")
    for turn in turns:
        for reply in turn.replies:
            sent = render(reply, "sms")
            assert not [ch for ch in sent.text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf")]
            assert reply.sms_max_segments == 3 and sent.encoding == "UCS-2"
    long_text = "ا" * 190  # 3 UCS-2 segments: one message for Arabic, two for a Latin-script language
    assert split_for_channel(long_text, "sms", 3) == [long_text]
    assert len(split_for_channel(long_text, "sms", 2)) == 2


@pytest.mark.parametrize(
    ("text", "first"),
    [("где есть бесплатный интернет", ["uk", "bg"]), ("gdzie jest darmowy komputer", ["nl"]),
     ("¿dónde hay internet gratis?", ["nl"]), ("привет", ["uk", "bg"]), ("картофи", ["bg", "uk"])],
)
def test_other_languages_get_the_picker(seven: Library, text: str, first: list[str]) -> None:
    [result] = talk(seven, text)
    reply = result.replies[0]
    names = [option.label for option in reply.options]
    own = [seven.texts.catalogue.name(code) for code in first]
    assert names[: len(own)] == own
    assert set(names) >= {"Nederlands", "English", "Français", "Türkçe", "العربية", "Български", "Українська"}
    assert names[-1] == "Talk to someone / Iemand spreken"
    assert render(reply, "sms").segments <= 3
    assert result.state["flow"] == "language-picker"


def test_the_picker_leads_on(seven: Library) -> None:
    picked = talk(seven, "где есть бесплатный интернет", "1")[-1]
    assert picked.state["language"] == "uk" and picked.replies[0].language == "uk"
    helper = talk(seven, "gdzie jest darmowy komputer", "8")[-1]
    assert helper.state["language"] == "en" and helper.state["flow"].startswith("handoff")


def test_a_known_dutch_message_never_gets_the_picker(seven: Library) -> None:
    for text in ("waar is een digipunt", "ok", "dank u", "9040", "hallo", "ik heb geen wifi"):
        [result] = talk(seven, text)
        assert result.state["flow"] != "language-picker", text

