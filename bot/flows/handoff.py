"""The resident's side of a handoff: consent, callback number, time window, language, ticket status."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.effects import (
    AddToTicket,
    AskTicketStatus,
    OpenTicket,
)
from bot.flows.callback_window import (
    WINDOW_ANSWERS,
    note_window,
    offered_days,
    other_day_said,
    part_by_clock,
    soonest_in_request,
    window_said,
)
from bot.flows.context import Choice, Ctx
from bot.flows.handoff_numbers import number_in, pretty_number
from bot.flows.understand_base import HANDOFF_INTENT, STRONG, THANKS

TICKET_CODE = re.compile(r"^\s*t\s*-?\s*(\d{3,6})\s*$", re.IGNORECASE)
WINDOWS = ("asap", "morning", "afternoon")
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


CONSENT_ANSWERS = ("yes", "no", "this_number", "other_number")


def _consent_choices(ctx: Ctx, yes_key: str) -> list[Choice]:
    return [
        Choice(ctx.t(yes_key), "handoff:consent", ("yes", "this_number", "call_me_short", "call_me")),
        Choice(ctx.t("option_other_number"), "handoff:other", ("other_number",)),
        Choice(ctx.t("option_no_digipunt"), "handoff:decline", ("no",)),
    ]


def start(ctx: Ctx, _arg: str) -> None:
    """Explain what will happen, then ask for consent to call (phone channels) or for a number (Telegram)."""
    context = {k: v for k, v in ctx.state.data.items() if k in ("guide", "step")}
    cursor = ctx.state.guide or {}
    if not context and cursor.get("guide_id"):
        context = {"guide": cursor.get("guide_id"), "step": cursor.get("step_id")}
    ctx.state.data = {"context": context, "topic": _topic(ctx)}
    ctx.state.flow = "handoff"
    ctx.intent = ctx.intent or "handoff.request"
    if number_in(ctx) is not None:  # 'kan er iemand mijn moeder bellen ... haar nummer is 0472 55 18 90'
        ctx.say(ctx.t("ho_explain"))
        on_number(ctx)
        return
    # 'kan iemand mij bellen? liefst maandag in de namiddag': a day is kept for after the consent (or the number),
    # and so is 'vandaag nog', 'zo snel mogelijk' or 'any time is fine'; a part of the day alone is asked later
    # ('Good morning. ... Can someone call me?' greets, it chooses nothing)
    # ('bel mij maar, s morgens na 10u': a part of the day backed by an hour is kept)
    if note_window(ctx) and not str(ctx.state.data["window"]).startswith("day:") \
            and ctx.state.data["window"] != part_by_clock(ctx):
        ctx.state.data.pop("window")  # (also an 'asap' read from a clause opening with 'nu krijg ik ...')
    if "window" not in ctx.state.data and soonest_in_request(ctx):
        ctx.state.data["window"] = "asap"
    if ctx.inbound.address.channel in PHONE_CHANNELS:
        ctx.state.data["number"] = ctx.inbound.address.id
        ctx.state.data["asked"] = "consent"
        if ctx.library.answers.read(ctx.text, ("this_number", "other_number")) == "this_number":
            # 'ja op dit nummer, en liefst morgenvroeg' to the offer of a helper: consent and time are given
            ctx.state.data["consent"] = True
            note_window(ctx)
            ctx.say(ctx.t("ho_explain"))
            _next(ctx)
            return
        ctx.say(f"{ctx.t('ho_explain')} {ctx.t('ho_consent')}", _consent_choices(ctx, "option_this_number"))
        return
    ctx.state.flow = "handoff-number"
    ctx.state.data["asked"] = "number"
    ask_number(ctx, f"{ctx.t('ho_explain')} {ctx.t('ho_consent_no_number')}")


def ask_number(ctx: Ctx, text: str) -> None:
    """Which number to call: typed, or on Telegram (where the number is not known) shared with one button."""
    ctx.say(text, [Choice(ctx.t("option_no_digipunt"), "handoff:decline", ("no",))], ask_contact=True)


def _window_choices(ctx: Ctx) -> list[Choice]:
    # ('yes please' to 'when suits you best?': whenever suits the helper, the soonest)
    answers = {"asap": ("asap", "any_time", "yes"), "morning": ("morning",), "afternoon": ("afternoon",)}
    choices = [Choice(ctx.t(f"option_{w}"), f"handoff:window-{w}", answers[w]) for w in WINDOWS]
    choices.append(Choice(ctx.t("ho_option_other_day"), "handoff:days", ("other_day",)))
    return choices


def _ask_window(ctx: Ctx, key: str = "ho_window_prompt") -> None:
    ctx.state.flow = "handoff"
    ctx.state.data["asked"] = "window"
    ctx.say(ctx.t(key), _window_choices(ctx))


def _ask_day(ctx: Ctx) -> None:
    """The next working days as numbered choices."""
    ctx.state.flow = "handoff"
    ctx.state.data["asked"] = "day"
    choices = [(format_date(day, "EEEE d/M", locale=ctx.lang), f"handoff:window-day:{day.isoformat()}")
               for day in offered_days(ctx)]
    ctx.say(ctx.t("ho_day_prompt"), choices)


def _next(ctx: Ctx) -> None:
    """Ask for what is still missing (number, window), or open the ticket."""
    data = ctx.state.data
    if not data.get("number") and not data.get("no_number"):
        ctx.state.flow = "handoff-number"
        data["asked"] = "number"
        ask_number(ctx, ctx.t("ho_ask_number"))
        return
    if "window" not in data:
        if data.pop("other_day", False):
            _ask_day(ctx)
        else:
            _ask_window(ctx)
        return
    _open(ctx, ctx.lang)


def _open(ctx: Ctx, language: str) -> None:
    data = ctx.state.data
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
    ctx.state.data = {"opened_window": str(data.get("window") or "asap")}  # a part said later keeps the day


def on_number(ctx: Ctx) -> bool:
    number = number_in(ctx)
    if number is None:
        if sum(ch.isdigit() for ch in ctx.text) >= 6:
            ctx.say(ctx.t("ho_number_invalid"))
            return True
        said = ctx.library.answers.read(ctx.text, ("yes", "this_number"))
        if said is None and ctx.inbound.address.channel not in PHONE_CHANNELS and _thanks_only(ctx):
            # 'merci' where a number is asked on Telegram: no dead end, a helper writes here first
            ctx.state.data["no_number"] = True
            ctx.say(ctx.t("ho_write_first"))
            _next(ctx)
            return True
        timed = note_window(ctx, loose=True)  # 'volgende maandag is goed': the day is kept, the number asked again
        if not timed and said is None and other_day_said(ctx):
            ctx.state.data["other_day"] = True  # 'deze week lukt niet, ik rij tot vrijdag': the day is asked after
            timed = True
        if timed or said is not None:
            data = ctx.state.data
            if ctx.inbound.address.channel not in PHONE_CHANNELS and data.get("number_asks", 0) >= 1:
                # asked twice on Telegram and still 'this number is fine': no dead end, a helper writes here first
                data["no_number"] = True
                ctx.say(ctx.t("ho_write_first"))
                _next(ctx)
                return True
            data["number_asks"] = int(data.get("number_asks", 0)) + 1
            # 'ja bel mij', 'op dit nummer': on Telegram the number is not known, so ask for it plainly
            key = "ho_number_needed" if said is not None and not timed else "ho_ask_number"
            ask_number(ctx, f"{ctx.t('noted')} {ctx.t(key)}" if timed else ctx.t(key))
            return True
        return False
    ctx.state.data["number"] = number
    ctx.state.data["given"] = number  # 'op dat van mijn moeder da k net gaf' comes back to it
    note_window(ctx)  # 'appelez moi au 0486 55 21 09, le matin de préférence': the time is kept too
    ctx.state.flow = "handoff"
    ctx.state.data["asked"] = "confirm"
    ctx.say(ctx.t("ho_number_confirm", number=pretty_number(number)), _consent_choices(ctx, "option_yes"))
    return True


def _thanks_only(ctx: Ctx) -> bool:
    """'merci', 'God bless', 'thank you kindly': thanks and nothing else."""
    match = ctx.match()
    return match.intent == THANKS and not match.ambiguous


def on_text(ctx: Ctx) -> bool:
    """A free answer during the handoff that did not pick an option: a number, a time, another number, or
    'ja op dit nummer' when the time is asked (acknowledged, and the time asked again)."""
    data = ctx.state.data
    asked = data.get("asked")
    if number_in(ctx) is not None and asked in ("consent", "confirm", "window", "number"):
        return on_number(ctx)
    if pointed_back(ctx):
        return True
    if asked == "day":
        if note_window(ctx):
            _next(ctx)
            return True
        if ctx.library.answers.read(ctx.text, ("yes",)) == "yes":  # 'ja ok is goed' to the days offered: the first
            ctx.state.data["window"] = f"day:{offered_days(ctx)[0].isoformat()}"
            _next(ctx)
            return True
        return False
    answers = ctx.library.answers  # ('bel mij maar' to the consent: consent_in_words, before the options are read)
    said = answers.read(ctx.text, (*CONSENT_ANSWERS, *WINDOW_ANSWERS))
    if said is None and asked == "confirm" and _thanks_only(ctx):
        data["consent"] = True  # 'God bless' to 'we will call you on +32 485 ..., is that right?': the number typed
        _next(ctx)
        return True
    if said is None and asked == "window" and data.get("consent") and _thanks_only(ctx):
        data["window"] = "asap"  # 'dank u' to 'when suits you best?': no time preferred; the call is not lost
        _next(ctx)
        return True
    # 'na 14u is best', 'après le nouvel an': a time in other words; to 'may a helper call this number?' it is a yes
    if said is None and asked in ("window", "consent", "confirm") and note_window(ctx, loose=True):
        data["consent"] = True  # 'na 14u is best', 'après le nouvel an': a time in other words
        _next(ctx)
        return True
    if said in WINDOW_ANSWERS and asked in ("consent", "confirm", "window"):
        note_window(ctx)
        data["consent"] = True
        _next(ctx)
        return True
    if said == "other_number":
        step(ctx, "other")
        return True
    if asked == "window" and said in ("yes", "this_number"):
        if note_window(ctx):  # 'after 2pm is best, and yes this number'
            _next(ctx)
            return True
        _ask_window(ctx, "ho_window_again")
        return True
    if asked == "window" and said is None and answers.read(ctx.text, ("asks_when",)) is not None:
        _ask_window(ctx, "ho_window_when")  # 'wanneer kunnen jullie?': when helpers call, and the choice again
        return True
    return said is None and _story_for_the_helper(ctx)


def consent_in_words(ctx: Ctx) -> bool:
    """'ik wil dat er iemand mij belt', 'nee ik kan dat niet lezen zo klein. bel mij maar' to 'may a helper call
    you on this number?': a yes, whatever 'nee' stands before it (checked before the options are read)."""
    answers = ctx.library.answers
    if ctx.state.flow != "handoff" or ctx.state.data.get("asked") not in ("consent", "confirm"):
        return False
    if not (answers.has(ctx.text, "call_me") or answers.read(ctx.text, ("call_me_short",), strict=True) is not None
            or _not_the_digipunt(ctx)):
        return False
    if answers.read(ctx.text, ("other_number",)) is not None or number_in(ctx) is not None:
        return False  # 'bel mij op een ander nummer': the other number, asked next
    ctx.state.data["consent"] = True
    note_window(ctx)
    _next(ctx)
    return True


