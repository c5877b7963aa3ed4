"""Build a content folder with one more language (a copy of the shipped content plus that language's texts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.content.live import materialise
from bot.settings import ContentPaths

Transform = Callable[[str], str]
_BRACES = re.compile(r"(\{[^}]*\})")


def swap_vowels(text: str) -> str:
    """A made-up language with the length of Dutch: a <-> o outside {placeholders} ('Hallo' -> 'Holla')."""
    parts = _BRACES.split(text)
    table = str.maketrans("aoAO", "oaOA")
    return "".join(part if _BRACES.fullmatch(part) else part.translate(table) for part in parts)


def copy_content(target: Path) -> ContentPaths:
    """The shipped content folder copied to `target` (texts/, guides/, intents/, places/, organisations.yaml)."""
    return materialise(ContentPaths.shipped(), [], target)


def _add_to_mappings(data: Any, source: str, code: str, transform: Transform) -> Any:
    """Every mapping that has the source language and another language gets `code` too (recursively)."""
    if isinstance(data, dict):
        result = {key: _add_to_mappings(value, source, code, transform) for key, value in data.items()}
        if source in data and isinstance(data[source], str) and len(data) > 1 and code not in data:
            result[code] = transform(data[source])
        return result
    if isinstance(data, list):
        return [_add_to_mappings(item, source, code, transform) for item in data]
    return data


def _rewrite(path: Path, source: str, code: str, transform: Transform, *, as_text: bool = False) -> None:
    """as_text: read every scalar as text (guides and menus have keys such as `yes` and `no`)."""
    raw = path.read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=yaml.BaseLoader) if as_text else yaml.safe_load(raw)
    updated = _add_to_mappings(data, source, code, transform)
    path.write_text(yaml.safe_dump(updated, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def add_language(
    content: Path,
    entry: dict[str, Any],
    transform: Transform = swap_vowels,
    sentences: dict[str, str] | None = None,
) -> None:
    """Add a language to a copied content folder: its entry in _languages.yaml, texts/<code>.yaml from the
    source language (through `transform`, with `sentences` overriding some keys), and a text in that language
    next to every source-language text of the menus, guides, place phrases and notes."""
    code = str(entry["code"])
    languages_file = content / "texts" / "_languages.yaml"
    listed = yaml.safe_load(languages_file.read_text(encoding="utf-8"))
    source = str(listed["source"])
    existing = next((x for x in listed["languages"] if x["code"] == code), None)
    if existing is not None:
        existing.update(entry)  # e.g. {"code": "tr", "active": True}: switch on a listed language
    else:
        listed["languages"].append(entry)
    languages_file.write_text(yaml.safe_dump(listed, allow_unicode=True, sort_keys=False), encoding="utf-8")
    texts = yaml.safe_load((content / "texts" / f"{source}.yaml").read_text(encoding="utf-8"))
    translated = {key: (value if key == "spec_version" else transform(str(value))) for key, value in texts.items()}
    translated.update(sentences or {})
    (content / "texts" / f"{code}.yaml").write_text(
        yaml.safe_dump(translated, allow_unicode=True, sort_keys=False, default_style='"', width=10_000),
        encoding="utf-8",
    )
    vocab = content / "texts" / "vocab"
    if (vocab / f"{source}.yaml").is_file() and not (vocab / f"{code}.yaml").is_file():
        # the words residents answer with (yes, no, later...): the source language's, as a start
        (vocab / f"{code}.yaml").write_bytes((vocab / f"{source}.yaml").read_bytes())
    _rewrite(content / "texts" / "_menu.yaml", source, code, transform, as_text=True)
    for guide in sorted((content / "guides").glob("*.yaml")):
        _rewrite(guide, source, code, transform, as_text=True)
    for name in ("phrases.yaml", "digipunten.yaml", "closures.yaml"):
        if (content / "places" / name).is_file():
            _rewrite(content / "places" / name, source, code, transform)


def language_entry(code: str, name: str, *, script: str = "Latn", encoding: str = "gsm7", segments: int = 2,
                   spelling: dict[str, str] | None = None, switch: list[str] | None = None,
                   words: list[str] | None = None, letters: str = "", direction: str = "ltr") -> dict[str, Any]:
    """An entry of _languages.yaml."""
    return {
        "code": code, "name": name, "english": name, "script": script, "direction": direction, "active": True,
        "sms": {"encoding": encoding, "max_segments": segments, **({"spelling": spelling} if spelling else {})},
        "voice": {"locale": code, "name": ""},
        "switch": switch or [name.lower()],
        "identify": {"letters": letters, "words": words or []},
    }


def _mapper(table: dict[str, str], limit: int) -> Transform:
    """Letters written in another script one to one (placeholders kept); long texts without placeholders cut to
    `limit` characters, so a fixture in a UCS-2 script stays within its SMS budget."""

    def transform(text: str) -> str:
        if "{" not in text and len(text) > limit:
            text = text[:limit]
        parts = _BRACES.split(text)
        return "".join(part if _BRACES.fullmatch(part) else "".join(table.get(ch, ch) for ch in part)
                       for part in parts)

    return transform


LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC_UK = dict(zip(LATIN, ["а", "б", "ц", "д", "е", "ф", "г", "х", "і", "й", "к", "л", "м", "н", "о", "п", "к",
                               "р", "с", "т", "у", "в", "в", "кс", "и", "з"], strict=True))
CYRILLIC_BG = {**CYRILLIC_UK, "i": "и", "u": "ъ"}
ARABIC = dict(zip(LATIN, ["ا", "ب", "ك", "د", "ي", "ف", "غ", "ه", "ي", "ج", "ك", "ل", "م", "ن", "و", "ب", "ق", "ر",
                          "س", "ت", "و", "ف", "و", "كس", "ي", "ز"], strict=True))
TURKISH = {"s": "ş", "i": "ı", "g": "ğ", "c": "ç"}


def fixture_languages(content: Path) -> None:
    """Switch on tr, ar, bg and uk with small made-up texts (the real ones are h14c's and h14g's content):
    Turkish with ş ı ğ ç in place of s i g c, the others Dutch letter by letter in their script, cut short."""
    add_language(content, {"code": "tr", "active": True}, _mapper(TURKISH, 10_000))
    add_language(content, {"code": "ar", "active": True}, _mapper(ARABIC, 60))
    add_language(content, {"code": "bg", "active": True}, _mapper(CYRILLIC_BG, 60))
    add_language(content, {"code": "uk", "active": True}, _mapper(CYRILLIC_UK, 60))
