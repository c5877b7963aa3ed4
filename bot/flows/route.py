"""Routing a free message to what it asks: a place question, an intent (leaving an open question only for a
clear request), 'who is this?', a closing word; the short line when a guide is left, the second request."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.flows import (
    digipunt,
    guide,
    guide_remarks,
    guide_works,
    menu,
    understand,
    understand_aside,
    understand_place,
)
from bot.flows.context import Ctx
from bot.flows.understand_base import LANGUAGE_INTENT, PLACE_INTENT, SOCIAL, STRONG, likely
from bot.messages import Reply
from bot.render import render
from intents.matcher import Match
from places.model import Resolution
from places.moments import parse_moment

SMS_TURN_SEGMENTS = 2
PENDING = frozenset({"guide", "handoff", "handoff-number", "forget"})  # flows with an open question
NO_INTERNET_INTENT = "internet.access"  # the general reading a named product (telenet, proximus) makes precise


def _perform(ctx: Ctx, action: str) -> None:
    from bot.engine import perform

    perform(ctx, action)


def adopt_language(ctx: Ctx, match: Match) -> None:
    if match.language == ctx.state.language and match.language_confident and match.intent:
        ctx.state.language_known = True  # clearly the language already assumed: a lone 'tablet' later keeps it
    switch = match.language and match.language != ctx.state.language and (
        match.intent or match.ambiguous or match.language_confident)
    if switch and match.language and (match.language_confident or not ctx.state.language_known):
        menu.adopt_language(ctx, match.language, confident=match.language_confident)


def _with_text(ctx: Ctx, text: str, action: Callable[[], None]) -> None:
    """Run a flow on part of the message (the clause of the request), then restore the whole text."""
    with ctx.reading(text):
        action()


def route(ctx: Ctx) -> bool:
    """The request in a free message: a place question, an intent, a second request to offer afterwards."""
    match = ctx.match()
    adopt_language(ctx, match)
    if understand_aside.asks_if_human(ctx):
        menu.about_bot(ctx, "")
        return True
    if ctx.state.flow not in PENDING and understand_aside.asks_about_own_data(ctx):
        _perform(ctx, "flow:privacy")  # 'ik heb mijn adres en mijn naam gestuurd ... wat doen jullie daarmee?'
        return True
    if ctx.state.flow in ("", "menu") and understand_aside.asks_cost(ctx):
        menu.about_cost(ctx, "")
        return True
    if understand_aside.who_asks(ctx) and (match.intent is None or match.intent in SOCIAL):
        menu.about(ctx, "")
        return True
    if ctx.state.flow not in PENDING and understand_aside.introduces(ctx):
        if not ctx.state.where:
            _note_location(ctx, understand_place.named_location(ctx))
        _perform(ctx, "flow:greeting")  # a welcome and the choices; a wijk said is kept for the place question
        return True
    if _back_to_later(ctx):
        return True
    if _device_remark(ctx):
        return True
    asked = understand.request(ctx)
    # a story's question decides ('... kantoor in Gentbrugge gesloten ... Kan er iemand mij dat uitleggen?'): a
    # place named in the story makes no place question of it
    told = asked.question if asked.question and asked.intent not in (None, PLACE_INTENT) else asked.text
    where = understand_place.location(ctx, told)
    # 'staat aan' inside a guide step is no place question ('waar staat een computer'): the open question keeps it
    # ... unless a place is known from before and the message names a day ('en welke is open op woensdag na 14u?')
    weak_inside = (ctx.state.flow in PENDING and where is None and not match.keyword
                   and asked.intent == PLACE_INTENT and asked.score < STRONG
                   and not (ctx.state.where and understand_place.names_a_day(ctx, told)))
    if ctx.state.flow in PENDING and where is not None and where.kind != "point" \
            and not understand_place.asks_place_in_words(ctx, ctx.text):
        where = None  # 'he is in secondary school in Gent yes' inside a guide: the city is no place question
        weak_inside = not match.keyword and asked.intent in (None, PLACE_INTENT)
    # 'is er nog een digipunt in de bibliotheek De Krook? moet ik reserveren?': a question about the place (its
    # detail says whether to book), not a booking started
    # ('is er ... digipunt')
    asks = ctx.text.rstrip().endswith("?") or understand_place.asks_place_in_words(ctx, ctx.text)
    named = where or (understand_place.named_location(ctx) if asked.intent == "booking.make" else None)
    about_booking = asked.intent == "booking.make" and asks and named is not None \
        and understand_place.asks_place(ctx, ctx.text, named, ())
    # 'waar kan ik op een computer in drongen, ik moet een taak indienen': a place question with a location is
    # answered at once, whatever else the message asks (that is offered after)
    other = asked.intent not in (None, PLACE_INTENT, *SOCIAL)
    if other and asked.second == PLACE_INTENT and understand_place.location(ctx, asked.second_text) \
            and understand_place.asks_place_in_words(ctx, asked.second_text):
        place_text = asked.second_text
        # 'zaterdagvoormiddag een pc nodig ..., ergens in de buurt van sint-pieters station?': the day is in the other
        # clause; the whole message keeps it when it names the same place
        if parse_moment(place_text, ctx.now) is None and parse_moment(ctx.text, ctx.now) is not None:
            whole = understand_place.location(ctx, ctx.text)
            clause = understand_place.location(ctx, place_text)
            if whole is not None and clause is not None and whole.label == clause.label:
                place_text = ctx.text
        asked = replace(asked, intent=asked.second, text=place_text, second=asked.intent,
                        second_text=asked.text, question="")
        where = understand_place.location(ctx, asked.text)
    elif other and where is not None and understand_place.asks_place_in_words(ctx, ctx.text) and not weak_inside:
        asked = replace(asked, second=asked.intent, second_text=asked.text, intent=PLACE_INTENT)
    elif other and ctx.state.flow not in PENDING \
            and understand_place.asks_where_after_story(ctx, nothing_else=asked.score < STRONG):
        asked = replace(asked, second=asked.intent, second_text=asked.text, intent=PLACE_INTENT)
        where = understand_place.named_location(ctx)
    elif asked.intent is None and ctx.state.flow not in PENDING \
            and understand_place.asks_where_after_story(ctx, nothing_else=True):
        asked = replace(asked, intent=PLACE_INTENT)
        where = understand_place.named_location(ctx)
    # 'is er in De Krook iemand die mij kan helpen met itsme? En welke uren?': a question about that Digipunt
    about_place = ctx.state.flow not in PENDING and digipunt.asks_about_a_named_place(ctx)
    if about_place:
        # '... how to use free proximus wifi? and is there also wifi in library?': the other request is offered after
        first = asked.intent if asked.intent not in (None, *SOCIAL) else None
        second = next((intent for intent in (first, asked.second)
                       if intent not in (None, PLACE_INTENT, "handoff.request")), None)
        second_text = (asked.text if second == first else asked.second_text) if second else ""
        asked = replace(asked, intent=PLACE_INTENT, text=ctx.text, second=second, second_text=second_text)
    # 'ik heb proximus thuis. kan ik hier op hun wifi?' at the UZ: the product's guide, not a list (unless asked
    # in place-question words)
    # ('ik heb telenet thuis kan ik hier op wifi' reads first as 'no internet at home': the product named decides
    # among the likeliest readings)
    named_product = next((intent for intent in (asked.intent, *likely(match))
                          if understand.names_product(ctx, intent, ctx.text)), None)
    product = named_product is not None and not understand_place.asks_place_in_words(ctx, told)
    if product and named_product != asked.intent and asked.intent in (None, NO_INTERNET_INTENT):
        asked = replace(asked, intent=named_product)
    place_question = not weak_inside and not product and (
        asked.intent == PLACE_INTENT or about_booking or about_place or (
            understand_place.asks_place(ctx, told, where, likely(match) if told == asked.text else ())
            and not (asked.intent not in (None, *SOCIAL) and asked.score >= STRONG)))
    if place_question or (asked.intent is None and where is not None
                          and understand_place.mostly_location(ctx, asked.text, where)):
        leaving = _leaving(ctx, PLACE_INTENT)
        ctx.intent = PLACE_INTENT
        ctx.state.misses = 0
        _with_text(ctx, asked.text, lambda: _perform(ctx, "flow:digipunt"))
        _after(ctx, leaving, asked)
        return True
    if not ctx.state.where:
        _note_location(ctx, understand_place.named_location(ctx))
    wanted = guide.other_guide_wanted(ctx, asked.text) if ctx.state.flow == "guide" else None
    if wanted is not None and wanted != asked.intent and (asked.intent is None or asked.score < STRONG):
        asked = replace(asked, intent=wanted)  # 'I want whatsapp to call my daughter' in the hotspot guide
    if asked.intent is not None and not match.keyword and _into_open_guide(ctx, asked.intent):
        return False  # 'teams, mijn zoon gebruikt dat ook' inside the Teams guide: no restart, the step goes on
    if ctx.state.flow in PENDING and ((asked.intent is None and match.ambiguous) or (
            asked.intent is not None and asked.intent not in SOCIAL
            and not _same_flow(ctx, asked.intent)
            and (guide_remarks.names_only_device(ctx) or not (match.keyword or asked.score >= STRONG))
            and wanted != asked.intent)):
        return False  # an open question is left only for a clear other request ('samsung a12' is no request)
    if (asked.intent is None and _closing(ctx)) or (asked.intent is not None
                                                    and _closed_guide_works(ctx, asked.intent)):
        menu.thanks(ctx, "")
        return True
    if asked.intent is not None and (asked.intent not in SOCIAL or not match.ambiguous):
        leaving = _leaving(ctx, asked.intent)
        started = _with_text_start(ctx, asked)
        if started:
            _after(ctx, leaving, asked)
        return started
    if match.ambiguous and len(match.candidates) >= 2:
        ctx.intent = None
        candidates = [c.intent for c in match.candidates[:2]]
        if PLACE_INTENT not in candidates and ctx.library.answers.has(ctx.text, "place_words"):
            candidates.insert(0, PLACE_INTENT)  # 'computer' alone: a computer to use nearby is offered too
        menu.disambiguate(ctx, candidates)
        ctx.effect(menu.unmatched_effect(ctx, match, "ambiguous"))
        return True
    ctx.effect(menu.unmatched_effect(ctx, match, "unmatched"))
    if match.digital_problem and ctx.state.flow != "guide":
        ctx.intent = None
        menu.offer_helper_no_guide(ctx)
        return True
    return False


MAX_BACK_REFERENCE_WORDS = 5


def _back_to_later(ctx: Ctx) -> bool:
    """'en die computer?' after a callback was arranged: the second request of an earlier message, which
    shared a meaningful word with this short message, is answered now (with that request's own words)."""
    later = ctx.state.later or {}
    intent, text = later.get("intent"), str(later.get("text") or "")
    if not intent or not text or ctx.state.flow not in ("", "digipunt-results"):
        return False
    words = ctx.library.answers.tokens(ctx.text)
    if len(words) > MAX_BACK_REFERENCE_WORDS:
        return False
    stop = ctx.library.catalog.spelling.stopwords
    earlier = set(ctx.library.answers.tokens(text))
    spec = ctx.library.catalog.intents.get(str(intent))
    # 'samsung phone' after a list, with a guide's request kept for later: the phone for that guide
    device = spec is not None and spec.action.startswith("guide:") and guide_remarks.names_only_device(ctx)
    if not device and not any(len(word) >= 4 and word not in stop and word in earlier for word in words):
        return False
    ctx.state.later = None
    started = [False]

    def run() -> None:
        started[0] = start_intent(ctx, str(intent))

    _with_text(ctx, f"{text}. {ctx.text}" if device else text, run)
    return started[0]


def _device_remark(ctx: Ctx) -> bool:
    """'gsm' where a question outside a guide waits ('shall a helper call you?'): the device is taken as said and
    the question follows again (once; then as any other miss)."""
    if ctx.state.flow in ("", "menu", "digipunt-results", "guide") or not ctx.state.options:
        return False
    if not guide_remarks.names_only_device(ctx) or ctx.state.data.get("noted_device"):
        return False
    ctx.state.data["noted_device"] = True
    options = ctx.offered_again()
    ctx.say(ctx.t("noted"), options)
    return True


def _note_location(ctx: Ctx, where: Resolution | None) -> None:
    """'we live near the Rabot towers ... is there cheaper internet?': the place is kept for a later place
    question (when none is known yet and it is precise)."""
    if where is not None and where.point is not None and where.label:
        ctx.state.where = {"point": [where.point.lat, where.point.lon], "label": where.label}


def _same_flow(ctx: Ctx, intent_id: str) -> bool:
    """The request is what the open flow already does ('eerst het digipunt' in the finder, the same guide)."""
    spec = ctx.library.catalog.intents.get(intent_id)
    if spec is None:
        return False
    current = (ctx.state.guide or {}).get("guide_id") if ctx.state.flow == "guide" else None
    return spec.action == f"guide:{current}" or spec.action == f"flow:{ctx.state.flow}"


def _into_open_guide(ctx: Ctx, intent_id: str) -> bool:
    """Inside a guide, past its first step: the request leads to this same guide (its own intent, or a guide
    with a choice that leads here, as videocalling leads to Teams)."""
    current = (ctx.state.guide or {}).get("guide_id") if ctx.state.flow == "guide" else None
    spec = ctx.library.catalog.intents.get(intent_id)
    if current is None or spec is None or len((ctx.state.guide or {}).get("path") or []) < 2:
        return False
    if spec.action == f"guide:{current}":
        return True
    other = ctx.library.guides.get(spec.action.removeprefix("guide:")) if spec.action.startswith("guide:") else None
    return other is not None and any(option.target == f"guide:{current}"
                                     for step in other.steps.values() for option in step.options)


def _closing(ctx: Ctx) -> bool:
    """'ok', '👍', 'non merci c'est bon', 'ok ik ga morgen' when no question waits for it (after a list, after a
    closed guide); a digital problem ('nee, mijn laptop start niet') is no closing word."""
    if ctx.state.flow not in ("", "digipunt-results") or ctx.match().digital_problem:
        return False
    return ctx.library.answers.read(ctx.text, ("yes", "done", "no"), opening=True) is not None


def _closed_guide_works(ctx: Ctx, intent_id: str) -> bool:
    """'ça marche, je vois la photo de mon petit fils. merci' just after the video calling guide closed: its words
    read as that guide's request, but it tells that the guide worked; no restart of the same guide."""
    spec = ctx.library.catalog.intents.get(intent_id)
    if spec is None or ctx.state.flow != "" or ctx.state.guide or not ctx.state.topic:
        return False
    return spec.action == f"guide:{ctx.state.topic}" and guide_works.says_it_works(ctx)


def _with_text_start(ctx: Ctx, asked: understand.Request) -> bool:
    result = [False]

    def run() -> None:
        result[0] = start_intent(ctx, str(asked.intent))

    ctx.focus = asked.focus
    _with_text(ctx, asked.text, run)
    ctx.focus = ()
    return result[0]


def _leaving(ctx: Ctx, intent_id: str) -> str | None:
    """The title of the guide the resident leaves for another request (it stays resumable), if any."""
    if ctx.state.flow != "guide" or intent_id in SOCIAL:
        return None
    spec = ctx.library.catalog.intents.get(intent_id)
    title = guide.title(ctx)
    current = (ctx.state.guide or {}).get("guide_id")
    if spec is None or title is None or spec.action == f"guide:{current}":
        return None
    return title


def _after(ctx: Ctx, leaving: str | None, asked: understand.Request) -> None:
    """The short line when a guide is left (VERDER comes back to it), and the second request, for later."""
    if leaving is not None:
        _prepend(ctx, ctx.t("switch_note", title=leaving))
    keep_second(ctx, asked)
    if asked.intent != LANGUAGE_INTENT and understand_aside.reads_poorly(ctx):
        # '... ik versta niet goed nederlands. is er hulp?': answered, and another language offered in one line
        _append(ctx, ctx.t("language_offer"), before_options=True)


def keep_second(ctx: Ctx, asked: understand.Request) -> None:
    """The second request of the message, kept for later and mentioned when the turn has room."""
    second = asked.second
    if second is not None and second != ctx.intent:
        ctx.state.later = {"intent": second, "text": asked.second_text}
        _append(ctx, ctx.t("also_asked", label=menu.describe_intent(ctx, second)))


def _fits(ctx: Ctx, replies: list[Reply]) -> bool:
    """On SMS every message stays within two segments, and the turn too unless it is a list (asked for)."""
    if ctx.inbound.address.channel != "sms":
        return True
    sizes = [render(reply, "sms").segments for reply in replies]
    return max(sizes, default=0) <= SMS_TURN_SEGMENTS and (
        sum(sizes) <= SMS_TURN_SEGMENTS or ctx.state.flow == "digipunt-results")


def _prepend(ctx: Ctx, line: str) -> None:
    """A short line before the replies: in the first message when it fits, else as its own message."""
    if not ctx.replies:
        return
    first = ctx.replies[0]
    joined = [replace(first, text=f"{line}\n{first.text}"), *ctx.replies[1:]]
    apart = [Reply(text=line), *ctx.replies]
    chosen = next((replies for replies in (joined, apart) if _fits(ctx, replies)), None)
    if chosen is not None:
        ctx.replies[:] = chosen


def _append(ctx: Ctx, line: str, *, before_options: bool = False) -> None:
    """A short line after the replies: in the last message when it fits (after its text, above its options only
    when `before_options`), else its own."""
    if not ctx.replies:
        return
    last = ctx.replies[-1]
    joined = [*ctx.replies[:-1], replace(last, text=f"{last.text}\n{line}")] \
        if before_options or not last.options else None
    apart = [*ctx.replies, Reply(text=line)]
    chosen = next((replies for replies in (joined, apart) if replies is not None and _fits(ctx, replies)), None)
    if chosen is not None:
        ctx.replies[:] = chosen


def start_intent(ctx: Ctx, intent_id: str) -> bool:
    spec = ctx.library.catalog.intents.get(intent_id)
    if spec is None:
        return False
    ctx.intent = intent_id
    ctx.state.misses = 0
    if (ctx.state.later or {}).get("intent") == intent_id:
        ctx.state.later = None
    _perform(ctx, spec.action)
    return True


def start_later(ctx: Ctx, intent_id: str) -> None:
    """Start an intent (the second request of an earlier message, with that request's own words)."""
    text = str(ctx.state.data.get("later_text") or "")
    started = [False]

    def run() -> None:
        started[0] = start_intent(ctx, intent_id)

    _with_text(ctx, text or ctx.text, run)
    if not started[0]:
        menu.show_menu(ctx, "main")
