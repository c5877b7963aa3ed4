"""The callback promise in the resident's words: 'morgen in de voormiddag, vanaf 9:00', 'op een werkdag'."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.content.texts import Texts
from bot.effects import CallbackPromise


def _clock(moment: datetime) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def _day(texts: Texts, language: str, day: date, today: date) -> str:
    """'vandaag', 'morgen', or 'maandag 28/12'."""
    if day == today:
        return texts.get(language, "word_today")
    if day == today + timedelta(days=1):
        return texts.get(language, "word_tomorrow")
    return str(format_date(day, "EEEE d/M", locale=language))


def _window(texts: Texts, language: str, window: str) -> str:
    return texts.get(language, f"ho_window_{window}")


def _date(language: str, day: date) -> str:
    return str(format_date(day, "EEEE d/M", locale=language))


def promise_words(made: CallbackPromise, texts: Texts, language: str, now: datetime) -> tuple[str, str]:
    """(a sentence to put before the confirmation, or "", and the 'when' words for ho_ticket_created)."""
    zone = ZoneInfo(texts.deployment.timezone)
    today = now.astimezone(zone).date()
    if made.window == "day":
        chosen = made.day or today
        prefix = "" if made.as_chosen else texts.get(language, "ho_day_unavailable", day=_date(language, chosen))
        if made.part is not None:  # 'maandag in de namiddag'
            part = _window(texts, language, made.part)
            if made.start is None or not made.hours_known:
                first = made.start.astimezone(zone).date() if made.start is not None else chosen
                return prefix, texts.get(language, "ho_when_day_window", day=_date(language, first), window=part)
            start = made.start.astimezone(zone)
            return prefix, texts.get(language, "ho_when_window_from", day=_date(language, start.date()),
                                     window=part, time=_clock(start))
        if made.start is None:
            return prefix, texts.get(language, "ho_when_on_day", day=_date(language, chosen))
        start = made.start.astimezone(zone)
        if not made.hours_known:
            return prefix, texts.get(language, "ho_when_on_day", day=_date(language, start.date()))
        return prefix, texts.get(language, "ho_when_on_day_from", day=_date(language, start.date()),
                                 time=_clock(start))
    window = _window(texts, language, made.window)
    if not made.hours_known or made.start is None:
        return "", texts.get(language, "ho_when_workday", window=window)
    start = made.start.astimezone(zone)
    day = _day(texts, language, start.date(), today)
    if made.window != "asap" and made.as_chosen:
        if made.end is not None:
            return "", texts.get(language, "ho_when_window_before", day=day, window=window,
                                 time=_clock(made.end.astimezone(zone)))
        return "", texts.get(language, "ho_when_window_from", day=day, window=window, time=_clock(start))
    if made.window != "asap":
        prefix = texts.get(language, "ho_window_unavailable", window=window)
    else:
        prefix = "" if made.end is not None else texts.get(
            language, "ho_closing_soon" if made.open_now else "ho_out_of_hours"
        )
    if made.end is not None:
        return prefix, texts.get(language, "ho_when_today_before", time=_clock(made.end.astimezone(zone)))
    if start.date() == today:
        return prefix, texts.get(language, "ho_when_today_from", time=_clock(start))
    return prefix, texts.get(language, "ho_when_from", day=day, time=_clock(start))
