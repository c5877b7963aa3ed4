"""Understands 'when' ('morgen', 'zaterdag 14u', 'tomorrow morning', 'demain', 'cumartesi') -> a datetime."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from anyascii import anyascii
from babel.dates import get_day_names

from bot.content_base.languages import shipped_languages
from bot.content_base.yamlio import load_yaml
from places.hours import TIMEZONE, local
from places.text import simplify

MOMENTS_FILE = Path(__file__).resolve().parent / "data" / "moments.yaml"
# "14u", "14u30", "14:30", "14h", "14.30", "14 uur", "2pm", "2 pm"
_CLOCK = re.compile(r"\b(\d{1,2})(?:\s*(?:u|h|uur|:|\.)\s*(\d{2})?|\s*(am|pm))(?![\w])")
# a number that counts something else is no hour: 'na 2 dagen', 'after 3 tries', 'vanaf 65 jaar'
_NOT_HOURS = ("dag", "dagen", "week", "weken", "maand", "day", "days", "weeks", "month", "jour", "jours", "semaine",
              "semaines", "mois", "min", "keer", r"x\b", "times", "fois", "jaar", "year", "years", r"an\b", "ans",
              "poging", "try", "tries", "essai")
# "om 15", "na 2", "vers 10", "after 2": an hour after a word that points at a time
_AFTER_MARKER = re.compile(
    r"\b(?:om|at|a|vers|rond|around|tegen|na|vanaf|after|from|apres|des)\s+(\d{1,2})\b"
    rf"(?!\s*(?:\d|{'|'.join(_NOT_HOURS)}))")


@dataclass(frozen=True)
class Vocabulary:
    """Moment words, simplified (lower case ASCII)."""

    now: tuple[str, ...]
    today: tuple[str, ...]
    tomorrow: tuple[str, ...]
    day_after_tomorrow: tuple[str, ...]
    next_markers: tuple[str, ...]
    week_words: tuple[str, ...]
    parts_of_day: tuple[tuple[str, int], ...]
    compounds: tuple[tuple[str, str, int], ...]
    weekdays: tuple[tuple[str, int], ...]
    short_weekdays: tuple[tuple[str, int], ...]
    holidays: tuple[tuple[str, str], ...] = ()  # (name, "MM-DD" or "easter+N"), longest names first
    part_after_weekday: tuple[tuple[str, str], ...] = ()  # ('morgen', 'ochtend'): 'maandag morgen' is a morning
    not_today: tuple[str, ...] = ()  # 'niet vandaag', 'nothing today': with a weekday named, that weekday

    @cached_property
    def any_phrase(self) -> re.Pattern[str]:
        """Every day and part-of-day word above as one whole-word pattern: a text it does not find names none."""
        phrases = {*self.now, *self.today, *self.tomorrow, *self.day_after_tomorrow,
                   *(phrase for phrase, _hour in self.parts_of_day), *(phrase for phrase, *_ in self.compounds),
                   *(phrase for phrase, _day in self.weekdays), *(phrase for phrase, _day in self.short_weekdays),
                   *(phrase for phrase, _rule in self.holidays)}
        return _whole_words(phrases)

    @cached_property
    def weekday_with_part(self) -> re.Pattern[str]:
        """A weekday written together with a part of the day ('woensdagnamiddag'), as one token."""
        days = "|".join(re.escape(name) for name, _day in self.weekdays)
        parts = "|".join(re.escape(phrase) for phrase, _hour in self.parts_of_day if " " not in phrase)
        return re.compile(rf"(?<!\S)({days})({parts})(?!\S)")

    @cached_property
    def part_word_meaning(self) -> dict[str, str]:
        """'morgen' -> 'ochtend': what a word after a weekday stands for."""
        return dict(self.part_after_weekday)

    @cached_property
    def weekday_then_part_word(self) -> re.Pattern[str]:
        """A weekday followed by a word that then names a part of it ('maandag morgen', 'zaterdagmorgen')."""
        days = "|".join(re.escape(name) for name, _day in self.weekdays)
        words = "|".join(re.escape(word) for word, _part in self.part_after_weekday) or "(?!)"
        return re.compile(rf"(?<!\S)({days}) ?({words})(?!\S)")


def _whole_words(phrases: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(phrase) for phrase in sorted(phrases, key=lambda item: (-len(item), item)))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])")


def _words(raw: Any) -> tuple[str, ...]:
    return tuple(simplify(str(word)) for word in (raw or []))


def vocabulary() -> Vocabulary:
    """The words from moments.yaml plus weekday names from babel in every language of the shipped list."""
    return vocabulary_for(shipped_languages().codes)


@lru_cache(maxsize=4)
def vocabulary_for(languages: tuple[str, ...]) -> Vocabulary:
    """The words from moments.yaml plus babel's weekday names in `languages` (wide and abbreviated)."""
    data = load_yaml(MOMENTS_FILE.read_text(encoding="utf-8"))
    parts = tuple(
        (simplify(str(word)), int(part["hour"])) for part in data["parts_of_day"] for word in part["words"]
    )
    compounds = tuple(
        (simplify(str(words)), str(day), int(hour)) for words, (day, hour) in data["compounds"].items()
    )
    weekdays: list[tuple[str, int]] = []
    short: list[tuple[str, int]] = []
    for language in languages:
        for weekday, name in get_day_names("wide", locale=language).items():
            weekdays.append((simplify(str(name)), int(weekday)))
        for weekday, name in get_day_names("abbreviated", locale=language).items():
            short.append((simplify(str(name)), int(weekday)))
    return Vocabulary(
        now=_words(data["now"]),
        today=_words(data["today"]),
        tomorrow=_words(data["tomorrow"]),
        day_after_tomorrow=_words(data["day_after_tomorrow"]),
        next_markers=_words(data["next_week_markers"]),
        week_words=_words(data.get("week_words")),
        parts_of_day=tuple(sorted(parts, key=lambda item: -len(item[0]))),
        compounds=tuple(sorted(compounds, key=lambda item: -len(item[0]))),
        weekdays=tuple(weekdays),
        short_weekdays=tuple(short),
        holidays=tuple(sorted(((simplify(str(name)), str(rule)) for rule, names in (data.get("holidays") or {}).items()
                               for name in names), key=lambda item: -len(item[0]))),
        not_today=_words(data.get("not_today")),
        part_after_weekday=tuple((simplify(str(word)), simplify(str(part)))
                                 for word, part in (data.get("part_after_weekday") or {}).items()),
    )


