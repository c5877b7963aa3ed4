"""Text normalisation for place names: ASCII, lower case, street suffixes joined, fillers removed."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from anyascii import anyascii

from bot.scripts import cyrillic_to_latin, lower, unify_arabic

_NON_WORD = re.compile(r"[^a-z0-9]+")
# "brugse steenweg" and "brugsesteenweg" are the same street: join a loose suffix to the word before it.
_SUFFIXES = ("straat", "steenweg", "laan", "kaai", "plein", "dreef", "weg", "lei", "gang", "plaats")
_ABBREVIATIONS = {"st": "sint", "str": "straat", "stwg": "steenweg", "stw": "steenweg", "pl": "plein"}


@lru_cache(maxsize=8192)
def simplify(text: str) -> str:
    """ASCII, lower case, punctuation as spaces, single spaces: "Sint-Amandsberg!" -> "sint amandsberg".

    Cyrillic is written in Latin letters as residents type it ("събота" -> "sabota"); Arabic loses its
    vowel marks and letter variants first, so both spellings of a word simplify alike. Remembered: a message
    and its clauses are simplified several times in one turn.
    """
    latin = cyrillic_to_latin(unify_arabic(lower(text)))
    return " ".join(_NON_WORD.sub(" ", anyascii(latin).lower()).split())


def tokens(text: str) -> list[str]:
    """Simplified words, with common abbreviations expanded and loose street suffixes joined."""
    words = [_ABBREVIATIONS.get(word, word) for word in simplify(text).split()]
    joined: list[str] = []
    for word in words:
        if word in _SUFFIXES and joined and not joined[-1].isdigit():
            joined[-1] += word
        else:
            joined.append(word)
    return joined


class FillerRemover:
    """Removes filler phrases ("ik woon in", "pres de", "the") as whole words, longest phrase first."""

    def __init__(self, phrases: Iterable[str]) -> None:
        split = {tuple(tokens(phrase)) for phrase in phrases}
        self._phrases = sorted((p for p in split if p), key=len, reverse=True)
        # the phrases by their first word, longest first (only those can start at a word)
        self._by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in self._phrases:
            self._by_first.setdefault(phrase[0], []).append(phrase)

    def remove(self, words: list[str]) -> list[str]:
        kept: list[str] = []
        index = 0
        while index < len(words):
            for phrase in self._by_first.get(words[index], ()):
                if tuple(words[index : index + len(phrase)]) == phrase:
                    index += len(phrase)
                    break
            else:
                kept.append(words[index])
                index += 1
        return kept


def key(text: str, fillers: FillerRemover | None = None) -> str:
    """The form names are compared in: tokens without fillers, joined by one space."""
    words = tokens(text)
    if fillers is not None:
        words = fillers.remove(words) or words
    return " ".join(words)
