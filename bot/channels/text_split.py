"""Split a long outgoing text into parts at line boundaries (then word boundaries) so each part fits."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from guides.sms import segment_info

SMS_MAX_SEGMENTS = 2
WHATSAPP_MAX_CHARS = 1600

Fits = Callable[[str], bool]


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


def _line_pieces(line: str, fits: Fits) -> Iterator[str]:
    """A line that fits is one piece; an overlong line becomes groups of whole words."""
    if fits(line):
        yield line
        return
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if fits(candidate):
            current = candidate
            continue
        if current:
            yield current
        if fits(word):
            current = word
        else:
            *head, current = list(_hard_pieces(word, fits)) or [""]
            yield from head
    if current:
        yield current


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


def split_for_channel(text: str, channel: str) -> list[str]:
    """SMS: parts of at most two segments each. WhatsApp: parts within the body limit. Others: unchanged."""
    if channel == "sms":
        return split_text(text, fits_sms)
    if channel == "whatsapp":
        return split_text(text, fits_whatsapp)
    return [text]