DIGIPUNT_WORDS = frozenset({"digipunt", "digipunten", "digipunkt"})


def _not_the_digipunt(ctx: Ctx) -> bool:
    """'nee geen digipunt, ik kan niet goed stappen' where the options end in 'no, I will go to a Digipunt': the no
    is to the Digipunt, so the call is wanted."""
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    return any(word in DIGIPUNT_WORDS for word in words) and any(
        word in answers.negation for word in words) and answers.read(ctx.text, ("yes",)) is None


def _window_with_a_not(ctx: Ctx) -> bool:
    """A part of the day named with a 'not' about the time ('liefst s morgens, niet te vroeg', 'pas l'apres-midi,
    pas avant 14h'), no plain no."""
    answers = ctx.library.answers
    return any(answers.has(ctx.text, part) for part in ("morning", "afternoon")) \
        and answers.read(ctx.text, ("no",), strict=True) is None


STORY_WORDS = 6  # 'het is voor die app van de bank, ... vraagt hij een code': what the helper should know


def _story_for_the_helper(ctx: Ctx) -> bool:
    """A story told at the handoff's question instead of an answer ('het is voor die app van de bank, mijn
    kleinzoon heeft die gezet maar nu vraagt hij een code'): the helper reads it with the ticket; the question is
    asked again. A sure request of its own is left to the engine."""
    if ctx.state.data.get("asked") not in ("consent", "confirm", "window", "day"):
        return False
    match = ctx.match()
    if len(ctx.library.answers.tokens(ctx.text)) < STORY_WORDS or match.keyword or (
            match.intent not in (None, HANDOFF_INTENT) and match.score >= STRONG):
        return False
    ctx.say(ctx.t("ho_story_noted"))
    return ask_again(ctx)


