"""Shipped guides in seven languages: trouble texts, option synonyms, SMS budgets per script, Skype only when asked."""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from pathlib import Path

import pytest

from bot.content_base.languages import shipped_languages
from guides.loader import GuideBook
from guides.model import Guide, Step
from guides.problems import Problem
from guides.sms import segment_info
from guides.validate import check_guide_text
from guides.view import compose, sms_body

LANGUAGES = shipped_languages().active

UCS2_LANGUAGES = ("ar", "bg", "uk")
TURKISH_SMS = str.maketrans({"ş": "s", "Ş": "S", "ğ": "g", "Ğ": "G", "ı": "i", "İ": "I", "ç": "c"})


def as_sms(text: str, language: str) -> str:
    """What SMS sends: Turkish without the letters GSM-7 lacks (ö ü Ç stay)."""
    return text.translate(TURKISH_SMS) if language == "tr" else text


def budget(language: str) -> int:
    return 3 if language in UCS2_LANGUAGES else 2


def all_steps(book: GuideBook) -> list[tuple[Guide, Step]]:
    return [(guide, step) for guide in book.guides.values() for step in guide.steps.values()]


def sent_messages(book: GuideBook, number_answers: bool = True) -> list[tuple[str, str, str, int]]:
    """(guide/step, field, language, segments) of every step and trouble text, measured as sent with the
    widest progress prefix ("Stap 9 van 9:"), by default also for answers (a later engine may number them)."""
    found = []
    for guide, step in all_steps(book):
        for field, texts in (("text", step.text), ("trouble", step.trouble)):
            kind = "step" if step.kind == "answer" and number_answers else step.kind
            shown = replace(step, text=texts, kind=kind)
            for language in texts:
                body = as_sms(sms_body(compose(book.frame, shown, language, 9, 9)), language)
                found.append((f"{guide.id}/{step.id}", field, language, segment_info(body).segments))
    return found


def test_every_text_title_and_label_is_in_seven_languages(book: GuideBook) -> None:
    assert LANGUAGES == ("nl", "en", "fr", "tr", "ar", "bg", "uk")
    assert {guide.id: guide.languages() for guide in book.guides.values()} == {
        guide_id: LANGUAGES for guide_id in book.guides
    }
    frame = book.frame
    for phrase in (frame.progress, frame.hint_next, frame.hint_more, frame.hint_check, frame.choose_hint):
        assert set(phrase) == set(LANGUAGES)


def test_every_instruction_step_has_a_trouble_text_in_every_language(book: GuideBook) -> None:
    missing = [
        f"{guide.id}/{step.id}: {[lang for lang in LANGUAGES if not step.trouble.get(lang)]}"
        for guide, step in all_steps(book)
        if step.kind != "answer" and set(step.trouble) != set(LANGUAGES)
    ]
    assert missing == []
    instruction_steps = [step for _, step in all_steps(book) if step.kind != "answer"]
    assert len(instruction_steps) >= 45
    for step in instruction_steps:
        assert step.trouble["nl"] != step.text["nl"], step.id  # said differently, not repeated


def test_every_option_of_a_choice_has_synonyms_in_every_language(book: GuideBook) -> None:
    missing = [
        f"{guide.id}/{step.id}/{option.key}"
        for guide, step in all_steps(book)
        for option in step.options
        if len(step.options) > 1 and set(option.synonyms) != set(LANGUAGES)
    ]
    assert missing == []


def test_no_word_picks_two_options_of_the_same_step(book: GuideBook) -> None:
    clashes = []
    for guide, step in all_steps(book):
        owner: dict[str, str] = {}
        for option in step.options:
            words = {word.casefold() for words in option.synonyms.values() for word in words}
            words |= {label.casefold() for label in option.label.values()}
            for word in words:
                if owner.setdefault(word, option.key) != option.key:
                    clashes.append(f"{guide.id}/{step.id}: {word!r} in {owner[word]} and {option.key}")
    assert clashes == []


