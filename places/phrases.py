"""The finder's sentences in every language, read from phrases.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.content_base.languages import LanguageList, shipped_languages
from places.loader import Problems, languages, read_yaml

PHRASES_FILE = "phrases.yaml"
SHIPPED_DIRECTORY = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Phrases:
    """Named texts per language; `say` fills the placeholders."""

    texts: dict[str, dict[str, str]]
    source: str = field(default_factory=lambda: shipped_languages().source)

    @classmethod
    def read(cls, directory: Path, problems: list[str], listed: LanguageList | None = None) -> Phrases:
        found = Problems(PHRASES_FILE, languages=listed or shipped_languages())
        data = read_yaml(directory / PHRASES_FILE, found) or {}
        raw = data.get("phrases")
        texts: dict[str, dict[str, str]] = {}
        if not isinstance(raw, dict) or not raw:
            found.add("phrases must be a mapping of names to texts per language")
        else:
            for name, by_language in raw.items():
                texts[str(name)] = languages(by_language, f"phrase {name}", found, path=("phrases", str(name)))
        problems.extend(found.items)
        return cls(texts, found.languages.source)

    @classmethod
    def load(cls, directory: Path, listed: LanguageList | None = None) -> Phrases:
        problems: list[str] = []
        phrases = cls.read(directory, problems, listed)
        if problems:
            raise ValueError("; ".join(problems))
        return phrases

    def say(self, name: str, language: str, /, **values: object) -> str:
        """The phrase in `language` (the source language when it is missing), placeholders filled in."""
        by_language = self.texts[name]
        text = by_language.get(language) or by_language[self.source]
        return text.format(**values)


@lru_cache(maxsize=4)
def _shipped(directory: Path) -> Phrases:
    return Phrases.load(directory)


def shipped_phrases() -> Phrases:
    """The phrases shipped with the package (read once)."""
    return _shipped(SHIPPED_DIRECTORY)