def pointed_back(ctx: Ctx) -> bool:
    """'no not this one, the one i gave you' where the number is confirmed or asked: the number written earlier,
    whatever the 'no' before it; then the time is asked."""
    if ctx.state.data.get("asked") not in ("confirm", "number") or not _number_before(ctx):
        return False
    ctx.state.flow = "handoff"
    ctx.state.data["consent"] = True
    note_window(ctx)
    _next(ctx)
    return True


def _number_before(ctx: Ctx) -> bool:
    """The resident points back to the number they wrote earlier ('dat ik net gaf'): it is the callback number."""
    given = ctx.state.data.get("given")
    if not given or number_in(ctx) is not None or not ctx.library.answers.has(ctx.text, "number_before"):
        return False
    ctx.state.data["number"] = given
    return True


def ask_again(ctx: Ctx) -> bool:
    """The open handoff question again (after a language switch)."""
    asked = ctx.state.data.get("asked")
    if asked == "consent":
        ctx.say(ctx.t("ho_consent"), _consent_choices(ctx, "option_this_number"))
    elif asked == "confirm" and ctx.state.data.get("number"):
        number = pretty_number(str(ctx.state.data["number"]))
        ctx.say(ctx.t("ho_number_confirm", number=number), _consent_choices(ctx, "option_yes"))
    elif asked == "window":
        _ask_window(ctx)
    elif asked == "day":
        _ask_day(ctx)
    elif asked == "number":
        ask_number(ctx, ctx.t("ho_ask_number"))
    else:
        return False
    return True


