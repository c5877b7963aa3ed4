"""What every step of a phone call shares: the call's memory, spoken replies with the keys they wait for, the
caller's number, and times, days and codes said in words (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import phonenumbers
from babel.dates import format_date

from bot.content.voice_texts import VoiceTexts, voiced
from bot.flows.context import Ctx
from bot.messages import Keypad, Reply
from places.hours import local

CHANNEL = "voice"
FLOW = "voice"
START = "call-start"  # Inbound.payload of the webhook for a new call
SPEECH = "speech"  # Inbound.payload when the text is what the caller said (VOICE_SPEECH)
WITHHELD_PREFIX = "withheld:"  # Address.id of a caller whose number is not shown: withheld:<CallSid>
BACK, REPEAT = "*", "0"
MENU = "menu"
LANGUAGE_HINTS = 2  # the main menu names the way to another language in this many other languages' voices
SMS_TYPES = frozenset({phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE})


@dataclass(frozen=True)
class Line:
    """One sentence to speak, in a language (each language is spoken by its own voice)."""

    text: str
    language: str


def voice(ctx: Ctx) -> VoiceTexts:
    texts = ctx.library.voice
    if texts is None:
        raise LookupError("no spoken texts loaded (texts/voice)")
    return texts


def spoken_language(ctx: Ctx) -> str:
    """The conversation's language when it can be spoken, else the source language (Dutch)."""
    language = ctx.lang
    catalogue = ctx.library.texts.catalogue
    if voice(ctx).has(language) and voiced(catalogue, language):
        return language
    return catalogue.source


def line(ctx: Ctx, name: str, /, **values: Any) -> Line:
    language = spoken_language(ctx)
    return Line(voice(ctx).say(language, name, **values), language)


def call_data(ctx: Ctx) -> dict[str, Any]:
    return ctx.state.data


def step_of(ctx: Ctx) -> str:
    return str(call_data(ctx).get("step") or "menu")


def note(ctx: Ctx, event: str) -> None:
    """Remember what the call achieved this turn (place_found, sms_sent, goodbye) for the dashboard."""
    events = call_data(ctx).setdefault("events", [])
    if event not in events:
        events.append(event)


def ask(ctx: Ctx, step: str, lines: list[Line], *, digits: int = 1, hangup: bool = False) -> None:
    """Speak the lines and wait for keys at `step` (or end the call). Every answer is a new turn: the turn
    number names the action URL, so a repeated delivery of the same keys is recognised."""
    data = call_data(ctx)
    turn = int(data.get("turn", 0)) + 1
    data["turn"] = turn
    data["step"] = step
    ctx.state.options = []
    keypad = Keypad(step=step, turn=turn, digits=digits, hangup=hangup, language=spoken_language(ctx))
    for position, spoken in enumerate(lines):
        last = position == len(lines) - 1
        reply = ctx.library.texts.stamp(Reply(text=spoken.text, keypad=keypad if last else None), spoken.language)
        ctx.replies.append(reply)


def voiced_languages(ctx: Ctx) -> list[str]:
    """The offered languages a call can speak (their own voice and spoken texts), the source language first."""
    catalogue = ctx.library.texts.catalogue
    offered = [catalogue.source, *[code for code in ctx.library.texts.languages if code != catalogue.source]]
    return [code for code in offered if voice(ctx).has(code) and voiced(catalogue, code)]


def ask_menu(ctx: Ctx, before: list[Line] | None = None, *, welcome: bool = False) -> None:
    """The main menu (keys 1, 2, 3, 9, 0), then 'for another language, press 9' in other languages' voices."""
    lines = [*(before or [])]
    if welcome:
        lines.append(line(ctx, "welcome"))
    lines.append(line(ctx, "menu"))
    current = spoken_language(ctx)
    others = [code for code in voiced_languages(ctx) if code != current][:LANGUAGE_HINTS]
    lines.extend(Line(voice(ctx).say(code, "other_language"), code) for code in others)
    ask(ctx, MENU, lines)


def caller_number(ctx: Ctx) -> str | None:
    """The caller's number in E.164, or None when it is withheld."""
    address = ctx.inbound.address.id
    return None if address.startswith(WITHHELD_PREFIX) or not address.startswith("+") else address


def can_text(number: str | None) -> bool:
    """Whether SMS can reach this number (a mobile number; not a landline, not a withheld caller)."""
    if not number:
        return False
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(parsed)) and phonenumbers.number_type(parsed) in SMS_TYPES


def sms_target(ctx: Ctx) -> str | None:
    """Where an SMS for this caller goes: their own number when it can receive SMS and did not send STOP."""
    number = caller_number(ctx)
    return number if can_text(number) and not call_data(ctx).get("sms_stopped") else None


def no_sms_line(ctx: Ctx) -> Line:
    """Why no SMS can be sent, said honestly."""
    if caller_number(ctx) is None:
        return line(ctx, "no_sms_withheld")
    return line(ctx, "no_sms_stopped" if call_data(ctx).get("sms_stopped") else "no_sms_landline")


def said_digit_by_digit(text: str) -> str:
    """'T-4821' -> 'T, 4, 8, 2, 1': a voice reads each character on its own."""
    return ", ".join(ch for ch in text if ch.isalnum())


def time_words(ctx: Ctx, moment: datetime) -> str:
    at = local(moment)
    return voice(ctx).time(spoken_language(ctx), at.hour, at.minute)


def day_words(ctx: Ctx, moment: datetime) -> str:
    return str(format_date(local(moment).date(), "EEEE", locale=spoken_language(ctx)))


def opens_words(ctx: Ctx, moment: datetime) -> str:
    """'vandaag om één uur', 'morgen om tien uur', 'op maandag om tien uur'."""
    day, today = local(moment).date(), local(ctx.now).date()
    time = time_words(ctx, moment)
    if day == today:
        return line(ctx, "opens_today", time=time).text
    if day == today + timedelta(days=1):
        return line(ctx, "opens_tomorrow", time=time).text
    return line(ctx, "opens_day", day=day_words(ctx, moment), time=time).text


_DIGITS = re.compile(r"[0-9*#]")


def keys_from_speech(ctx: Ctx, said: str) -> str:
    """The keys a caller said ('negen nul vier nul', 'one', '9040'), in the call's language."""
    words = voice(ctx).get(spoken_language(ctx)).digit_words
    keys: list[str] = []
    for token in re.findall(r"[\w*#]+", said.lower()):
        if token.isdigit() or token in ("*", "#"):
            keys.extend(_DIGITS.findall(token))
            continue
        for digit, names in words.items():
            if token in names:
                keys.append(digit)
                break
    return "".join(keys)