@lru_cache(maxsize=4096)
def _whole_word(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])")


def _has(text: str, phrase: str) -> bool:
    # the phrase as a substring first: most of the vocabulary (every weekday name in every language) is absent
    return phrase in text and _whole_word(phrase).search(text) is not None


def _afternoon(hour: int) -> int:
    """'om 2u' means 14:00: nobody asks for a Digipunt at 2 at night (hours 1 to 7 become afternoon hours)."""
    return hour + 12 if 1 <= hour <= 7 else hour


def _clock(text: str) -> tuple[int, int] | None:
    """The time of day in the text, if any ('14u30' -> (14, 30), '2pm' -> (14, 0), 'om 15' -> (15, 0))."""
    for match in _CLOCK.finditer(text):
        hour, minute, meridiem = int(match[1]), int(match[2] or 0), match[3]
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
        elif meridiem is None:
            hour = _afternoon(hour)
        if hour < 24 and minute < 60:
            return hour, minute
    marker = _AFTER_MARKER.search(text)
    if marker and int(marker[1]) < 24:
        return _afternoon(int(marker[1])), 0
    return None


def easter(year: int) -> date:
    """Easter Sunday (the Gregorian computus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def _holiday(rule: str, year: int) -> date:
    if rule.startswith("easter+"):
        return easter(year) + timedelta(days=int(rule.removeprefix("easter+")))
    month, day = rule.split("-")
    return date(year, int(month), int(day))


def _holiday_offset(text: str, now: datetime, words: Vocabulary) -> int | None:
    """Days from today to the next public holiday named ('is het open op paasmaandag?'), or None."""
    for phrase, rule in words.holidays:
        if _has(text, phrase):
            today = now.date()
            day = _holiday(rule, today.year)
            if day < today:
                day = _holiday(rule, today.year + 1)
            return (day - today).days
    return None


def _day_offset(text: str, now: datetime, words: Vocabulary) -> tuple[int | None, int | None]:
    """(days from today, hour of a part of the day) named in the text; None where not named."""
    for phrase, day, hour in words.compounds:
        if _has(text, phrase):
            return (0 if day == "today" else 1), hour
    part_hour = next((hour for phrase, hour in words.parts_of_day if _has(text, phrase)), None)
    holiday = _holiday_offset(text, now, words)
    if holiday is not None:
        return holiday, part_hour
    if any(_has(text, phrase) for phrase in words.day_after_tomorrow):
        return 2, part_hour
    if any(_has(text, phrase) for phrase in words.tomorrow):
        return 1, part_hour
    named = [weekday for phrase, weekday in words.weekdays if _has(text, phrase)]
    if not named and len(text.split()) <= 3:
        named = [weekday for phrase, weekday in words.short_weekdays if _has(text, phrase)]
    today_denied = bool(named) and any(_has(text, phrase) for phrase in words.not_today)
    if not today_denied and any(_has(text, phrase) for phrase in words.today + words.now):
        return 0, part_hour
    if named:  # also 'nothing today then? what about monday?': Monday
        ahead = (named[0] - now.weekday()) % 7
        next_said = any(_has(text, marker) for marker in words.next_markers)
        if next_said and any(_has(text, week) for week in words.week_words):
            ahead = 7 - now.weekday() + named[0]  # 'volgende week dinsdag': that day of the next calendar week
        elif ahead == 0 and (next_said or today_denied):
            ahead = 7  # 'not today ... Monday is fine' on a Monday: next Monday
        return ahead, part_hour
    return None, part_hour


def _split_day_parts(cleaned: str, words: Vocabulary) -> str:
    """'woensdagnamiddag' -> 'woensdag namiddag', 'zaterdagvoormiddag' -> 'zaterdag voormiddag': a weekday
    written together with a part of the day."""
    spaced = words.weekday_with_part.sub(r"\1 \2", " ".join(cleaned.split()))
    meaning = words.part_word_meaning
    return words.weekday_then_part_word.sub(lambda found: f"{found[1]} {meaning[found[2]]}", spaced)


def parse_moment(text: str, now: datetime) -> datetime | None:
    """The moment a text names, in Europe/Brussels, or None when it names none.

    'nu' / 'now' / 'maintenant' -> now. A day without a time ('morgen', 'saturday', 'demain') -> the start of
    that day, or now when that day is today. A part of the day ('morgenavond', 'samedi matin') -> its usual
    hour; a time ('zaterdag 14u', 'at 3pm', 'demain 10h') -> that time. A time alone that has already passed
    today means tomorrow.
    """
    current = local(now)
    words = vocabulary()
    cleaned = _split_day_parts(simplify(text.replace("'", " ")), words)
    if not cleaned:
        return None
    clock = _clock(anyascii(text).lower())
    if clock is None and words.any_phrase.search(cleaned) is None:
        return None  # most messages name no moment: one search instead of every word's
    offset, part_hour = _day_offset(cleaned, current, words)
    if any(_has(cleaned, phrase) for phrase in words.now) and clock is None and part_hour is None:
        return current
    if offset is None and clock is None and part_hour is None:
        return None
    if clock is None and part_hour is not None:
        clock = (part_hour, 0)
    day = current.date() + timedelta(days=offset or 0)
    if clock is None:
        if day == current.date():
            return current
        return datetime.combine(day, time(0, 0), tzinfo=TIMEZONE)
    moment = datetime.combine(day, time(*clock), tzinfo=TIMEZONE)
    if offset is None and moment < current:
        moment += timedelta(days=1)
    return moment
