"""Spoken text for phone calls (texts/voice/<lang>.yaml and _voice.yaml), loaded and validated with file and line."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.content_base.languages import LanguageList
from bot.content_base.yamlio import ContentError, line_index, load_yaml_file

VOICE_DIR = "voice"
SHARED_FILE = "_voice.yaml"
CLOCK_KEYS = ("0", "other")
_CLOCK_TIME = re.compile(r"\b\d{1,2}\s*[:.hu]\s*\d{2}\b")  # "17:00", "13u30", "9h30": TTS reads these badly
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_SHOUTED = re.compile(r"\b[A-Z]{3,}\b")  # "MEER", "TERUG": SMS keywords, not speech
_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def word_count(text: str) -> int:
    """Spoken words: a placeholder counts as one word, punctuation as none."""
    plain = _PLACEHOLDER.sub("x", text)
    return sum(1 for token in plain.split() if any(ch.isalnum() for ch in token))


@dataclass(frozen=True)
class Clock:
    """How a language says a time of day: a name per hour (0-23) and a pattern per minute (0, 15, 30, 45)
    or 'other', with {hour}, {next} (the next hour's name) and {minutes}."""

    hours: tuple[str, ...]
    patterns: dict[str, str]

    def say(self, hour: int, minute: int) -> str:
        pattern = self.patterns.get(str(minute)) or self.patterns["other"]
        return pattern.format(hour=self.hours[hour % 24], next=self.hours[(hour + 1) % 24], minutes=minute)


@dataclass(frozen=True)
class VoiceLanguage:
    """One language's spoken sentences, clock words, guide titles and the words for digits (speech input)."""

    code: str
    prompts: dict[str, str]
    clock: Clock
    guide_titles: dict[str, str] = field(default_factory=dict)
    digit_words: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class VoiceTexts:
    """The spoken content of every language that has a voice, and the shared call settings."""

    languages: dict[str, VoiceLanguage]
    source: str
    guides: tuple[str, ...] = ()
    max_words: int = 30
    city: str = ""

    def has(self, language: str) -> bool:
        return language in self.languages

    def get(self, language: str) -> VoiceLanguage:
        return self.languages.get(language) or self.languages[self.source]

    def say(self, language: str, name: str, /, **values: Any) -> str:
        table = self.get(language).prompts
        template = table.get(name) or self.languages[self.source].prompts[name]
        values.setdefault("city", self.city)
        return template.format(**values)

    def time(self, language: str, hour: int, minute: int) -> str:
        """'vijf uur', 'half twee', 'five o'clock', 'dix-sept heures trente'."""
        return self.get(language).clock.say(hour, minute)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, path: Path, lines: dict[Any, int], where: tuple[Any, ...], reason: str) -> None:
        line = 1
        for end in range(len(where), 0, -1):
            if where[:end] in lines:
                line = lines[where[:end]]
                break
        self.items.append(f"{path}:{line}: {reason}")


def _read(path: Path) -> tuple[dict[str, Any], dict[Any, int]]:
    data = load_yaml_file(path)
    return data, line_index(path.read_text(encoding="utf-8"))


def voiced(catalogue: LanguageList, code: str) -> bool:
    """A language can be spoken when the language list gives it a voice locale and name."""
    language = catalogue.get(code)
    return bool(language and language.voice_locale and language.voice_name)


def load_voice_texts(texts_dir: Path, catalogue: LanguageList, guide_ids: tuple[str, ...] | None = None,
                     city: str = "") -> VoiceTexts:
    """Read and check the spoken texts. Every active language with a voice needs every prompt of the source
    language, with the same placeholders, at most `max_words` words, no clock times, URLs or SMS keywords."""
    folder = texts_dir / VOICE_DIR
    problems = _Problems()
    shared, shared_lines = _read(folder / SHARED_FILE)
    shared_path = folder / SHARED_FILE
    max_words = shared.get("max_words", 30)
    if not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 5:
        problems.add(shared_path, shared_lines, ("max_words",), "max_words must be a whole number of at least 5")
        max_words = 30
    never = [str(word).lower() for word in shared.get("never_say") or []]
    spelled = {str(word) for word in shared.get("spelled") or []}
    guides = tuple(str(g) for g in shared.get("guides") or [])
    for position, guide_id in enumerate(guides):
        if guide_ids is not None and guide_id not in guide_ids:
            problems.add(shared_path, shared_lines, ("guides", position), f"guides: no guide {guide_id!r}")
    languages: dict[str, VoiceLanguage] = {}
    lines_of: dict[str, dict[Any, int]] = {}
    for code in catalogue.codes:
        path = folder / f"{code}.yaml"
        if not path.is_file():
            if code in catalogue.active and voiced(catalogue, code):
                problems.items.append(f"{path}:1: missing file: {code} is active and has a voice in _languages.yaml")
            continue
        raw, lines = _read(path)
        lines_of[code] = lines
        languages[code] = _language(code, raw, lines, path, guides, problems)
    source = catalogue.source
    if source not in languages:
        raise ContentError("\n".join([*problems.items, f"{folder / (source + '.yaml')}:1: the source language "
                                      "must have spoken texts"]))
    reference = languages[source].prompts
    for code, language in languages.items():
        path, lines = folder / f"{code}.yaml", lines_of[code]
        previous: tuple[Any, ...] = ("prompts",)
        for key, text in reference.items():
            if not language.prompts.get(key, "").strip():
                # reported where it belongs: just after the prompt that precedes it in the source language
                line = lines.get(previous, 1) + (1 if previous != ("prompts",) else 0)
                problems.items.append(f"{path}:{line}: prompts.{key}: missing translation (see {source}.yaml)")
                continue
            previous = ("prompts", key)
            if _placeholders(language.prompts[key]) != _placeholders(text):
                problems.add(path, lines, ("prompts", key), f"prompts.{key}: placeholders "
                             f"{sorted(_placeholders(language.prompts[key]))} differ from {source}.yaml "
                             f"{sorted(_placeholders(text))}")
        for key in language.prompts:
            if key not in reference:
                problems.add(path, lines, ("prompts", key), f"prompts.{key}: not in {source}.yaml")
        for key, text in language.prompts.items():
            for reason in spoken_problems(text, max_words, never, spelled):
                problems.add(path, lines, ("prompts", key), f"prompts.{key}: {reason}")
        if language.prompts.get("guides_ask") and language.prompts.get("guide_choice"):
            spoken = guide_menu(language, guides)
            if word_count(spoken) > max_words:
                problems.add(path, lines, ("prompts", "guides_ask"), f"prompts.guides_ask with every guide is "
                             f"{word_count(spoken)} words; at most {max_words} (shorten the titles or the list)")
    if problems.items:
        raise ContentError("\n".join(problems.items))
    return VoiceTexts(languages=languages, source=source, guides=guides, max_words=max_words, city=city)


