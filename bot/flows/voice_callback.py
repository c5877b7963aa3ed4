"""Key 2 of a call: a helper calls back. Consent or a typed number (read back digit by digit), a time window by
keypad, then the same ticket as an SMS handoff; the code is said digit by digit (pure)."""

from __future__ import annotations

from datetime import datetime

from bot.effects import OpenTicket, TicketReceipt
from bot.flows.context import Ctx
from bot.flows.handoff_numbers import normalise_number
from bot.flows.voice_common import (
    BACK,
    REPEAT,
    Line,
    ask,
    ask_menu,
    call_data,
    caller_number,
    day_words,
    line,
    said_digit_by_digit,
    time_words,
)
from places.hours import local

CONSENT, NUMBER, CONFIRM, WINDOW, AFTER = "callback", "number", "number-confirm", "window", "after-ticket"
WINDOW_KEYS = {"1": "asap", "2": "morning", "3": "afternoon"}
MAX_NUMBER_DIGITS = 15


def start(ctx: Ctx, before: list[Line] | None = None) -> None:
    """'May a helper call you back on this number?' (a withheld number: type one)."""
    if caller_number(ctx) is None:
        ask_number(ctx, before)
        return
    ask(ctx, CONSENT, [*(before or []), line(ctx, "callback_ask")])


def ask_number(ctx: Ctx, before: list[Line] | None = None) -> None:
    key = "number_ask_withheld" if caller_number(ctx) is None else "number_ask"
    ask(ctx, NUMBER, [*(before or []), line(ctx, key)], digits=0)


def on_consent(ctx: Ctx, keys: str) -> None:
    if keys == "1":
        call_data(ctx)["number"] = caller_number(ctx)
        ask_window(ctx)
    elif keys == "2":
        ask_number(ctx)
    elif keys == BACK:
        ask_menu(ctx)
    elif keys == REPEAT:
        start(ctx)
    else:
        start(ctx, [line(ctx, "not_a_choice")])


def on_number(ctx: Ctx, keys: str) -> None:
    """Digits ended by '#' (Twilio leaves the '#' out); Belgian numbers without +32 are fine."""
    if keys == BACK:
        start(ctx) if caller_number(ctx) is not None else ask_menu(ctx)
        return
    if keys == REPEAT:
        ask_number(ctx)
        return
    typed = keys.strip("#")
    region = ctx.library.texts.deployment.phone_region
    number = normalise_number(typed, region) if typed.isdigit() and len(typed) <= MAX_NUMBER_DIGITS else None
    if number is None:
        ask(ctx, NUMBER, [line(ctx, "number_invalid")], digits=0)
        return
    call_data(ctx).update({"typed": typed, "candidate": number})
    ask_confirm(ctx)


def ask_confirm(ctx: Ctx, before: list[Line] | None = None) -> None:
    typed = str(call_data(ctx).get("typed") or "")
    ask(ctx, CONFIRM, [*(before or []), line(ctx, "number_readback", digits=said_digit_by_digit(typed))])


def on_confirm(ctx: Ctx, keys: str) -> None:
    if keys == "1":
        data = call_data(ctx)
        data["number"] = data.get("candidate")
        ask_window(ctx)
    elif keys in ("2", BACK):
        ask_number(ctx)
    elif keys == REPEAT:
        ask_confirm(ctx)
    else:
        ask_confirm(ctx, [line(ctx, "not_a_choice")])


def ask_window(ctx: Ctx, before: list[Line] | None = None) -> None:
    ask(ctx, WINDOW, [*(before or []), line(ctx, "window_ask")])


def on_window(ctx: Ctx, keys: str) -> None:
    """The chosen window opens the ticket; the service says the code (ticket_speech) and texts it."""
    data = call_data(ctx)
    if keys in WINDOW_KEYS:
        data["step"] = AFTER  # the service opens the ticket and asks ticket_speech() for the words
        ctx.intent = "handoff.request"
        ctx.effect(OpenTicket(
            topic=str(data.get("topic") or "other"),
            language=ctx.lang,
            callback_number=str(data.get("number") or "") or None,
            callback_window=WINDOW_KEYS[keys],
            context={"channel": "voice", "call": str(data.get("call") or "")},
        ))
    elif keys == BACK:
        start(ctx)
    elif keys == REPEAT:
        ask_window(ctx)
    else:
        ask_window(ctx, [line(ctx, "not_a_choice")])


def on_after_ticket(ctx: Ctx, keys: str) -> None:
    if keys in (REPEAT, BACK):
        ask_menu(ctx)
    else:
        ask(ctx, AFTER, [line(ctx, "not_a_choice"), line(ctx, "after_ticket")])


def ticket_speech(ctx: Ctx, receipt: TicketReceipt, window: str, *, texted: bool) -> None:
    """The spoken confirmation: the code digit by digit, who calls and when (from the organisation's hours),
    that the code comes by SMS too; then 0 for the menu."""
    code = said_digit_by_digit(receipt.code)
    if receipt.added_to_existing:
        lines = [line(ctx, "ticket_existing", code=code)]
    else:
        lines = [line(ctx, "ticket_created", code=code, organisation=receipt.organisation,
                      when=_when(ctx, receipt, window))]
        if not receipt.in_hours:
            lines.insert(0, line(ctx, "ticket_out_of_hours"))
    if texted:
        lines.append(line(ctx, "ticket_sms"))
    ask(ctx, AFTER, [*lines, line(ctx, "after_ticket")])


def _when(ctx: Ctx, receipt: TicketReceipt, window: str) -> str:
    """'vandaag, voor vijf uur', 'morgen, vanaf negen uur, in de voormiddag', 'op een werkdag'."""
    expected: datetime | None = receipt.expected_at
    part = f" {line(ctx, 'window_' + window).text}" if window in ("morning", "afternoon") else ""
    if expected is None:
        return (line(ctx, "call_workday").text + part) if part else line(ctx, "call_soon").text
    at, today = local(expected), local(ctx.now).date()
    if at.date() == today and receipt.in_hours:
        return line(ctx, "call_today_before", time=time_words(ctx, at)).text + part
    if (at.hour, at.minute) == (0, 0):
        return line(ctx, "call_on_day", day=day_words(ctx, at)).text + part
    day = line(ctx, "word_tomorrow").text if (at.date() - today).days == 1 else day_words(ctx, at)
    return line(ctx, "call_from", day=day, time=time_words(ctx, at)).text + part
