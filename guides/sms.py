"""SMS length: GSM-7 / UCS-2 encoding, segment counting and GSM-7 replacements (stdlib only)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# GSM 03.38 basic character set (without the escape code 0x1B that introduces the extension table).
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each of these costs two septets (escape + character).
GSM7_EXTENDED: frozenset[str] = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67

_SUGGESTIONS: dict[str, str] = {
    "ë": "e",
    "ï": "i",
    "ê": "e",
    "ô": "o",
    "û": "u",
    "î": "i",
    "â": "a",
    "ç": "c",
    "Ë": "E",
    "Ï": "I",
    "Ê": "E",
    "Ô": "O",
    "Û": "U",
    "Î": "I",
    "Â": "A",
    "À": "A",
    "È": "E",
    "á": "a",
    "í": "i",
    "ó": "o",
    "ú": "u",
    "œ": "oe",
    "Œ": "OE",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "«": '"',
    "»": '"',
    "\u2026": "...",
    "\u2013": "-",
    "\u2014": "-",
    "\u00a0": " ",
    "\u202f": " ",
}

_GSM7_TABLE = {ord(char): replacement for char, replacement in _SUGGESTIONS.items()}  # for str.translate


@dataclass(frozen=True)
class SegmentInfo:
    """How a text travels as SMS: encoding, number of segments, length in septets or UTF-16 units."""

    encoding: str
    segments: int
    chars: int
    ucs2_chars: tuple[str, ...]


def _count_parts(units: list[int], single: int, part: int) -> int:
    """Segments for a message whose characters cost `units`; a character is never split over two parts."""
    if sum(units) <= single:
        return 1
    parts, used = 1, 0
    for cost in units:
        if used + cost > part:
            parts += 1
            used = 0
        used += cost
    return parts


@lru_cache(maxsize=4096)
def segment_info(text: str) -> SegmentInfo:
    """Encoding and segment count of `text` as one SMS (an empty text still costs one segment); remembered (pure,
    and the bot's texts repeat)."""
    outside = tuple(dict.fromkeys(ch for ch in text if ch not in GSM7_BASIC and ch not in GSM7_EXTENDED))
    if not outside:
        septets = [2 if ch in GSM7_EXTENDED else 1 for ch in text]
        return SegmentInfo("GSM-7", _count_parts(septets, GSM7_SINGLE, GSM7_PART), sum(septets), ())
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    return SegmentInfo("UCS-2", _count_parts(units, UCS2_SINGLE, UCS2_PART), sum(units), outside)


def invisible(text: str) -> list[str]:
    """Control and format characters other than line breaks (bidi marks, zero-width joiners), as U+XXXX."""
    found = (ch for ch in text if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf"))
    return [f"U+{ord(ch):04X}" for ch in dict.fromkeys(found)]


def gsm7_suggestion(char: str) -> str | None:
    """The GSM-7 text to write instead of `char`, or None when there is no good replacement."""
    return _SUGGESTIONS.get(char)


def to_gsm7(text: str) -> str:
    """`text` with every character that has a GSM-7 suggestion replaced by it."""
    return text.translate(_GSM7_TABLE)
