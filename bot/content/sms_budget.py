"""Per-language SMS budget of one text as sent: placeholders filled, SMS spelling applied, segments counted."""

from __future__ import annotations

import string
import unicodedata

from bot.content_base.languages import SmsPolicy
from guides.sms import segment_info, to_gsm7

# Typical values for placeholders, so a text is measured about as long as it is sent.
SAMPLES: dict[str, str] = {
    "city": "Stad Gent",
    "code": "T-4821",
    "organisation": "BEEGO",
    "days": "30",
    "number": "+32 470 12 34 56",
    "when": "morgen vanaf 9:00",
    "time": "17:00",
    "day": "maandag 30/11",
    "label": "Brugse Poort",
    "moment": "zaterdag 14u",
    "helper": "Sara",
    "title": "WhatsApp installeren",
    "step": "3",
    "last": "3",
    "languages": "Nederlands, English",
    "place": "De Krook",
    "address": "Miriam Makebaplein 1",
    "reason": "de bib is dicht voor een feest",
}
DEFAULT_SAMPLE = "x" * 8


def filled(text: str) -> str:
    """`text` with each {placeholder} replaced by a typical value."""
    parts: list[str] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(SAMPLES.get(name, DEFAULT_SAMPLE))
    return "".join(parts)


def invisible_characters(text: str) -> list[str]:
    """Control and format characters (bidi marks, zero-width joiners) other than line breaks, as U+XXXX."""
    return [f"U+{ord(ch):04X}" for ch in dict.fromkeys(text) if ch != "\n" and unicodedata.category(ch) in ("Cc", "Cf")]


def sms_text(text: str, policy: SmsPolicy) -> str:
    """What an SMS carries: the language's SMS spelling, then GSM-7 look-alikes for curly quotes and accents."""
    return to_gsm7(policy.spell(text))


def segments_as_sent(text: str, policy: SmsPolicy) -> tuple[int, int, str]:
    """(segments, characters, encoding) of the text sent by SMS in a language with this policy."""
    info = segment_info(sms_text(filled(text), policy))
    return info.segments, info.chars, info.encoding


def budget_problems(text: str, policy: SmsPolicy) -> list[str]:
    """Why `text` breaks its language's SMS rules ([] when it is fine)."""
    problems: list[str] = []
    segments, chars, encoding = segments_as_sent(text, policy)
    if segments > policy.max_segments:
        problems.append(
            f"{segments} SMS segments as sent ({chars} {encoding} characters); the limit in this language is "
            f"{policy.max_segments}: make it shorter"
        )
    hidden = invisible_characters(text)
    if hidden:
        problems.append(
            f"invisible control characters {', '.join(hidden)}: they cost UCS-2 on SMS and show as boxes on old "
            "phones; remove them"
        )
    return problems