def step(ctx: Ctx, what: str) -> None:
    data = ctx.state.data
    if what == "start":
        start(ctx, "")
    elif what == "consent":
        data["consent"] = True
        if not ctx.folded.isdigit():
            note_window(ctx)
        _next(ctx)
    elif what == "other" and _number_before(ctx):
        data["consent"] = True  # 'nee ni op dit nummer, op da van mijn moeder da k net gaf': the number given
        note_window(ctx)
        _next(ctx)
    elif what == "other":
        data.pop("number", None)
        if number_in(ctx) is not None:
            on_number(ctx)
            return
        ctx.state.flow = "handoff-number"
        data["asked"] = "number"
        ask_number(ctx, ctx.t("ho_ask_number"))
    elif what == "decline":
        ctx.state.flow = ""
        ctx.state.data = {}
        ctx.say(
            ctx.t("ho_declined"), [(ctx.t("ho_option_digipunt"), "flow:digipunt"), (ctx.t("option_menu"), "menu:main")]
        )
    elif what == "days":
        data["consent"] = True
        data["asked"] = "day"
        if not ctx.folded.isdigit() and note_window(ctx):
            _next(ctx)
            return
        _ask_day(ctx)
    elif what == "window-tomorrow":  # offered by older conversations
        tomorrow = ctx.now.astimezone(ZoneInfo(ctx.library.texts.deployment.timezone)).date() + timedelta(days=1)
        data["window"] = f"day:{tomorrow.isoformat()}"
        _next(ctx)
    elif what.startswith("window-"):
        chosen = what.removeprefix("window-")
        # read in full unless a number or a day was picked: 'dinsdag in de voormiddag' (the day with its part),
        # 'le matin svp, l'apres-midi je travaille' (the part named first)
        if ctx.folded.isdigit() or chosen.startswith("day:") or not note_window(ctx):
            data["window"] = chosen
        _next(ctx)
    elif what.startswith("lang-"):  # offered by older conversations: the language asked at the end
        _open(ctx, what.removeprefix("lang-"))
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


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {"handoff": step}


def day_instead(ctx: Ctx) -> bool:
    """'niet deze week. dinsdag volgende week', 'liefst s morgens, niet te vroeg' to 'may a helper call you on
    this number?': the 'niet' is about the time, not the call; consent with that day or part of it (only a time
    named, so a plain 'nee' still declines)."""
    if ctx.state.flow != "handoff" or ctx.state.data.get("asked") not in ("consent", "confirm", "window"):
        return False
    kept = ctx.state.data
    window = window_said(ctx, loose=True)
    answers = ctx.library.answers
    if window is None and answers.read(ctx.text, ("no", "other_day")) == "other_day" \
            and kept.get("asked") in ("consent", "confirm"):
        ctx.state.data = {**kept, "consent": True}  # 'vandaag niet, ik werk tot 10u s avonds': yes, another day
        _ask_day(ctx)
        return True
    # ... or a part of the day with a 'not' about the time ('liefst s morgens, niet te vroeg')
    if window is None or not (window.startswith("day:") or (window in ("morning", "afternoon")
                                                            and _window_with_a_not(ctx))):
        return False
    ctx.state.data = {**kept, "window": window, "consent": True}
    _next(ctx)
    return True