def test_no_invisible_control_characters_in_guide_files(shipped_dir: Path) -> None:
    hidden = [
        f"{path.name}:{number}: U+{ord(char):04X}"
        for path in sorted(shipped_dir.glob("*.yaml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for char in line
        if unicodedata.category(char) == "Cf"
    ]
    assert hidden == []


def test_sms_budgets_per_script(book: GuideBook) -> None:
    messages = sent_messages(book)
    over = [row for row in messages if row[3] > budget(row[2])]
    assert over == []
    for language in UCS2_LANGUAGES:  # most fit in 2 parts as they are sent today
        counts = [row[3] for row in sent_messages(book, number_answers=False) if row[2] == language]
        assert sum(1 for count in counts if count <= 2) / len(counts) >= 0.85, language


def test_turkish_is_gsm7_once_spelled_for_sms(book: GuideBook) -> None:
    texts = [texts["tr"] for _, step in all_steps(book) for texts in (step.text, step.trouble) if texts]
    texts += [option.label["tr"] for _, step in all_steps(book) for option in step.options]
    assert len(texts) > 200
    assert [text for text in texts if segment_info(as_sms(text, "tr")).encoding != "GSM-7"] == []
    assert any("ş" in text or "ı" in text for text in texts)  # the files keep full Turkish spelling


# ---- video calling answers the question asked; Skype only when the resident names it ----


def test_videocall_starts_with_step_one_and_never_names_skype(book: GuideBook) -> None:
    videocall = book.guides["videocall"]
    first = videocall.steps[videocall.first]
    assert first.numbered  # "Stap 1 van 3" in the first reply, no menu before it
    assert {"Skype", "skype"}.isdisjoint(
        word
        for step in videocall.steps.values()
        for texts in (step.text, step.trouble, *(option.label for option in step.options))
        for text in texts.values()
        for word in text.replace(".", " ").replace(":", " ").split()
    )
    assert "Skype" not in " ".join(videocall.title.values())


def test_skype_is_explained_in_one_step_reached_by_naming_it(book: GuideBook) -> None:
    videocall, teams = book.guides["videocall"], book.guides["teams"]
    other = next(o for o in videocall.steps[videocall.first].options if "skype" in o.synonyms["nl"])
    assert other.target == "guide:teams"
    named = next(o for o in teams.steps[teams.first].options if "skype" in o.synonyms["nl"])
    assert named.target == "skype"
    explaining = [step.id for step in teams.steps.values() if "Skype" in step.text["nl"]]
    assert explaining == ["skype"]
    assert all(
        "5" in teams.steps["skype"].text[lang] and "2025" in teams.steps["skype"].text[lang] for lang in LANGUAGES
    )


# ---- the validator's budgets per language (the same rules, on a small guide) ----

TINY = """\
id: tiny
spec_version: 1
title: {{nl: Klein, en: Small, fr: Petit, tr: Küçük, ar: صغير, bg: Малък, uk: Малий}}
intents: []
steps:
  - id: only
    kind: check
    text:
      nl: Open een website.
      en: Open a website.
      fr: Ouvrez un site.
      tr: "{tr}"
      ar: "{ar}"
      bg: Отворете сайт.
      uk: Відкрийте сайт.
"""


def tiny(tr: str = "Bir site açın.", ar: str = "افتح موقعا.") -> list[Problem]:
    return check_guide_text("tiny.yaml", TINY.format(tr=tr, ar=ar))


def test_arabic_may_use_three_ucs2_segments_but_not_four() -> None:
    three = "افتح موقعا " * 14  # about 160 characters with the frame: 3 parts of 67
    four = "افتح موقعا " * 20
    assert [p for p in tiny(ar=three) if p.level == "error"] == []
    assert [p.language for p in tiny(ar=four) if p.level == "error"] == ["ar"]
    assert not any("forces UCS-2" in p.message for p in tiny(ar=three))


def test_turkish_is_measured_after_sms_spelling() -> None:
    turkish = "Şimdi ayarları açın, çıkışa dokunun. " * 7  # GSM-7 once ş ı ç are spelled s i c
    assert segment_info(as_sms(turkish, "tr")).encoding == "GSM-7"
    assert [p for p in tiny(tr=turkish.strip()) if p.language == "tr" and p.level == "error"] == []
    assert not any("forces UCS-2" in p.message for p in tiny(tr=turkish.strip()))


def test_an_invisible_control_character_is_an_error() -> None:
    problems = tiny(ar="افتح\u200f موقعا.")
    assert any(p.level == "error" and "U+200F" in p.message and p.language == "ar" for p in problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_frame_phrases_fit_a_short_step(book: GuideBook, language: str) -> None:
    step = book.guides["hotspot"].steps["samsung-connections"]
    body = as_sms(sms_body(compose(book.frame, step, language, 3, 6)), language)
    assert segment_info(body).segments == 1
