"""The call flow and its spoken texts, without the web: languages and voices, keys said aloud, times in words,
digits one by one, and the validator of texts/voice (file and line for every problem)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.content.library import Library
from bot.content.voice_texts import guide_menu, load_voice_texts, word_count
from bot.content_base.languages import load_languages
from bot.content_base.yamlio import ContentError
from bot.effects import CallProgress, SetLanguage
from bot.engine import Turn, respond
from bot.flows.context import Ctx
from bot.flows.voice_common import can_text, keys_from_speech, said_digit_by_digit
from bot.messages import Address, Inbound
from bot.settings import ContentPaths
from bot.state import State
from tests.languages.content_languages import add_language, copy_content, language_entry

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))
TEXTS = ContentPaths.shipped().texts


def call(library: Library, keys: list[str], caller: str = "+32470123456",
         state: dict[str, Any] | None = None) -> list[Turn]:
    address = Address("voice", caller)
    turns = [respond(Inbound(address, "", NOW, payload="call-start", call_id="CA1"), state, library, NOW)]
    for pressed in keys:
        turns.append(respond(Inbound(address, pressed, NOW, call_id="CA1"), turns[-1].state, library, NOW))
    return turns


def test_every_prompt_is_short_and_exists_in_every_spoken_language(library: Library) -> None:
    voice = library.voice
    assert voice is not None
    catalogue = library.texts.catalogue
    spoken = [language.code for language in catalogue.languages if language.active and language.voice_name]
    assert {"nl", "en", "fr"} <= set(spoken)
    keys = set(voice.languages["nl"].prompts)
    for code in spoken:
        prompts = voice.languages[code].prompts
        assert set(prompts) == keys, code
        assert all(word_count(text) <= voice.max_words for text in prompts.values()), code
        assert word_count(guide_menu(voice.languages[code], voice.guides)) <= voice.max_words


def test_choosing_english_with_9_is_remembered_and_said_in_english(library: Library) -> None:
    picker = call(library, ["9"])[-1]
    assert [(r.language, r.text) for r in picker.replies][:3] == [
        ("nl", "Voor Nederlands, druk 1."), ("en", "For English, press 2."), ("fr", "Pour le français, tapez 3.")]
    chosen = call(library, ["9", "2"])[-1]
    assert SetLanguage("en") in chosen.effects
    assert chosen.replies[0].text.startswith("For an open Digipunt nearby, press 1.")
    assert chosen.state["language"] == "en"


def test_every_turn_reports_where_the_call_is(library: Library) -> None:
    turns = call(library, ["1", "9040"])
    progress = [next(e for e in turn.effects if isinstance(e, CallProgress)) for turn in turns]
    assert [p.step for p in progress] == ["menu", "postcode", "places"]
    assert progress[-1].events == ("place_found",) and progress[0].call == "CA1" and not progress[0].withheld


def test_a_language_without_a_voice_goes_on_in_dutch_and_says_so(tmp_path: Path) -> None:
    content = tmp_path / "content"
    copy_content(content)
    add_language(content, language_entry("qaa", "Qaatiz"))  # listed without a voice name
    library = Library.load(ContentPaths.under(content))
    first = call(library, [], state={"language": "qaa", "language_known": True})[0]
    assert first.replies[0].language == "nl"
    assert first.replies[0].text == "Qaatiz kan ik nog niet uitspreken. Ik ga verder in het Nederlands."
    assert all(reply.language in ("nl", "en", "fr") for reply in first.replies)
    assert "qaa" not in [r.language for r in call(library, ["9"])[-1].replies]  # not offered by phone


def test_keys_said_aloud_become_keys(library: Library) -> None:
    ctx = Ctx(inbound=Inbound(Address("voice", "+32470123456"), "", NOW), state=State(language="nl"),
              library=library, now=NOW)
    assert keys_from_speech(ctx, "negen nul vier nul") == "9040"
    assert keys_from_speech(ctx, "Eén.") == "1"
    assert keys_from_speech(ctx, "9040") == "9040"
    ctx.state.language = "fr"
    assert keys_from_speech(ctx, "neuf zéro quatre zéro") == "9040"


def test_codes_and_numbers_are_said_one_by_one() -> None:
    assert said_digit_by_digit("T-4821") == "T, 4, 8, 2, 1"
    assert said_digit_by_digit("0470 12") == "0, 4, 7, 0, 1, 2"


def test_sms_goes_to_mobile_numbers_only() -> None:
    assert can_text("+32470123456")
    assert not can_text("+3292661111")  # a Ghent landline
    assert not can_text(None) and not can_text("withheld:CA1") and not can_text("+266696687")


@pytest.mark.parametrize(("language", "hour", "minute", "said"), [
    ("nl", 17, 0, "vijf uur"), ("nl", 13, 30, "half twee"), ("nl", 9, 15, "kwart over negen"),
    ("nl", 12, 45, "kwart voor één"), ("en", 17, 0, "five o'clock"), ("en", 13, 30, "half past one"),
    ("fr", 17, 0, "dix-sept heures"), ("fr", 13, 30, "treize heures trente"), ("fr", 12, 0, "midi"),
])
def test_times_in_words(library: Library, language: str, hour: int, minute: int, said: str) -> None:
    assert library.voice is not None and library.voice.time(language, hour, minute) == said


def _texts_copy(tmp_path: Path) -> Path:
    target = tmp_path / "texts"
    shutil.copytree(TEXTS, target)
    return target


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _problems(texts: Path) -> str:
    with pytest.raises(ContentError) as raised:
        load_voice_texts(texts, load_languages(texts))
    return str(raised.value)


def test_validator_refuses_a_missing_prompt_with_file_and_line(tmp_path: Path) -> None:
    texts = _texts_copy(tmp_path)
    _edit(texts / "voice" / "fr.yaml", lambda data: data["prompts"].pop("window_ask"))
    lines = (texts / "voice" / "fr.yaml").read_text(encoding="utf-8").splitlines()
    after = next(n for n, text in enumerate(lines, start=1) if text.strip().startswith("number_readback:"))
    assert f"voice/fr.yaml:{after + 1}: prompts.window_ask: missing translation (see nl.yaml)" in _problems(texts)


@pytest.mark.parametrize(("text", "reason"), [
    ("Een open Digipunt in de buurt, druk 1. " * 5, "words; a spoken prompt has at most 30"),
    ("Open tot 17:00, druk 1.", "a clock time in digits"),
    ("Kijk op www.digipunt.gent, druk 1.", "a web address"),
    ("MEER = andere plaatsen, druk 2.", "MEER: capitals"),
    ("Stuur een nummer, druk 1.", "'stuur een' belongs to text messages"),
    ("Open ma-vr, druk 1.", "'ma-vr' belongs to text messages"),
])
def test_validator_refuses_what_does_not_read_well_aloud(tmp_path: Path, text: str, reason: str) -> None:
    texts = _texts_copy(tmp_path)
    _edit(texts / "voice" / "en.yaml", lambda data: data["prompts"].__setitem__("menu", text))
    problems = _problems(texts)
    assert reason in problems and "voice/en.yaml:" in problems and "prompts.menu" in problems


def test_validator_refuses_a_missing_voice_file_for_a_spoken_language(tmp_path: Path) -> None:
    texts = _texts_copy(tmp_path)
    (texts / "voice" / "fr.yaml").unlink()
    assert "voice/fr.yaml:1: missing file: fr is active and has a voice" in _problems(texts)


def test_validator_refuses_an_unknown_guide_and_a_bad_clock(tmp_path: Path) -> None:
    texts = _texts_copy(tmp_path)
    _edit(texts / "voice" / "_voice.yaml", lambda data: data["guides"].append("no-such-guide"))
    _edit(texts / "voice" / "nl.yaml", lambda data: data["clock"].__setitem__("hours", ["twaalf"]))
    with pytest.raises(ContentError) as raised:
        load_voice_texts(texts, load_languages(texts), ("hotspot", "wifree", "whatsapp", "videocall"))
    problems = str(raised.value)
    assert "_voice.yaml:" in problems and "no guide 'no-such-guide'" in problems
    assert "voice/nl.yaml:" in problems and "clock.hours: 24 names" in problems


def test_with_all_seven_languages_each_announces_itself_in_its_own_voice(tmp_path: Path) -> None:
    content = tmp_path / "content"
    copy_content(content)
    for code in ("tr", "ar", "bg", "uk"):  # what the lead's merge does: switch the listed languages on
        add_language(content, {"code": code, "active": True})
    library = Library.load(ContentPaths.under(content))  # their spoken drafts pass the validator
    picker = call(library, ["9"])[-1]
    assert [reply.language for reply in picker.replies] == ["nl", "en", "fr", "tr", "ar", "bg", "uk"]
    assert picker.replies[3].text == "Türkçe için 4 tuşuna basın."
    assert picker.replies[6].text == "Українською, натисніть 7."
    turkish = call(library, ["9", "4"])[-1]
    assert turkish.replies[0].language == "tr" and turkish.replies[0].text.startswith("Yakında açık bir Digipunt")


def test_voice_settings() -> None:
    from bot.settings import Settings, SettingsError

    default = Settings.from_env({})
    assert default.voice_tts_voice == "Polly.Lisa-Neural" and default.voice_input == "dtmf"
    chosen = Settings.from_env({"VOICE_TTS_VOICE": "Google.nl-BE-Wavenet-A", "VOICE_SPEECH": "DTMF  Speech"})
    assert chosen.voice_tts_voice == "Google.nl-BE-Wavenet-A" and chosen.voice_input == "dtmf speech"
    with pytest.raises(SettingsError, match="VOICE_SPEECH"):
        Settings.from_env({"VOICE_SPEECH": "speech only"})
