"""Split a long outgoing text into parts at line boundaries (then word boundaries) so each part fits."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from guides.sms import segment_info

SMS_MAX_SEGMENTS = 2
WHATSAPP_MAX_CHARS = 1600

Fits = Callable[[str], bool]
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")


def fits_sms(text: str, max_segments: int = SMS_MAX_SEGMENTS) -> bool:
    """True when `text` travels as at most `max_segments` SMS segments."""
    return segment_info(text).segments <= max_segments


def fits_whatsapp(text: str) -> bool:
    """True when `text` is within Twilio's WhatsApp body limit."""
    return len(text) <= WHATSAPP_MAX_CHARS


def _hard_pieces(word: str, fits: Fits) -> Iterator[str]:
    """A single word that does not fit on its own: cut it into the longest pieces that do."""
    current = ""
    for char in word:
        if current and not fits(current + char):
            yield current
            current = ""
        current += char
    if current:
        yield current


def _pack(units: list[str], fits: Fits, smaller: Callable[[str, Fits], Iterator[str]]) -> Iterator[str]:
    """Join units with spaces into the longest groups that fit; a unit too long alone goes to `smaller`."""
    current = ""
    for unit in units:
        candidate = f"{current} {unit}" if current else unit
        if fits(candidate):
            current = candidate
            continue
        if current:
            yield current
        current = ""
        if fits(unit):
            current = unit
        else:
            *head, current = list(smaller(unit, fits)) or [""]
            yield from head
    if current:
        yield current


def _word_pieces(sentence: str, fits: Fits) -> Iterator[str]:
    return _pack(sentence.split(" "), fits, _hard_pieces)


def _line_pieces(line: str, fits: Fits) -> Iterator[str]:
    """A line that fits is one piece; an overlong line becomes groups of whole sentences, then of words."""
    if fits(line):
        yield line
        return
    yield from _pack(SENTENCE_END.split(line), fits, _word_pieces)


def split_text(text: str, fits: Fits) -> list[str]:
    """Greedily pack whole lines into parts that each satisfy `fits`; a text that fits stays one part."""
    text = text.strip()
    if fits(text):
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _line_pieces(line, fits):
            candidate = f"{current}\n{piece}" if current else piece
            if fits(candidate):
                current = candidate
                continue
            if current.strip():
                parts.append(current.strip("\n"))
            current = piece
    if current.strip():
        parts.append(current.strip("\n"))
    return parts


def split_for_channel(text: str, channel: str, max_segments: int = SMS_MAX_SEGMENTS) -> list[str]:
    """SMS: parts of at most `max_segments` segments each (the language's budget). WhatsApp: parts within the
    body limit. Others: unchanged."""
    if channel == "sms":
        return split_text(text, lambda part: fits_sms(part, max_segments))
    if channel == "whatsapp":
        return split_text(text, fits_whatsapp)
    return [text]
