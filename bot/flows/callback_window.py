"""The callback window a resident's words name ('liefst maandag in de namiddag', 'after 2pm', 'na nieuwjaar'),
kept in the handoff's data (pure)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from bot.flows.context import Ctx
from bot.fold import fold
from places.hours import COUNTRY
from places.moments import parse_moment

DAYS_OFFERED = 5
WINDOW_ANSWERS = ("asap", "morning", "afternoon", "other_day", "any_time")


@lru_cache(maxsize=8)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(COUNTRY, years=year)


def _callable_day(day: date) -> bool:
    """Monday to Saturday and no public holiday: a day a helper may call."""
    return day.weekday() != 6 and day not in _holidays(day.year)


NAMED_DAY_HORIZON = 14  # days ahead a callback day may be named in words


def offered_days(ctx: Ctx) -> list[date]:
    """The next working days (Monday to Saturday, no public holidays)."""
    zone = ZoneInfo(ctx.library.texts.deployment.timezone)
    day = ctx.now.astimezone(zone).date()
    days: list[date] = []
    while len(days) < DAYS_OFFERED:
        day += timedelta(days=1)
        if _callable_day(day):
            days.append(day)
    return days


def _day_named(ctx: Ctx) -> date | None:
    """A working day named in the message ('maandag', 'demain'), one of the days offered or a working day within
    two weeks ('volgende week dinsdag'); clause by clause ('pas aujourd'hui ... lundi par exemple': Monday)."""
    zone = ZoneInfo(ctx.library.texts.deployment.timezone)
    today = ctx.now.astimezone(zone).date()
    offered = offered_days(ctx)
    for text in dict.fromkeys((ctx.text, *ctx.library.answers.clauses(ctx.text))):
        moment = parse_moment(text, ctx.now)
        if moment is None:
            continue
        day = moment.astimezone(zone).date()
        ahead = (day - today).days
        if day in offered or (0 < ahead <= NAMED_DAY_HORIZON and _callable_day(day)):
            return day
    return None


CHRISTMAS_WORDS = ("kerst", "christmas", "noel")  # 'na kerst': after 26/12; otherwise after New Year


def _after_holidays(ctx: Ctx) -> date | None:
    """'niet voor kerstmis, na nieuwjaar is goed': the first working day after the year-end holidays (after 26
    December when only Christmas is named), within the next weeks."""
    if not ctx.library.answers.has(ctx.text, "after_holidays"):
        return None
    zone = ZoneInfo(ctx.library.texts.deployment.timezone)
    today = ctx.now.astimezone(zone).date()
    year = today.year + 1 if today.month == 12 else today.year
    folded = ctx.folded
    only_christmas = any(word in folded for word in CHRISTMAS_WORDS) and not any(
        word in folded for word in ("nieuwjaar", "new year", "nouvel an", "januari", "january", "janvier"))
    day = date(year - 1, 12, 26) if only_christmas and today.month == 12 else date(year, 1, 1)
    while True:
        day += timedelta(days=1)
        if day > today and _callable_day(day):
            return day if (day - today).days <= NAMED_DAY_HORIZON * 3 else None


PREFERENCE = re.compile(r"\b(liefst|best|graag|svp|aub|please|prefer|rather|preference|plutot|goed|good|suits|bien)\b")


def _first_part(ctx: Ctx) -> str:
    """Of morning and afternoon both named, the one in a clause that says it is preferred ('na de middag slaapt ze,
    dus liefst in de voormiddag'), else the one named first ('le matin, l'apres-midi je travaille')."""
    answers = ctx.library.answers
    for clause in answers.clauses(ctx.text):
        parts = [name for name in ("morning", "afternoon") if answers.has(clause, name)]
        if len(parts) == 1 and PREFERENCE.search(fold(clause)):
            return parts[0]
    hits = answers.hits(answers.tokens(ctx.text), ("morning", "afternoon"))
    return min(hits, key=lambda hit: (hit.start, -hit.size)).category


CLOCK_AFTER = re.compile(r"\b(?:after|na|apres|vanaf|from|om|at|vers|rond|around)\s*(\d{1,2})\s*(?:u|h|uur|pm|am)?\b")
CLOCK_BEFORE = re.compile(r"\b(?:before|voor|avant|tegen)\s*(\d{1,2})\s*(?:u|h|uur|am)?\b")


# 'na 12 ik werk', 'after 1 I'm at work', 'apres 13h je travaille': the hour is when the resident is busy
BUSY = re.compile(r"\b(werk|werken|work|working|travaille|travail|boulot|school|ecole|slaap|slapen|sleep|dors"
                  r"|bezig|busy|occupe|occupee)\b")
BECAUSE = re.compile(r"\b(want|omdat|because|since|cause|coz|car|parce|puisque|vu que)\b")


def part_by_clock(ctx: Ctx) -> str | None:
    """'after 2pm is best', 'na 14u', 'before 11 if possible': the part of the day an hour names; 'na 12 ik
    werk' names the morning (the hour after which the resident is busy)."""
    folded = fold(ctx.text)
    after = CLOCK_AFTER.search(folded)
    if after:
        hour = int(after[1])
        hour = hour + 12 if 1 <= hour <= 7 else hour
        # ('na 11u want ik slaap', 'after 4 because I work mornings': the reason for the hour chosen)
        busy = not BECAUSE.search(folded) and any(CLOCK_AFTER.search(fold(clause)) and BUSY.search(fold(clause))
                                                  for clause in ctx.library.answers.clauses(ctx.text))
        if busy:
            return "morning" if hour >= 12 else None
        return "afternoon" if hour >= 12 else "morning"
    before = CLOCK_BEFORE.search(folded)
    if before and 8 <= int(before[1]) <= 12:
        return "morning"
    return None


TODAY = re.compile(r"\b(vandaag|today|aujourd hui|aujourdhui|bugun)\b")


def _only_today(ctx: Ctx) -> bool:
    """The message reads as 'as soon as possible' only through its word for today."""
    folded = fold(ctx.text).replace("'", " ")
    return bool(TODAY.search(folded)) and not ctx.library.answers.has(TODAY.sub(" ", folded), "asap")


def other_day_said(ctx: Ctx) -> bool:
    """A word of another day ('morgen', 'maandag'), not one inside a part of the day ('s morgens')."""
    answers = ctx.library.answers
    hits = answers.hits(answers.tokens(ctx.text), ("other_day", "morning", "afternoon"))
    parts = [hit for hit in hits if hit.category != "other_day"]
    return any(hit.category == "other_day" and not any(
        part.size > hit.size and part.start <= hit.start < part.start + part.size for part in parts) for hit in hits)


def note_window(ctx: Ctx, *, loose: bool = False) -> bool:
    """Keep the callback window the message names ('liefst s morgens', 'maakt niet uit', 'maandag',
    'een andere dag, maakt niet uit welke'). True when a window is now known. `loose`: where a time is asked, a
    day named inside a longer sentence counts too."""
    data = ctx.state.data
    answers = ctx.library.answers
    said = answers.read(ctx.text, WINDOW_ANSWERS)
    parts = [name for name in ("morning", "afternoon") if answers.has(ctx.text, name)]
    part = parts[0] if len(parts) == 1 else None  # 'liefst in de namiddag, s morgens ga ik naar de markt': no day
    if len(parts) == 2 and said in parts:  # 'le matin svp, l'apres-midi je travaille', 'na de middag slaapt ze,
        said = _first_part(ctx)            # dus liefst in de voormiddag'
    if said is None and parts:
        # a long sentence that is no answer by itself: 'Ik zou liefst in de voormiddag gebeld worden want in de
        # namiddag moet ik werken' (both named: the preferred or first one; one named: only with a word preferring it)
        preferred = [name for clause in answers.clauses(ctx.text) for name in parts
                     if answers.has(clause, name) and PREFERENCE.search(fold(clause))]
        if len(parts) == 2 or preferred:
            said = _first_part(ctx) if len(parts) == 2 else preferred[0]
    clock = part_by_clock(ctx)
    if clock is not None and said in ("morning", "afternoon") and said != clock and not any(
            answers.has(clause, str(said)) and PREFERENCE.search(fold(clause)) for clause in answers.clauses(ctx.text)):
        said = part = clock  # 'apres 14h, le matin je suis au travail': the hour asked, not the part unavailable
    if said == "asap" and clock is not None and _only_today(ctx):
        said = clock  # 'vandaag na 15u': today, at the hour named ('zo rap mogelijk, ik rij vanaf 10u' stays asap)
    if said is None:
        said = clock or ("other_day" if answers.has(ctx.text, "after_holidays") else None)
    if said == "any_time" and other_day_said(ctx) and _day_named(ctx) is not None:
        said = "other_day"  # 'Next Monday would suit, any time': that day, at any hour
    if loose and said is None and other_day_said(ctx) and _day_named(ctx) is not None:
        said = "other_day"  # 'not this week, I'm on nights. next monday or tuesday?' when the time is asked

    day = _day_named(ctx) if part is not None and said != "asap" and other_day_said(ctx) else None
    if day is not None and part is not None:  # 'Monday afternoon would suit us', 'morgen in de voormiddag'
        data["window"] = f"day:{day.isoformat()}:{part}"
    elif said in ("asap", "morning", "afternoon"):
        data["window"] = said
    elif said == "other_day" or (said == "any_time" and data.get("asked") == "day"):
        day = _day_named(ctx) or _after_holidays(ctx)
        if day is None and answers.has(ctx.text, "any_time"):
            day = offered_days(ctx)[0]
        if day is not None:
            data["window"] = f"day:{day.isoformat()}"
        else:
            data["other_day"] = True
    elif said == "any_time":
        data["window"] = "asap"
    return "window" in data


def window_said(ctx: Ctx, *, loose: bool = False) -> str | None:
    """The callback window the message names, read apart from what the open flow already noted."""
    kept = ctx.state.data
    ctx.state.data = {}
    try:
        window = ctx.state.data.get("window") if note_window(ctx, loose=loose) else None
    finally:
        ctx.state.data = kept
    return window if isinstance(window, str) else None


def soonest_in_request(ctx: Ctx) -> bool:
    """'ik wil dat iemand mij belt vandaag nog', 'Could someone call? Any time is fine': the request itself says
    the soonest (a phrase of two words or more; a lone 'nu' or 'today' in a story chooses nothing)."""
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    return any(hit.size >= 2 for hit in answers.hits(words, ("asap", "any_time")))
