"""Phone numbers in a resident's messages: a callback number read from the text (also with letters typed
for digits), normalised to E.164, and written back for people."""

from __future__ import annotations

import re

import phonenumbers

from bot.flows.context import Ctx

PHONE_IN_TEXT = re.compile(r"\+?\d[\d ./-]{7,}\d")


def normalise_number(text: str, region: str) -> str | None:
    """A callback number in E.164, or None when it is not a valid number."""
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def pretty_number(e164: str) -> str:
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))


def number_in(ctx: Ctx) -> str | None:
    """A phone number inside the message ('ander nummer: 0478 21 55 09'), also typed with letters for digits
    ('o476 3l 82 09': o for 0, l or I for 1)."""
    region = ctx.library.texts.deployment.phone_region
    for text in dict.fromkeys((ctx.text, _digits_for_letters(ctx.text))):
        whole = normalise_number(text, region)
        if whole is not None:
            return whole
        for found in PHONE_IN_TEXT.finditer(text):
            number = normalise_number(found.group(0), region)
            if number is not None:
                return number
    return None


_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1"})


def _digits_for_letters(text: str) -> str:
    """Words made of digits and look-alike letters ('o476', '3l') with the letters read as digits."""
    return " ".join(word.translate(_LOOKALIKES) if any(ch.isdigit() for ch in word)
                    and all(ch.isdigit() or ch in "oOlI" for ch in word) else word for word in text.split())
