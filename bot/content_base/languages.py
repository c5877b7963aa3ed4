"""The list of languages (texts/_languages.yaml): names, script, direction, SMS policy, voice, switch words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.content_base.yamlio import ContentError, Path_, line_index, nearest_line, parse_yaml
from bot.scripts import LatinSpelling

LANGUAGES_FILE = "_languages.yaml"
SHIPPED_TEXTS = Path(__file__).resolve().parents[1] / "texts"
ENCODINGS = ("gsm7", "ucs2")
DIRECTIONS = ("ltr", "rtl")
_CODE = re.compile(r"^[a-z]{2,3}$")
_SCRIPT = re.compile(r"^[A-Z][a-z]{3}$")


@dataclass(frozen=True)
class SmsPolicy:
    """How a language travels by SMS: the encoding its texts need, the budget, letters replaced when sent."""

    encoding: str = "gsm7"
    max_segments: int = 2
    spelling: tuple[tuple[str, str], ...] = ()

    def spell(self, text: str) -> str:
        """The text as sent by SMS ('şifre' -> 'sifre' for Turkish); unchanged when there is no spelling."""
        for source, target in self.spelling:
            text = text.replace(source, target)
        return text


@dataclass(frozen=True)
class Identify:
    """What tells a message is in this language: letters only it uses, and frequent words."""

    letters: str = ""
    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Language:
    """One language digibuur knows."""

    code: str
    name: str
    english: str
    script: str
    direction: str = "ltr"
    active: bool = True
    sms: SmsPolicy = field(default_factory=SmsPolicy)
    voice_locale: str = ""
    voice_name: str = ""
    switch: tuple[str, ...] = ()
    identify: Identify = field(default_factory=Identify)
    latin: LatinSpelling | None = None


@dataclass(frozen=True)
class OtherLanguage:
    """A language digibuur does not have, known only to recognise it (and which languages to offer first)."""

    code: str
    english: str
    script: str
    first: tuple[str, ...] = ()
    identify: Identify = field(default_factory=Identify)
    latin: LatinSpelling | None = None


@dataclass(frozen=True)
class LanguageList:
    """Every known language in order, which ones are active, the source language, the recognised others."""

    languages: tuple[Language, ...]
    source: str
    others: tuple[OtherLanguage, ...] = ()
    filename: str = LANGUAGES_FILE
    picker: tuple[str, ...] = ()

    @property
    def codes(self) -> tuple[str, ...]:
        """Every known language (active or not): content in these languages is accepted and checked."""
        return tuple(language.code for language in self.languages)

    @property
    def active(self) -> tuple[str, ...]:
        """The languages offered to residents; every resident-facing text must exist in each of them."""
        return tuple(language.code for language in self.languages if language.active)

    def get(self, code: str) -> Language | None:
        return next((language for language in self.languages if language.code == code), None)

    def sms(self, code: str) -> SmsPolicy:
        """The SMS policy of a language (the source language's for an unknown code)."""
        found = self.get(code) or self.get(self.source)
        return found.sms if found is not None else SmsPolicy()

    def name(self, code: str) -> str:
        found = self.get(code)
        return found.name if found is not None else code

    def other(self, code: str) -> OtherLanguage | None:
        return next((other for other in self.others if other.code == code), None)

    def latin(self, code: str | None) -> LatinSpelling | None:
        """How a language written in another script is typed in Latin letters (None: the shared spelling)."""
        found = self.get(code or "") or self.other(code or "")
        return found.latin if found is not None else None

    def latin_for(self, text: str) -> LatinSpelling | None:
        """The Latin spelling of the language whose telling letters the text has (і ї є: Ukrainian ...)."""
        letters = set(text.lower())
        entries: list[Language | OtherLanguage] = [*self.languages, *self.others]
        for entry in entries:
            if entry.latin is not None and letters & set(entry.identify.letters.lower()):
                return entry.latin
        return None

    def only(self, codes: tuple[str, ...]) -> LanguageList:
        """A copy where only `codes` (in this order of the list) stay active."""
        kept = tuple(
            Language(**{**language.__dict__, "active": language.active and language.code in codes})
            for language in self.languages
        )
        return LanguageList(kept, self.source, self.others, self.filename, self.picker)


class _Reader:
    """Reads the raw mapping with line numbers for every problem."""

    def __init__(self, filename: str, text: str) -> None:
        self.filename = filename
        self.lines = line_index(text)
        self.problems: list[str] = []

    def add(self, path: Path_, reason: str) -> None:
        self.problems.append(f"{self.filename}:{nearest_line(self.lines, path)}: {reason}")

    def text(self, raw: Any, path: Path_, what: str, *, required: bool = True) -> str:
        if raw is None and not required:
            return ""
        if not isinstance(raw, str) or (required and not raw.strip()):
            self.add(path, f"{what} must be text")
            return ""
        return raw.strip()

    def words(self, raw: Any, path: Path_, what: str) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.add(path, f"{what} must be a list of words")
            return ()
        words: list[str] = []
        for position, word in enumerate(raw):
            if not isinstance(word, str) or not word.strip():
                self.add((*path, position), f"{what}: {word!r} is not text; put it in quotes")
                continue
            words.append(word.strip())
        return tuple(dict.fromkeys(words))

    def identify(self, raw: Any, path: Path_) -> Identify:
        if raw is None:
            return Identify()
        if not isinstance(raw, dict):
            self.add(path, "identify must be a mapping with letters and words")
            return Identify()
        patterns = self.words(raw.get("patterns"), (*path, "patterns"), "identify.patterns")
        for position, pattern in enumerate(patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                reason = f"identify.patterns: {pattern!r} is not a regular expression: {exc}"
                self.add((*path, "patterns", position), reason)
        return Identify(
            letters=self.text(raw.get("letters"), (*path, "letters"), "identify.letters", required=False),
            words=self.words(raw.get("words"), (*path, "words"), "identify.words"),
            patterns=patterns,
        )

    def latin(self, raw: Any, path: Path_) -> LatinSpelling | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.add(path, "latin must be a mapping with letters and word_start")
            return None
        tables: list[dict[str, str]] = []
        for name in ("letters", "word_start"):
            table = raw.get(name) or {}
            if not isinstance(table, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in table.items()
            ):
                self.add((*path, name), f"latin.{name} must map letters to Latin text (quote them)")
                table = {}
            tables.append({str(k): str(v) for k, v in table.items()})
        return LatinSpelling(letters=tables[0], word_start=tables[1])

    def sms(self, raw: Any, path: Path_) -> SmsPolicy:
        if not isinstance(raw, dict):
            self.add(path, "sms must be a mapping: {encoding: gsm7|ucs2, max_segments: N}")
            return SmsPolicy()
        encoding = raw.get("encoding")
        if encoding not in ENCODINGS:
            self.add((*path, "encoding"), f"sms.encoding must be one of {', '.join(ENCODINGS)}")
            encoding = "gsm7"
        segments = raw.get("max_segments")
        if not isinstance(segments, int) or isinstance(segments, bool) or not 1 <= segments <= 10:
            self.add((*path, "max_segments"), "sms.max_segments must be a whole number from 1 to 10")
            segments = 2
        spelling_raw = raw.get("spelling") or {}
        pairs: list[tuple[str, str]] = []
        if not isinstance(spelling_raw, dict):
            self.add((*path, "spelling"), "sms.spelling must map letters to their SMS spelling")
        else:
            for source, target in spelling_raw.items():
                if not isinstance(source, str) or not source or not isinstance(target, str):
                    self.add((*path, "spelling", str(source)), f"sms.spelling {source!r}: both sides must be text")
                    continue
                pairs.append((source, target))
        return SmsPolicy(encoding=str(encoding), max_segments=segments, spelling=tuple(pairs))

    def language(self, raw: Any, path: Path_, seen: set[str]) -> Language | None:
        if not isinstance(raw, dict):
            self.add(path, "each language must be a mapping with code, name, script, ...")
            return None
        code = raw.get("code")
        if not isinstance(code, str) or not _CODE.match(code):
            self.add((*path, "code"), f"code {code!r} must be a two- or three-letter ISO 639 code")
            return None
        if code in seen:
            self.add((*path, "code"), f"language {code!r} is listed twice")
            return None
        seen.add(code)
        script = self.text(raw.get("script"), (*path, "script"), f"{code}: script")
        if script and not _SCRIPT.match(script):
            self.add((*path, "script"), f"{code}: script {script!r} must be an ISO 15924 code such as Latn")
        direction = raw.get("direction", "ltr")
        if direction not in DIRECTIONS:
            self.add((*path, "direction"), f"{code}: direction must be ltr or rtl")
            direction = "ltr"
        active = raw.get("active", True)
        if not isinstance(active, bool):
            self.add((*path, "active"), f"{code}: active must be true or false")
            active = False
        voice = raw.get("voice") or {}
        if not isinstance(voice, dict):
            self.add((*path, "voice"), f"{code}: voice must be a mapping with locale and name")
            voice = {}
        return Language(
            code=code,
            name=self.text(raw.get("name"), (*path, "name"), f"{code}: name"),
            english=self.text(raw.get("english"), (*path, "english"), f"{code}: english"),
            script=script,
            direction=str(direction),
            active=active,
            sms=self.sms(raw.get("sms"), (*path, "sms")),
            voice_locale=self.text(voice.get("locale"), (*path, "voice", "locale"), "voice.locale", required=False),
            voice_name=self.text(voice.get("name"), (*path, "voice", "name"), "voice.name", required=False),
            switch=self.words(raw.get("switch"), (*path, "switch"), f"{code}: switch"),
            identify=self.identify(raw.get("identify"), (*path, "identify")),
            latin=self.latin(raw.get("latin"), (*path, "latin")),
        )

    def other(self, raw: Any, path: Path_, seen: set[str]) -> OtherLanguage | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str) or not _CODE.match(raw["code"]):
            self.add(path, "each other language needs a two- or three-letter code")
            return None
        code = str(raw["code"])
        if code in seen:
            self.add((*path, "code"), f"language {code!r} is listed twice")
            return None
        seen.add(code)
        return OtherLanguage(
            code=code,
            english=self.text(raw.get("english"), (*path, "english"), f"{code}: english"),
            script=self.text(raw.get("script"), (*path, "script"), f"{code}: script"),
            first=self.words(raw.get("first"), (*path, "first"), f"{code}: first"),
            identify=self.identify(raw.get("identify"), (*path, "identify")),
            latin=self.latin(raw.get("latin"), (*path, "latin")),
        )


def parse_languages(text: str, filename: str = LANGUAGES_FILE) -> LanguageList:
    """The language list in a _languages.yaml text; ContentError lists every problem as file:line: reason."""
    data = parse_yaml(text, filename)
    reader = _Reader(filename, text)
    if data.get("spec_version") != 1:
        reader.add(("spec_version",), "spec_version must be 1")
    raw_languages = data.get("languages")
    languages: list[Language] = []
    seen: set[str] = set()
    if not isinstance(raw_languages, list) or not raw_languages:
        reader.add(("languages",), "languages must be a non-empty list")
    else:
        for position, raw in enumerate(raw_languages):
            language = reader.language(raw, ("languages", position), seen)
            if language is not None:
                languages.append(language)
    others: list[OtherLanguage] = []
    for position, raw in enumerate(data.get("others") or []):
        other = reader.other(raw, ("others", position), seen)
        if other is not None:
            others.append(other)
    codes = {language.code for language in languages}
    for position, other in enumerate(others):
        for code in other.first:
            if code not in codes:
                reader.add(("others", position, "first"), f"{other.code}: first names {code!r}, not a language")
    source = data.get("source")
    if source not in codes:
        reader.add(("source",), f"source {source!r} must be one of the languages ({', '.join(sorted(codes))})")
    elif not next(language for language in languages if language.code == source).active:
        reader.add(("source",), f"the source language {source!r} must be active")
    switch_owner: dict[str, str] = {}
    for position, language in enumerate(languages):
        for word in language.switch:
            owner = switch_owner.setdefault(word.casefold(), language.code)
            if owner != language.code:
                reason = f"{language.code}: switch word {word!r} is also {owner}'s"
                reader.add(("languages", position, "switch"), reason)
    picker = reader.words(data.get("picker"), ("picker",), "picker")
    for code in picker:
        if code not in codes:
            reader.add(("picker",), f"picker names {code!r}, not a language")
    if reader.problems:
        raise ContentError("\n".join(reader.problems))
    return LanguageList(tuple(languages), str(source), tuple(others), filename, picker or (str(source),))


def load_languages(texts_directory: Path) -> LanguageList:
    """The language list of a content folder's texts/ directory."""
    path = Path(texts_directory) / LANGUAGES_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(f"{path}:1: cannot read: {exc.strerror}") from exc
    return parse_languages(text, str(path))


@lru_cache(maxsize=1)
def shipped_languages() -> LanguageList:
    """The list shipped with the package (for validators called without a content folder)."""
    return load_languages(SHIPPED_TEXTS)


def languages_near(texts_directory: Path) -> LanguageList:
    """The list in `texts_directory` when it has one, else the shipped list (for tools run on a partial folder)."""
    if (Path(texts_directory) / LANGUAGES_FILE).is_file():
        return load_languages(texts_directory)
    return shipped_languages()
