"""The handoff's replies once the service has acted (pure): the confirmation of a new ticket with its promise,
and the answer to 'how far is my question?'."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from bot.content.library import Library
from bot.effects import TicketReceipt, TicketStatusInfo
from bot.flows.handoff_promise import promise_words
from bot.messages import Reply


def _clock(moment: datetime) -> str:
    return f"{moment.hour}:{moment.minute:02d}"


def _when(library: Library, language: str, expected_at: datetime | None, in_hours: bool, now: datetime) -> str:
    """'today before 17:00', 'today from 13:30', 'tomorrow from 9:00', 'on Monday 30/11' or 'as soon as possible'."""
    texts = library.texts
    if expected_at is None:
        return texts.get(language, "ho_when_soon")
    zone = ZoneInfo(texts.deployment.timezone)
    local = expected_at.astimezone(zone)
    today = now.astimezone(zone).date()
    if local.date() == today:
        key = "ho_when_today_before" if in_hours else "ho_when_today_from"
        return texts.get(language, key, time=_clock(local))
    if (local.hour, local.minute) == (0, 0):
        return texts.get(language, "ho_when_on_day", day=format_date(local.date(), "EEEE d/M", locale=language))
    day = format_date(local.date(), "EEEE", locale=language)
    if (local.date() - today).days == 1:
        day = texts.get(language, "word_tomorrow")
    return texts.get(language, "ho_when_from", day=day, time=_clock(local))


def confirmation(receipt: TicketReceipt, language: str, library: Library, now: datetime, *,
                 by_message: bool = False) -> list[Reply]:
    """The resident's confirmation after the service opened the ticket (pure); `by_message`: no number to call
    (Telegram), so a helper writes first."""
    texts = library.texts
    replies: list[Reply] = []
    if receipt.added_to_existing:
        replies.append(Reply(text=texts.get(language, "ho_added_to_existing", code=receipt.code)))
        return replies
    when = _when(library, language, receipt.expected_at, receipt.in_hours, now)
    prefix = "" if receipt.in_hours else texts.get(language, "ho_out_of_hours")
    if receipt.promise is not None:
        prefix, when = promise_words(receipt.promise, texts, language, now)
    key = "ho_ticket_created_message" if by_message else "ho_ticket_created"
    text = texts.get(language, key, code=receipt.code, organisation=receipt.organisation, when=when)
    if prefix:
        text = f"{prefix} {text}"
    replies.append(Reply(text=text))
    if receipt.language and receipt.helper_languages and receipt.language not in receipt.helper_languages:
        # said honestly, in the resident's language: the helper will not speak the language they chose
        listed = texts.catalogue.get(language)
        comma = "، " if listed is not None and listed.script == "Arab" else ", "  # Arabic writes its own comma
        names = comma.join(language_name(code, language) for code in receipt.helper_languages)
        replies.append(Reply(text=texts.get(language, "ho_helper_languages", languages=names)))
    return replies


def language_name(code: str, in_language: str) -> str:
    """A language's name in another language ('nl' in Arabic: 'الهولندية'), from babel's locale data."""
    try:
        name = Locale.parse(in_language).languages.get(code)
    except (ValueError, UnknownLocaleError):
        name = None
    return str(name) if name else code


def status_reply(info: TicketStatusInfo, language: str, library: Library, now: datetime) -> Reply:
    texts = library.texts
    if info.code is None or info.status is None:
        return Reply(text=texts.get(language, "ho_status_none"))
    if info.status == "claimed":
        return Reply(
            text=texts.get(
                language,
                "ho_status_claimed",
                code=info.code,
                helper=info.helper or texts.get(language, "word_a_helper"),
                organisation=info.organisation,
            )
        )
    if info.status == "closed":
        return Reply(text=texts.get(language, "ho_status_closed", code=info.code))
    when = _when(library, language, info.expected_at, info.expected_at is None, now)
    if info.promise is not None:
        when = promise_words(info.promise, texts, language, now)[1]
    return Reply(text=texts.get(language, "ho_status_open", code=info.code, organisation=info.organisation, when=when))
