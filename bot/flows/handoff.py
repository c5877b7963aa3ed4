"""The resident's side of a handoff: consent, callback number, time window, language, ticket status."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from bot.effects import AddToTicket, AskTicketStatus, OpenTicket, TicketReceipt, TicketStatusInfo
from bot.flows.context import Ctx
from bot.library import Library
from bot.messages import Reply

TICKET_CODE = re.compile(r"^\s*t\s*-?\s*(\d{3,6})\s*$", re.IGNORECASE)
WINDOWS = ("asap", "morning", "afternoon")
DAYS_OFFERED = 5
PHONE_CHANNELS = ("sms", "whatsapp")


def looks_like_ticket_code(ctx: Ctx) -> bool:
    return TICKET_CODE.match(ctx.text) is not None


def _topic(ctx: Ctx) -> str:
    data = ctx.state.data
    if data.get("guide"):
        return str(data["guide"])
    cursor = ctx.state.guide or {}
    if cursor.get("guide_id"):
        return str(cursor["guide_id"])
    return ctx.state.topic or "other"


def start(ctx: Ctx, _arg: str) -> None:
    """Explain what will happen, then ask for consent to call (phone channels) or for a number (Telegram)."""
    context = {k: v for k, v in ctx.state.data.items() if k in ("guide", "step")}
    cursor = ctx.state.guide or {}
    if not context and cursor.get("guide_id"):
        context = {"guide": cursor.get("guide_id"), "step": cursor.get("step_id")}
    ctx.state.data = {"context": context, "topic": _topic(ctx)}
    ctx.state.flow = "handoff"
    ctx.intent = ctx.intent or "handoff.request"
    if ctx.inbound.address.channel in PHONE_CHANNELS:
        ctx.state.data["number"] = ctx.inbound.address.id
        ctx.say(
            f"{ctx.t('ho_explain')} {ctx.t('ho_consent')}",
            [
                (ctx.t("option_this_number"), "handoff:consent"),
                (ctx.t("option_other_number"), "handoff:other"),
                (ctx.t("option_no_digipunt"), "handoff:decline"),
            ],
        )
        return
    ctx.state.flow = "handoff-number"
    ctx.say(
        f"{ctx.t('ho_explain')} {ctx.t('ho_consent_no_number')}", [(ctx.t("option_no_digipunt"), "handoff:decline")]
    )


def _ask_window(ctx: Ctx) -> None:
    ctx.state.flow = "handoff"
    choices = [(ctx.t(f"option_{w}"), f"handoff:window-{w}") for w in WINDOWS]
    choices.append((ctx.t("ho_option_other_day"), "handoff:days"))
    ctx.say(ctx.t("ho_window_prompt"), choices)


def _ask_day(ctx: Ctx) -> None:
    """The next working days (Monday to Saturday) as numbered choices."""
    zone = ZoneInfo(ctx.library.texts.deployment.timezone)
    day = ctx.now.astimezone(zone).date()
    choices: list[tuple[str, str]] = []
    while len(choices) < DAYS_OFFERED:
        day += timedelta(days=1)
        if day.weekday() == 6:
            continue
        choices.append((format_date(day, "EEEE d/M", locale=ctx.lang), f"handoff:window-day:{day.isoformat()}"))
    ctx.say(ctx.t("ho_day_prompt"), choices)


def _ask_language(ctx: Ctx) -> None:
    texts = ctx.library.texts
    ordered = [ctx.lang, *[code for code in texts.languages if code != ctx.lang]]
    ctx.say(
        ctx.t("ho_language_prompt"), [(texts.catalogue.name(code), f"handoff:lang-{code}") for code in ordered]
    )


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


def on_number(ctx: Ctx) -> bool:
    number = normalise_number(ctx.text, ctx.library.texts.deployment.phone_region)
    if number is None:
        if sum(ch.isdigit() for ch in ctx.text) >= 6:
            ctx.say(ctx.t("ho_number_invalid"))
            return True
        return False
    ctx.state.data["number"] = number
    ctx.state.flow = "handoff"
    ctx.say(
        ctx.t("ho_number_confirm", number=pretty_number(number)),
        [
            (ctx.t("option_yes"), "handoff:consent"),
            (ctx.t("option_other_number"), "handoff:other"),
            (ctx.t("option_no_digipunt"), "handoff:decline"),
        ],
    )
    return True


def step(ctx: Ctx, what: str) -> None:
    data = ctx.state.data
    if what == "start":
        start(ctx, "")
    elif what == "consent":
        _ask_window(ctx)
    elif what == "other":
        ctx.state.flow = "handoff-number"
        ctx.say(ctx.t("ho_ask_number"), [(ctx.t("option_no_digipunt"), "handoff:decline")])
    elif what == "decline":
        ctx.state.flow = ""
        ctx.state.data = {}
        ctx.say(
            ctx.t("ho_declined"), [(ctx.t("ho_option_digipunt"), "flow:digipunt"), (ctx.t("option_menu"), "menu:main")]
        )
    elif what == "days":
        _ask_day(ctx)
    elif what == "window-tomorrow":  # offered by older conversations
        tomorrow = ctx.now.astimezone(ZoneInfo(ctx.library.texts.deployment.timezone)).date() + timedelta(days=1)
        data["window"] = f"day:{tomorrow.isoformat()}"
        _ask_language(ctx)
    elif what.startswith("window-"):
        data["window"] = what.removeprefix("window-")
        _ask_language(ctx)
    elif what.startswith("lang-"):
        language = what.removeprefix("lang-")
        ctx.state.flow = ""
        ctx.state.options = []
        ctx.effect(
            OpenTicket(
                topic=str(data.get("topic") or "other"),
                language=language,
                callback_number=data.get("number"),
                callback_window=str(data.get("window") or "asap"),
                context=dict(data.get("context") or {}),
            )
        )
        ctx.state.data = {}
    else:
        start(ctx, "")


def status(ctx: Ctx, _arg: str) -> None:
    match = TICKET_CODE.match(ctx.text)
    code = f"T-{match.group(1)}" if match else ctx.state.ticket
    ctx.effect(AskTicketStatus(code=code))


def forward_to_helper(ctx: Ctx) -> None:
    if ctx.state.ticket:
        ctx.effect(AddToTicket(code=ctx.state.ticket, text=ctx.text))
        ctx.say(ctx.t("ho_forwarded"))


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


def confirmation(receipt: TicketReceipt, language: str, library: Library, now: datetime) -> list[Reply]:
    """The resident's confirmation after the service opened the ticket (pure)."""
    texts = library.texts
    replies: list[Reply] = []
    if receipt.added_to_existing:
        replies.append(Reply(text=texts.get(language, "ho_added_to_existing", code=receipt.code)))
        return replies
    when = _when(library, language, receipt.expected_at, receipt.in_hours, now)
    text = texts.get(language, "ho_ticket_created", code=receipt.code, organisation=receipt.organisation, when=when)
    if not receipt.in_hours:
        text = f"{texts.get(language, 'ho_out_of_hours')} {text}"
    replies.append(Reply(text=text))
    if receipt.language and receipt.helper_languages and receipt.language not in receipt.helper_languages:
        # said honestly, in the resident's language: the helper will not speak the language they chose
        names = ", ".join(language_name(code, language) for code in receipt.helper_languages)
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
    return Reply(text=texts.get(language, "ho_status_open", code=info.code, organisation=info.organisation, when=when))


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {"handoff": step}
TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {"handoff-number": on_number}
