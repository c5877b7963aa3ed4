"""Pure text for residents: one compact SMS line per place, the detail message, opening hours in words."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache
from typing import Literal

from anyascii import anyascii
from babel.dates import get_day_names
from babel.numbers import format_decimal

from bot.content_base.languages import LanguageList, shipped_languages
from places.hours import local
from places.model import Place, PlaceStatus
from places.phrases import Phrases, shipped_phrases

MAX_LIST_LINE = 76  # three numbered lines plus a header and a footer stay within two SMS segments (306)
MAP_URL = "https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}"
OSM_DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)
_DAYS_PART = re.compile(
    r"^(?P<days>(?:Mo|Tu|We|Th|Fr|Sa|Su)(?:[-,](?:Mo|Tu|We|Th|Fr|Sa|Su))*)\s+(?P<rest>.+)$"
)
_TIMES = re.compile(r"^\d{2}:\d{2}-\d{2}:\d{2}(?:,\d{2}:\d{2}-\d{2}:\d{2})*$")


def gsm7(text: str) -> str:
    """The text with every character outside GSM-7 replaced by its plain-ASCII look-alike."""
    if _GSM7.issuperset(text):
        return text
    return "".join(char if char in _GSM7 else anyascii(char) for char in text)


def plain(text: str, language: str, languages: LanguageList | None = None) -> str:
    """GSM-7 look-alikes for a language written in GSM-7 without its own SMS spelling (nl, en, fr); other
    languages keep their letters (Turkish is spelled for SMS when rendered; Arabic, Cyrillic stay as written)."""
    policy = (languages or shipped_languages()).sms(language)
    return gsm7(text) if policy.encoding == "gsm7" and not policy.spelling else text


def map_link(place: Place) -> str | None:
    """An OpenStreetMap link with a marker on the place, or None without coordinates."""
    if place.lat is None or place.lon is None:
        return None
    return MAP_URL.format(lat=place.lat, lon=place.lon)


DayWidth = Literal["abbreviated", "wide"]


def _day_name(weekday: int, language: str, width: DayWidth) -> str:
    return str(get_day_names(width, locale=language)[weekday])


def _time(moment: datetime, language: str, phrases: Phrases) -> str:
    if moment.minute == 0:
        return phrases.say("time_hour", language, h=moment.hour)
    return phrases.say("time_hour_minute", language, h=moment.hour, mm=f"{moment.minute:02d}")


def _opens(opens_at: datetime, now: datetime, language: str, phrases: Phrases, width: DayWidth) -> str:
    """'opent morgen 10u' / 'opent di 13u' / 'opent 12/1 10u' (relative to now)."""
    time = _time(opens_at, language, phrases)
    days_ahead = (opens_at.date() - now.date()).days
    if days_ahead == 1:
        return phrases.say("opens_tomorrow", language, time=time)
    if 1 < days_ahead < 7:
        return phrases.say(
            "opens_day", language, day=_day_name(opens_at.weekday(), language, width), time=time
        )
    date = phrases.say("date", language, d=opens_at.day, m=opens_at.month)
    return phrases.say("opens_date", language, date=date, time=time)


def _reason(reason: dict[str, str], language: str, source: str) -> str:
    """A closure's reason in the reader's language; in the source language only for a reader of the same script
    (an Arabic or Cyrillic reader gets no Dutch words in the middle of the sentence)."""
    if reason.get(language):
        return reason[language]
    listed = shipped_languages()
    reader, written = listed.get(language), listed.get(source)
    same_script = reader is None or written is None or reader.script == written.script
    return reason.get(source, "") if same_script else ""


def status_words(
    status: PlaceStatus,
    language: str,
    now: datetime,
    *,
    phrases: Phrases | None = None,
    width: DayWidth = "abbreviated",
    said_from: datetime | None = None,
) -> str:
    """'open tot 12u', 'open vanaf 13u', 'gesloten, opent di 13u', 'gesloten (verbouwing), opent ...'; `said_from`:
    the day 'opens tomorrow' counts from when `now` is another day asked about (the real today)."""
    says = phrases or shipped_phrases()
    today = local(now)
    if status.open_now and status.closes_at is not None:
        return says.say("open_until", language, time=_time(local(status.closes_at), language, says))
    if status.place.hours is None and status.closed_reason is None:
        return says.say("hours_unknown", language)
    if status.closed_reason:
        reason = _reason(status.closed_reason, language, says.source)
        closed = says.say("closed_because", language, reason=reason) if reason else says.say("closed", language)
    else:
        closed = says.say("closed", language)
    if status.opens_at is None:
        return closed
    opens_at = local(status.opens_at)
    if opens_at.date() == today.date() and not status.closed_reason:
        return says.say("open_from", language, time=_time(opens_at, language, says))
    return f"{closed}, {_opens(opens_at, local(said_from) if said_from else today, language, says, width)}"


def _kilometres(meters: float, language: str) -> str:
    """'1,1' in nl, '1.1' in en: rounded to tenths as babel rounds, and each tenth formatted once per language."""
    tenths = Decimal(str(meters / 1000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
    return _formatted_tenths(tenths, language)


@lru_cache(maxsize=2048)
def _formatted_tenths(tenths: Decimal, language: str) -> str:
    return str(format_decimal(tenths, format="0.0", locale=language))


def _distance(status: PlaceStatus, language: str, phrases: Phrases) -> str:
    """'1,1 km'; for a place placed at its street or wijk centre: 'in je wijk', or 'ca. 2,3 km' elsewhere."""
    km = _kilometres(status.distance_m or 0, language)
    if not status.approximate:
        return phrases.say("distance", language, km=km)
    if status.same_wijk:
        return phrases.say("distance_in_area", language)
    return phrases.say("distance_about", language, km=km)


def ask_on_site(language: str, phrases: Phrases | None = None) -> str:
    """The hedge for uncertain facts: the ask_on_site phrase of phrases.yaml."""
    return (phrases or shipped_phrases()).say("ask_on_site", language)


def _markers(status: PlaceStatus, language: str, phrases: Phrases) -> list[str]:
    """The helper marker ('met begeleider') or, when the data is not sure, the hedge; then 'afspraak nodig'."""
    place = status.place
    markers = []
    if place.helper_unsure:
        markers.append(ask_on_site(language, phrases))
    elif status.open_now and place.helper is not None:
        markers.append(phrases.say("with_helper" if status.helper_now else "without_helper", language))
    if place.reservation.required:
        markers.append(phrases.say("booking_needed", language))
    return markers


def _list_line(status: PlaceStatus, language: str, now: datetime, phrases: Phrases, address: str | None,
               markers: list[str], languages: LanguageList | None = None) -> str:
    place = status.place
    details = ", ".join([status_words(status, language, now, phrases=phrases), *markers])
    if address is None:
        line = phrases.say("list_line_short", language, name=place.short_name, details=details)
    else:
        line = phrases.say("list_line", language, name=place.short_name, address=address, details=details)
    if status.distance_m is not None:
        line = phrases.say("list_line_distance", language, line=line, distance=_distance(status, language, phrases))
    return plain(line, language, languages)


def _line_versions(status: PlaceStatus, language: str, phrases: Phrases) -> list[tuple[str | None, list[str]]]:
    """(address, markers) from the fullest to the shortest: the street number goes first, then the address,
    then the booking marker; the helper marker or hedge is the last to go (the same places keep it in every
    language)."""
    place = status.place
    markers = _markers(status, language, phrases)
    full = place.street_line or phrases.say("address_unknown", language)
    versions: list[tuple[str | None, list[str]]] = [(full, markers)]
    if place.street and place.number:
        versions.append((place.street, markers))
    versions.append((None, markers))
    if place.reservation.required:
        versions.append((None, markers[:-1]))
    versions.append((None, []))
    return versions


def describe_list(
    statuses: Iterable[PlaceStatus],
    language: str,
    now: datetime,
    *,
    phrases: Phrases | None = None,
    languages: LanguageList | None = None,
) -> list[str]:
    """One compact line per place ('Kringwinkel, Vlaamsekaai 10: open tot 12u, met begeleider (0,6 km)').

    Each line is at most MAX_LIST_LINE GSM-7 characters, so a numbered list of three fits in two SMS segments.
    """
    says = phrases or shipped_phrases()
    lines = []
    for status in statuses:
        line = ""
        for address, markers in _line_versions(status, language, says):
            line = _list_line(status, language, now, says, address, markers, languages)
            if len(line) <= MAX_LIST_LINE:
                break
        if len(line) > MAX_LIST_LINE:
            line = line[: MAX_LIST_LINE - 3].rstrip() + "..."
        lines.append(line)
    return lines


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def describe_place(
    status: PlaceStatus,
    language: str,
    now: datetime,
    *,
    phrases: Phrases | None = None,
    languages: LanguageList | None = None,
    on_day: str = "",
    said_from: datetime | None = None,
) -> str:
    """The detail message: address, now open or not, hours in words, helper, booking, max visit, map link.
    `on_day` ('zaterdag 28/11'): the status is that day's (at `now`), named before it; `said_from`: see status_words."""
    says = phrases or shipped_phrases()
    place = status.place
    parts = [
        says.say(
            "detail_header",
            language,
            name=place.name,
            address=place.address or says.say("address_unknown", language),
        )
    ]
    ask = ask_on_site(language, says)
    if not place.offered:
        parts.append(says.say("detail_historical", language))
    elif place.listing_unsure:
        parts.append(says.say("detail_unsure", language, ask=ask))
    if place.hours is not None:
        words = status_words(status, language, now, phrases=says, width="wide", said_from=said_from)
        if on_day:
            parts.append(says.say("detail_status_on", language, day=_sentence_start(on_day), status=words))
        else:
            parts.append(says.say("detail_status", language, status=_sentence_start(words)))
        parts.append(
            says.say("detail_hours", language, hours=hours_in_words(place.hours, language, phrases=says))
        )
    else:
        parts.append(says.say("detail_hours_unknown", language))
    if place.helper is None or "helper" in place.uncertain:
        parts.append(says.say("detail_helper_unknown", language, ask=ask))
    elif place.helper and place.listing_unsure:
        # the listing hedge above already sends the resident to the place: not twice in one message
        parts.append(says.say("detail_helper_maybe" if place.offered else "detail_helper_unsure", language, ask=ask))
    elif not place.helper or not place.helper_hours:
        parts.append(says.say("detail_no_helper", language))
    elif place.helper_hours == place.hours:
        parts.append(says.say("detail_helper_same", language))
    else:
        parts.append(
            says.say(
                "detail_helper_hours",
                language,
                hours=hours_in_words(place.helper_hours, language, phrases=says),
            )
        )
    required = place.reservation.required
    parts.append(
        says.say(
            "detail_walk_in" if required is False else "detail_booking" if required else "detail_free",
            language,
        )
    )
    if place.reservation.how.get(language):
        parts.append(place.reservation.how[language])
    if place.max_visit_minutes:
        key = "detail_max_visit_unsure" if place.unsure("max_visit_minutes") else "detail_max_visit"
        parts.append(says.say(key, language, minutes=place.max_visit_minutes, ask=ask))
    if place.notes.get(language):
        parts.append(place.notes[language])
    if place.contact.phone:
        parts.append(says.say("detail_phone", language, phone=place.contact.phone))
    link = map_link(place)
    if link:
        parts.append(says.say("detail_map", language, url=link))
    return plain(" ".join(parts), language, languages)


