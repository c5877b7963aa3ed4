"""Per-script text primitives: invisible characters, Arabic letter variants, Turkish i, Cyrillic to Latin."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

# Arabic: tashkeel (harakat, shadda, sukun, superscript alef, Quranic marks) and tatweel carry no meaning
# for matching; the alef forms, alef maksura / yeh, teh marbuta / heh and the Persian keyboard's kaf and
# yeh are written interchangeably on phones.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTERS = str.maketrans({
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0622": "\u0627",  # آ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0649": "\u064a",  # ى -> ي
    "\u06cc": "\u064a",  # ی (Persian yeh) -> ي
    "\u0629": "\u0647",  # ة -> ه
    "\u06a9": "\u0643",  # ک (Persian kaf) -> ك
    "\u0624": "\u0648",  # ؤ -> و
    "\u0626": "\u064a",  # ئ -> ي
})
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# Cyrillic to Latin, the way residents type it: a shared table; each Cyrillic language's own spelling (Ukrainian
# и -> y, г -> h; Bulgarian ъ -> a, щ -> sht) is data in texts/_languages.yaml (`latin`).
_CYRILLIC_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sht", "ъ": "a", "ь": "", "ю": "yu", "я": "ya",
    "ё": "yo", "ы": "y", "э": "e", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "'": "", "’": "", "ʼ": "",
}


@dataclass(frozen=True)
class LatinSpelling:
    """How one Cyrillic language is typed in Latin letters: letters that differ from the shared table, and
    letters written otherwise at the start of a word (Ukrainian я -> ya there, ia elsewhere)."""

    letters: Mapping[str, str] = field(default_factory=dict)
    word_start: Mapping[str, str] = field(default_factory=dict)


# Arabizi: Arabic written with Latin letters, digits standing for sounds Latin lacks ("3afak", "7ta").
_ARABIZI = {"2": "", "3": "", "5": "kh", "7": "h", "9": "q"}
_ARABIZI_DIGIT = re.compile(r"[23579](?=[a-z])")

SCRIPTS = ("Latn", "Cyrl", "Arab", "Ethi", "Grek", "Hebr", "Deva")


def strip_invisible(text: str) -> str:
    """Remove control and format characters (bidi marks, zero-width joiners) but keep line breaks."""
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) not in ("Cc", "Cf"))


def unify_arabic(text: str) -> str:
    """Arabic without tashkeel and tatweel, with one form for alef, yeh, teh marbuta, kaf; Western digits."""
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS).translate(_ARABIC_DIGITS)


def lower(text: str) -> str:
    """Lower case that keeps Turkish İ a plain i (Python would add a combining dot) and ı an i-like letter."""
    return text.replace("İ", "i").replace("I\u0307", "i").lower().replace("i\u0307", "i")


@lru_cache(maxsize=8192)
def script_of_char(char: str) -> str | None:
    """The script of one letter (Latn, Cyrl, Arab, ...), None for digits, spaces, symbols and emoji."""
    if not char.isalpha():
        return None
    try:
        name = unicodedata.name(char)
    except ValueError:
        return None
    for prefix, script in (("LATIN", "Latn"), ("CYRILLIC", "Cyrl"), ("ARABIC", "Arab"), ("ETHIOPIC", "Ethi"),
                           ("GREEK", "Grek"), ("HEBREW", "Hebr"), ("DEVANAGARI", "Deva")):
        if name.startswith(prefix):
            return script
    return "Other"


def script_counts(text: str) -> dict[str, int]:
    """How many letters of each script the text has."""
    counts: dict[str, int] = {}
    for char in text:
        script = script_of_char(char)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    return counts


def main_script(text: str) -> str | None:
    """The script most of the text's letters are in (None for a text without letters)."""
    counts = script_counts(text)
    if not counts:
        return None
    return max(counts.items(), key=lambda item: (item[1], item[0] == "Latn"))[0]


def cyrillic_to_latin(text: str, spelling: LatinSpelling | None = None) -> str:
    """Cyrillic letters written in Latin the way residents type them (in one language's spelling, else the
    shared one); other characters stay."""
    if text.isascii() and "'" not in text:
        return text  # (of ASCII, only the apostrophe can be in a table)
    table = {**_CYRILLIC_COMMON, **(spelling.letters if spelling else {})}
    starts = spelling.word_start if spelling else {}
    result: list[str] = []
    previous = " "
    for char in text:
        low = char.lower()
        if low in table and (script_of_char(char) == "Cyrl" or char in "'’ʼ"):
            result.append(starts[low] if low in starts and not previous.isalpha() else table[low])
        else:
            result.append(char)
        previous = char
    return "".join(result)


# '2de', '3rd', '1ere', '2eme': a number with an ordinal ending (Dutch, English, French) is no Arabizi
_ORDINAL = re.compile(r"\d(st|nd|rd|th|de|ste|e|er|re|ere|eme|ieme)")


def arabizi_word(word: str) -> str:
    """'3afak' -> 'afak', '7ta' -> 'hta', 'ma3andich' -> 'maandich': Arabizi digits inside a Latin word.

    Only single digits next to letters in a word with at least two letters change: postcodes, '4g',
    'iphone12' and 'a52' stay as they are.
    """
    if sum(char.isalpha() for char in word) < 2 or not _ARABIZI_DIGIT.search(word):
        return word
    if re.search(r"\d\d", word) or re.fullmatch(r"[a-z]+\d+", word) or _ORDINAL.fullmatch(word):
        return word
    return "".join(_ARABIZI.get(char, char) for char in word)
