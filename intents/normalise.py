"""Text normalisation before matching: case, accents, punctuation, repeated letters, SMS spellings, per script.

Latin loses its accents (Turkish ı and İ become i); Cyrillic is written in Latin letters the way residents type
it (so a Cyrillic example matches a message typed in Latin letters, and the other way round); Arabic keeps its
letters without vowel marks, tatweel and letter variants; Arabizi digits inside Latin words become letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from anyascii import anyascii
from yaml.nodes import MappingNode, Node

from bot.content_base.languages import LanguageList
from bot.scripts import LatinSpelling, arabizi_word, cyrillic_to_latin, lower, script_of_char, unify_arabic
from intents.yamlnodes import (
    Problems,
    check_known_keys,
    check_spec_version,
    compose,
    mapping_items,
    text_list,
    text_value,
)

_APOSTROPHES = "'’‘`´ʼ"
_NOT_WORD = re.compile(r"[^a-z0-9\u0621-\u064a\u066e-\u06d3]+")
_REPEATS = re.compile(r"([a-z\u0621-\u064a])\1{2,}")
_DIGITS = re.compile(r"[0-9]+")
TOKENS_CACHE_SIZE = 20_000


@dataclass(frozen=True)
class SpellingTable:
    """Replacements for SMS spellings and frequent typos, read from the catalogue's _spelling.yaml.

    `words` maps one normalised word to one or more words ("wr" -> "waar"); `phrases` maps a run of
    words to other words ("hoe doek" -> "hoe doe ik"). Both sides are compared after folding.
    `stopwords` (all languages together) tell the language but carry no meaning for matching.
    `negations` (all languages together) turn an example around: an example with one ("geen interesse") is
    no reading of a message without any ("ça m'intéresse").
    """

    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    phrases: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    stopwords: frozenset[str] = frozenset()
    negations: frozenset[str] = frozenset()

    @property
    def longest_phrase(self) -> int:
        return max((len(key) for key in self.phrases), default=1)


def _word(word: str, spelling: LatinSpelling | None) -> str:
    """One word in matching form: Arabic stays Arabic, Cyrillic becomes Latin, the rest becomes ASCII."""
    scripts = {script_of_char(char) for char in word} - {None}
    if scripts == {"Arab"}:
        return word
    if "Cyrl" in scripts:
        word = cyrillic_to_latin(word, spelling)
    return arabizi_word(anyascii(word).lower())


def fold(text: str, language: str | None = None, languages: LanguageList | None = None) -> str:
    """Words in matching form separated by single spaces; symbols and emoji dropped, runs of 3+ letters cut.

    With the language list, Cyrillic is typed the way of `language` (an example's language), else of the
    language whose telling letters the text has (і ї є: Ukrainian), else in the shared spelling.
    """
    kept = "".join(
        " " if char in _APOSTROPHES else char
        for char in text
        if char.isascii() or not unicodedata.category(char).startswith(("S", "C"))
    )
    kept = unify_arabic(lower(kept))
    spelling = (languages.latin(language) or languages.latin_for(kept)) if languages is not None else None
    words = " ".join(_word(word, spelling) for word in re.split(r"[^\w]+", kept) if word)
    return _REPEATS.sub(r"\1", _NOT_WORD.sub(" ", words.lower())).strip()


class Normaliser:
    """Turns a resident's message into matching form; built once from a SpellingTable."""

    def __init__(self, table: SpellingTable, languages: LanguageList | None = None) -> None:
        self._languages = languages
        self._words = table.words
        self._phrases = table.phrases
        self._longest = table.longest_phrase
        # the dialogue's readers tokenise the same message (and the same content phrases) many times a turn:
        # a pure function of (text, language) and this normaliser's tables, remembered (bounded)
        self._cache: dict[tuple[str, str | None], tuple[str, ...]] = {}

    def tokens(self, text: str, language: str | None = None) -> list[str]:
        """The normalised words of a message (`language`: an example's language, for its script)."""
        known = self._cache.get((text, language))
        if known is None:
            if len(self._cache) >= TOKENS_CACHE_SIZE:
                self._cache.clear()
            known = self._cache[(text, language)] = tuple(self._tokens(text, language))
        return list(known)

    def _tokens(self, text: str, language: str | None) -> list[str]:
        words = fold(text, language, self._languages).split()
        result: list[str] = []
        index = 0
        while index < len(words):
            replaced = False
            for size in range(min(self._longest, len(words) - index), 1, -1):
                replacement = self._phrases.get(tuple(words[index : index + size]))
                if replacement is not None:
                    result.extend(replacement)
                    index += size
                    replaced = True
                    break
            if replaced:
                continue
            word = words[index]
            result.extend(self._words.get(word, (word,)))
            index += 1
        return [word for word in result if word]

    def normalise(self, text: str, language: str | None = None) -> str:
        """The normalised message as one string of words separated by single spaces."""
        return " ".join(self.tokens(text, language))


def is_bare_number(normalised: str) -> bool:
    """True for a message that is only a number ("2", " 3. "): an option choice, never an intent."""
    return bool(_DIGITS.fullmatch(normalised.replace(" ", "")))


SPELLING_KEYS = {"spec_version", "words", "phrases", "stopwords", "negations"}


def parse_spelling(
    filename: str, text: str, problems: Problems, languages: tuple[str, ...] = ()
) -> SpellingTable:
    """Read a _spelling.yaml text; problems (with line numbers) are added to `problems`."""
    root = compose(filename, text, problems)
    if root is None:
        return SpellingTable()
    items = mapping_items(root, "", problems)
    check_spec_version(items, root, problems)
    check_known_keys(items, SPELLING_KEYS, "", problems)
    words: dict[str, tuple[str, ...]] = {}
    phrases: dict[tuple[str, ...], tuple[str, ...]] = {}
    for section in ("words", "phrases"):
        node = items.get(section)
        if node is None:
            continue
        if not isinstance(node, MappingNode):
            problems.add(node.start_mark.line + 1, f"{section} must be a mapping of 'from: to' lines")
            continue
        for key, value_node in mapping_items(node, f"{section}.", problems).items():
            target = text_value(value_node, f"{section}.{key}", problems, allow_empty=True)
            if target is None:
                continue
            source = tuple(fold(key).split())
            line = value_node.start_mark.line + 1
            if not source:
                problems.add(line, f"{section}: {key!r} has no letters or digits")
                continue
            if section == "words" and len(source) != 1:
                problems.add(line, f"words.{key} must be one word (put runs of words under phrases)")
                continue
            if section == "phrases" and len(source) < 2:
                problems.add(line, f"phrases.{key} must be two or more words (put single words under words)")
                continue
            replacement = tuple(fold(target).split())
            if section == "words":
                words[source[0]] = replacement
            else:
                phrases[source] = replacement
    stopwords = _words_per_language("stopwords", items.get("stopwords"), problems, languages)
    negations = _words_per_language("negations", items.get("negations"), problems, languages)
    return SpellingTable(words=words, phrases=phrases, stopwords=stopwords, negations=negations)


def _words_per_language(
    section: str, node: Node | None, problems: Problems, languages: tuple[str, ...]
) -> frozenset[str]:
    """The words of a 'language: [words]' mapping, all languages together."""
    if node is None:
        return frozenset()
    names = ", ".join(languages)
    if not isinstance(node, MappingNode):
        problems.add(node.start_mark.line + 1, f"{section} must be a mapping of languages ({names})")
        return frozenset()
    found: set[str] = set()
    for language, value in mapping_items(node, f"{section}.", problems).items():
        if languages and language not in languages:
            problems.add(value.start_mark.line + 1, f"{section}.{language}: unknown language (use {names})")
            continue
        found.update(fold(word) for _, word in text_list(value, f"{section}.{language}", problems))
    return frozenset(found)