def _days_in_words(days: str, language: str) -> str | None:
    names = get_day_names("abbreviated", locale=language)
    parts = []
    for piece in days.split(","):
        ends = piece.split("-")
        if not all(end in OSM_DAYS for end in ends) or len(ends) > 2:
            return None
        parts.append("-".join(str(names[OSM_DAYS.index(end)]) for end in ends))
    return ", ".join(parts)


def hours_in_words(expr: str, language: str, *, phrases: Phrases | None = None) -> str:
    """'Mo,We-Fr 10:00-12:00,13:00-17:00' -> 'ma, wo-vr 10:00-12:00 en 13:00-17:00' (nl).

    Rules are joined with '; '; 'PH off' becomes 'niet op feestdagen'. An expression outside this simple
    shape is returned as it is.
    """
    says = phrases or shipped_phrases()
    language = language if language in says.texts.get("hours_and", {}) else says.source
    joiner = f" {says.say('hours_and', language)} "
    rules = []
    for rule in (part.strip() for part in expr.split(";")):
        if not rule:
            continue
        if rule.lower() in ("ph off", "ph closed"):
            rules.append(says.say("hours_holidays_closed", language))
            continue
        match = _DAYS_PART.match(rule)
        days = _days_in_words(match["days"], language) if match else None
        if match is None or days is None:
            return expr
        rest = match["rest"].strip()
        if rest.lower() in ("off", "closed"):
            rules.append(says.say("hours_closed_rule", language, days=days))
        elif _TIMES.match(rest):
            rules.append(f"{days} {joiner.join(rest.split(','))}")
        else:
            return expr
    return says.say("hours_rule_separator", language).join(rules)