def window_to_offer(ctx: Ctx) -> bool:
    """'apres 15h, avant je travaille' to 'shall a helper call you?': a time says yes; it is kept for the ticket
    and the consent to the number is asked next."""
    offered = ctx.state.flow == "offer" and (ctx.state.question or {}).get("yes") == "flow:handoff"
    if not offered or ctx.library.answers.read(ctx.text, ("no",)) == "no":
        return False
    window = window_said(ctx, loose=True)
    if window is None:
        return False
    start(ctx, "")
    if ctx.state.data.get("asked") in ("consent", "number"):
        ctx.state.data["window"] = window
    return True


def later_to_offer(ctx: Ctx) -> bool:
    """'bon j'arrête, ma fille vient demain elle fera' to 'shall a helper call you?': no call now (the offer's no);
    a day for the call itself was read before this (window_to_offer)."""
    question = ctx.state.question or {}
    if ctx.state.flow != "offer" or question.get("yes") != "flow:handoff" or not question.get("no"):
        return False
    if not ctx.library.answers.has(ctx.text, "later") or ctx.library.answers.read(ctx.text, ("yes",)) == "yes":
        return False
    from bot.engine import perform

    perform(ctx, str(question["no"]))
    return True


def wants_other_number(ctx: Ctx) -> bool:
    """'no, call my daughter instead', 'nee, bel liever mijn zoon': another number, whatever the 'no' before it;
    also when a helper was only offered ('Liever niet op dit nummer ... bel mijn zoon')."""
    offered = ctx.state.flow == "offer" and (ctx.state.question or {}).get("yes") == "flow:handoff"
    if not offered and ctx.state.data.get("asked") not in ("consent", "confirm"):
        return False
    if number_in(ctx) is not None or not ctx.library.answers.has(ctx.text, "other_number"):
        return False
    if offered:
        start(ctx, "")
        ctx.replies.clear()
    step(ctx, "other")
    return True


def number_given(ctx: Ctx) -> bool:
    """A phone number alone where nothing is asked ('0486 12 77 30' after the menu): a callback to that number,
    confirmed first."""
    if number_in(ctx) is None or len(ctx.library.answers.tokens(ctx.text)) > NUMBER_ALONE_WORDS:
        return False
    start(ctx, "")
    ctx.replies.clear()
    return on_number(ctx)


NUMBER_ALONE_WORDS = 6  # '0486 12 77 30', 'mijn nummer is 0486 12 77 30'


def found_it(ctx: Ctx) -> bool:
    """'ah si c'est là', 'gevonden', 'it works' while a helper is offered or asked from a guide step: nobody
    needs to call; the guide goes on after that step."""
    data = ctx.state.data
    context = data.get("context") if ctx.state.flow != "offer" else data
    if number_in(ctx):
        return False
    if not isinstance(context, dict) or not context.get("guide") or not ctx.state.guide:
        return _works_now(ctx)
    answers = ctx.library.answers
    if answers.read(ctx.text, ("yes",), strict=True) is not None:
        return False  # 'ok', 'oké' answer the question asked
    if not (answers.has(ctx.text, "all_works") or answers.has(ctx.text, "goal_reached")
            or answers.read(ctx.text, ("done", "no", "trouble")) == "done"):
        return False
    from bot.flows import guide

    ctx.state.flow = "guide"
    ctx.state.data = {}
    guide.control(ctx, "next", prefix=ctx.t("ho_guide_found"))  # one message: the turn stays within its budget
    return True


def _works_now(ctx: Ctx) -> bool:
    """'ja het werkt, we hebben gebeld. merci' while a helper is offered or being arranged (no guide open): it
    works now, so nobody needs to call; the offer ends warmly."""
    offered = ctx.state.flow == "offer" and (ctx.state.question or {}).get("yes") == "flow:handoff"
    if not offered and ctx.state.flow not in TEXT_HOOKS:
        return False
    answers = ctx.library.answers
    if not (answers.has(ctx.text, "all_works") or answers.read(ctx.text, ("worked", "no", "trouble")) == "worked"):
        return False
    ctx.state.flow = ""
    ctx.state.data = {}
    ctx.state.options = []
    ctx.state.question = None
    ctx.say(ctx.t("ho_not_needed"))
    return True


TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {"handoff-number": on_number, "handoff": on_text}
