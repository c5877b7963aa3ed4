"""Fold text for comparing words: lower case, no accents, no punctuation, single spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from bot.scripts import lower, unify_arabic

_NON_WORD = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """'Arrêt!' -> 'arret'; 'Vergeet  MIJ.' -> 'vergeet mij'; 'بِالعَرَبِيَّة' and 'بالعربيه' fold alike.
    Remembered (pure): the dialogue folds the same message and content texts several times per turn."""
    cleaned = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    ascii_text = anyascii(unify_arabic(lower(cleaned))).lower()
    return _NON_WORD.sub(" ", ascii_text).strip()


def has_letters_or_digits(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