def guide_menu(language: VoiceLanguage, guides: tuple[str, ...]) -> str:
    """'Which guide ...? Hotspot, press 1. ... Back, press star.' as spoken."""
    choices = " ".join(
        language.prompts["guide_choice"].format(title=language.guide_titles.get(guide_id, guide_id), key=number)
        for number, guide_id in enumerate(guides, start=1)
    )
    return language.prompts["guides_ask"].format(choices=choices)


def spoken_problems(text: str, max_words: int, never: list[str], spelled: set[str] | None = None) -> list[str]:
    """Why a sentence does not read well aloud: too long, a clock time, a URL, a shouted SMS keyword, a
    word that belongs to text messages ('Stuur')."""
    reasons: list[str] = []
    words = word_count(text)
    if words > max_words:
        reasons.append(f"{words} words; a spoken prompt has at most {max_words} (options included)")
    if _CLOCK_TIME.search(text):
        reasons.append("a clock time in digits; say times in words (the clock section)")
    if _URL.search(text):
        reasons.append("a web address cannot be heard; leave it out")
    shouted = [word for word in _SHOUTED.findall(_PLACEHOLDER.sub("", text)) if word not in (spelled or set())]
    if shouted:
        reasons.append(f"{', '.join(shouted)}: capitals read as letters or SMS keywords; write the word")
    lowered = " ".join(text.lower().split())
    for phrase in never:
        if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", lowered):
            reasons.append(f"{phrase!r} belongs to text messages, not to a phone call")
    return reasons


def _language(code: str, raw: dict[str, Any], lines: dict[Any, int], path: Path, guides: tuple[str, ...],
              problems: _Problems) -> VoiceLanguage:
    prompts_raw = raw.get("prompts")
    prompts: dict[str, str] = {}
    if not isinstance(prompts_raw, dict):
        problems.add(path, lines, ("prompts",), "prompts must be a mapping of name -> sentence")
    else:
        for key, value in prompts_raw.items():
            if not isinstance(value, str):
                problems.add(path, lines, ("prompts", str(key)), f"prompts.{key}: not text; put it in quotes")
                continue
            prompts[str(key)] = " ".join(value.split())
    clock = _clock(raw.get("clock"), lines, path, problems)
    titles_raw = raw.get("guide_titles") or {}
    titles = {str(k): " ".join(str(v).split()) for k, v in titles_raw.items()} if isinstance(titles_raw, dict) else {}
    for guide_id in guides:
        if not titles.get(guide_id):
            problems.add(path, lines, ("guide_titles",), f"guide_titles.{guide_id}: missing spoken title")
    digits_raw = raw.get("digits") or {}
    digit_words: dict[str, tuple[str, ...]] = {}
    if isinstance(digits_raw, dict):
        for digit, words in digits_raw.items():
            if str(digit) not in "0123456789" or len(str(digit)) != 1 or not isinstance(words, list):
                problems.add(path, lines, ("digits", digit), f"digits.{digit}: a digit 0-9 with a list of words")
                continue
            digit_words[str(digit)] = tuple(str(word).lower() for word in words)
    return VoiceLanguage(code=code, prompts=prompts, clock=clock, guide_titles=titles, digit_words=digit_words)


def _clock(raw: Any, lines: dict[Any, int], path: Path, problems: _Problems) -> Clock:
    fallback = Clock(hours=tuple(str(h) for h in range(24)), patterns={"0": "{hour}", "other": "{hour} {minutes}"})
    if not isinstance(raw, dict):
        problems.add(path, lines, ("clock",), "clock: a mapping with hours (24 names) and patterns")
        return fallback
    hours = raw.get("hours")
    if not isinstance(hours, list) or len(hours) != 24 or not all(isinstance(h, str) and h for h in hours):
        problems.add(path, lines, ("clock", "hours"), "clock.hours: 24 names, one for each hour from 0 to 23")
        return fallback
    patterns = {str(k): str(v) for k, v in (raw.get("patterns") or {}).items()}
    for key in CLOCK_KEYS:
        if key not in patterns:
            problems.add(path, lines, ("clock", "patterns"), f"clock.patterns.{key}: missing")
    for key, pattern in patterns.items():
        if not _placeholders(pattern) <= {"hour", "next", "minutes"}:
            problems.add(path, lines, ("clock", "patterns", key), f"clock.patterns.{key}: only {{hour}}, {{next}} "
                         "and {minutes} may be used")
    if any(key not in patterns for key in CLOCK_KEYS):
        return fallback
    return Clock(hours=tuple(hours), patterns=patterns)
