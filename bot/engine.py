"""The dialogue engine: respond(inbound, state, library, now) -> Turn. Pure: no I/O, no clock, no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.effects import Effect
from bot.flows import choice, digipunt, guide, handoff, menu, understand
from bot.flows.context import Ctx
from bot.fold import fold, has_letters_or_digits
from bot.library import Library
from bot.messages import Inbound, Reply, reply_to_dict
from bot.render import render
from bot.state import State
from intents.matcher import Match

MAX_TEXT = 1000
RESUME_WORDS = ("verder", "ga verder", "continue", "continuer", "resume", "reprendre")
Handler = Callable[[Ctx, str], None]
TextHook = Callable[[Ctx], bool]

SMS_TURN_SEGMENTS = 2
PENDING = frozenset({"guide", "handoff", "handoff-number", "forget"})  # flows with an open question
ACTIONS: dict[str, Handler] = {**menu.ACTIONS, **guide.ACTIONS, **digipunt.ACTIONS, **handoff.ACTIONS}
TEXT_HOOKS: dict[str, TextHook] = {**guide.TEXT_HOOKS, **digipunt.TEXT_HOOKS, **handoff.TEXT_HOOKS}
LOCATION_HOOK = digipunt.on_location


@dataclass(frozen=True)
class Turn:
    """What one inbound message leads to: replies, the new state, effects for the service."""

    replies: tuple[Reply, ...]
    state: dict[str, Any]
    effects: tuple[Effect, ...]
    intent: str | None = None
    flow: str | None = None


def _intent_action(ctx: Ctx, intent_id: str) -> None:
    """Start an intent (the second request of an earlier message, with that request's own words)."""
    text = str(ctx.state.data.get("later_text") or "")
    started = [False]

    def run() -> None:
        started[0] = _start_intent(ctx, intent_id)

    _with_text(ctx, text or ctx.text, run)
    if not started[0]:
        menu.show_menu(ctx, "main")


def perform(ctx: Ctx, action: str) -> None:
    """Run an action string such as 'guide:hotspot', 'menu:wifi' or 'flow:digipunt'."""
    prefix, _, arg = action.partition(":")
    handler = ACTIONS.get(prefix) or ACTIONS.get(action) or ({"intent": _intent_action}).get(prefix)
    if handler is None:
        menu.show_menu(ctx, "main")
        return
    handler(ctx, arg)


def _keyword(ctx: Ctx, name: str) -> bool:
    return ctx.folded in ctx.library.texts.keywords.get(name, ())


def _language_named(ctx: Ctx) -> str | None:
    """A language asked for: the whole message is its name ('English'), or a name stands in a short message or
    next to words that ask for it ('sorry English please', 'en français svp', 'can you write in Dutch?')."""
    for code, names in ctx.library.texts.language_names.items():
        if ctx.folded in names:
            return code
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    named = {code for code, names in ctx.library.texts.language_names.items()
             for name in names if len(name) >= 4 and answers.phrase_in(words, answers.tokens(name))}
    if len(named) != 1 or any(word in answers.negation for word in words):
        return None
    if len(words) <= 3 or answers.has(ctx.text, "language_request"):
        return next(iter(named))
    return None


def _back(ctx: Ctx, _arg: str) -> None:
    if ctx.state.flow == "guide" and guide.go_back(ctx):
        return
    menu.go_back(ctx)


# Global words, in the order they are checked: the keyword list name and what it does.
GLOBAL_WORDS: tuple[tuple[str, Handler], ...] = (
    ("stop", menu.stop),
    ("start", menu.start),
    ("menu", lambda ctx, _arg: menu.show_menu(ctx, "main")),
    ("back", _back),
    ("repeat", lambda ctx, _arg: menu.repeat(ctx)),
    ("help", menu.help),
    ("language", menu.ask_language),
)


def _stops(ctx: Ctx) -> bool:
    """STOP as a clause of a longer message ('laat maar, ik wil geen berichten meer. stop'), or in words."""
    words = ctx.library.texts.keywords.get("stop", ())
    if any(fold(clause) in words for clause in ctx.library.answers.clauses(ctx.text)):
        return True
    return ctx.library.answers.read(ctx.text, ("stop_request",)) is not None


def _globals(ctx: Ctx) -> bool:
    """STOP, START, MENU, BACK, HELP, REPEAT, language, forget-me, status: anywhere in a conversation."""
    for word_list, handler in GLOBAL_WORDS:
        if _keyword(ctx, word_list):
            handler(ctx, "")
            return True
    if _stops(ctx):
        _adopt_language(ctx, ctx.match())
        menu.stop(ctx, "")
        return True
    named = _language_named(ctx)
    if named is not None:
        menu.set_language(ctx, named)
        return True
    if _keyword(ctx, "forget") or ctx.library.answers.read(ctx.text, ("forget_request",)) is not None:
        _adopt_language(ctx, ctx.match())  # "delete my number" is answered in English
        menu.ask_forget(ctx, "")
        return True
    if _keyword(ctx, "status") or handoff.looks_like_ticket_code(ctx):
        handoff.status(ctx, "")
        return True
    return False


def _adopt_language(ctx: Ctx, match: Match) -> None:
    switch = match.language and match.language != ctx.state.language and (
        match.intent or match.ambiguous or match.language_confident)
    if switch and match.language and (match.language_confident or not ctx.state.language_known):
        menu.adopt_language(ctx, match.language, confident=match.language_confident)


def _with_text(ctx: Ctx, text: str, action: Callable[[], None]) -> None:
    """Run a flow on part of the message (the clause of the request), then restore the whole text."""
    whole, folded = ctx.text, ctx.folded
    ctx.text, ctx.folded = text, fold(text)
    try:
        action()
    finally:
        ctx.text, ctx.folded = whole, folded


def _intent(ctx: Ctx) -> bool:
    """The request in a free message: a place question, an intent, a second request to offer afterwards."""
    match = ctx.match()
    _adopt_language(ctx, match)
    if understand.who_asks(ctx) and (match.intent is None or match.intent in understand.SOCIAL):
        menu.about(ctx, "")
        return True
    asked = understand.request(ctx)
    where = understand.location(ctx, asked.text)
    place_question = asked.intent == understand.PLACE_INTENT or (
        understand.asks_place(ctx, asked.text, where, understand.likely(match))
        and not (asked.intent not in (None, *understand.SOCIAL) and asked.score >= understand.STRONG))
    if place_question or (asked.intent is None and where is not None
                          and understand.mostly_location(ctx, asked.text, where)):
        leaving = _leaving(ctx, understand.PLACE_INTENT)
        ctx.intent = understand.PLACE_INTENT
        ctx.state.misses = 0
        _with_text(ctx, asked.text, lambda: perform(ctx, "flow:digipunt"))
        _after(ctx, leaving, asked)
        return True
    if ctx.state.flow in PENDING and ((asked.intent is None and match.ambiguous) or (
            asked.intent is not None and asked.intent not in understand.SOCIAL
            and not _same_flow(ctx, asked.intent) and not (match.keyword or asked.score >= understand.STRONG))):
        return False  # an open question is left only for a clear other request ('samsung a12' is no request)
    if asked.intent is None and _closing(ctx):
        menu.thanks(ctx, "")
        return True
    if (asked.intent is not None and asked.intent not in understand.SOCIAL) or (
            asked.intent is not None and not match.ambiguous):
        leaving = _leaving(ctx, asked.intent)
        started = _with_text_start(ctx, asked)
        if started:
            _after(ctx, leaving, asked)
        return started
    if match.ambiguous and len(match.candidates) >= 2:
        ctx.intent = None
        menu.disambiguate(ctx, [c.intent for c in match.candidates[:2]])
        ctx.effect(menu.unmatched_effect(ctx, match, "ambiguous"))
        return True
    ctx.effect(menu.unmatched_effect(ctx, match, "unmatched"))
    if match.digital_problem and ctx.state.flow != "guide":
        ctx.intent = None
        menu.offer_helper_no_guide(ctx)
        return True
    return False


def _same_flow(ctx: Ctx, intent_id: str) -> bool:
    """The request is what the open flow already does ('eerst het digipunt' in the finder, the same guide)."""
    spec = ctx.library.catalog.intents.get(intent_id)
    if spec is None:
        return False
    current = (ctx.state.guide or {}).get("guide_id") if ctx.state.flow == "guide" else None
    return spec.action == f"guide:{current}" or spec.action == f"flow:{ctx.state.flow}"


def _closing(ctx: Ctx) -> bool:
    """'ok', '👍', 'non merci c'est bon', 'ok ik ga morgen' when no question waits for it (after a list, after a
    closed guide); a digital problem ('nee, mijn laptop start niet') is no closing word."""
    if ctx.state.flow not in ("", "digipunt-results") or ctx.match().digital_problem:
        return False
    return ctx.library.answers.read(ctx.text, ("yes", "done", "no"), opening=True) is not None


def _with_text_start(ctx: Ctx, asked: understand.Request) -> bool:
    result = [False]

    def run() -> None:
        result[0] = _start_intent(ctx, str(asked.intent))

    ctx.focus = asked.focus
    _with_text(ctx, asked.text, run)
    ctx.focus = ()
    return result[0]


def _leaving(ctx: Ctx, intent_id: str) -> str | None:
    """The title of the guide the resident leaves for another request (it stays resumable), if any."""
    if ctx.state.flow != "guide" or intent_id in understand.SOCIAL:
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


def _append(ctx: Ctx, line: str) -> None:
    """A short line after the replies: in the last message (before its options) when it fits, else its own."""
    if not ctx.replies:
        return
    last = ctx.replies[-1]
    joined = [*ctx.replies[:-1], replace(last, text=f"{last.text}\n{line}")] if not last.options else None
    apart = [*ctx.replies, Reply(text=line)]
    chosen = next((replies for replies in (joined, apart) if replies is not None and _fits(ctx, replies)), None)
    if chosen is not None:
        ctx.replies[:] = chosen


def _start_intent(ctx: Ctx, intent_id: str) -> bool:
    spec = ctx.library.catalog.intents.get(intent_id)
    if spec is None:
        return False
    ctx.intent = intent_id
    ctx.state.misses = 0
    if (ctx.state.later or {}).get("intent") == intent_id:
        ctx.state.later = None
    perform(ctx, spec.action)
    return True


def repeat_question(ctx: Ctx) -> None:
    """Ask the open question again (after a language switch): the guide step, the place question, the list,
    the handoff question, a yes/no question, the menu shown; else the main menu."""
    flow = ctx.state.flow
    if flow == "guide" and guide.show_again(ctx):
        return
    if flow in ("handoff", "handoff-number") and handoff.ask_again(ctx):
        return
    if flow in digipunt.TEXT_HOOKS and digipunt.ask_again(ctx):
        return
    if menu.ask_again(ctx):
        return
    if flow == "menu" and ctx.state.history and ctx.state.history[-1].startswith("menu:"):
        name = ctx.state.history[-1].partition(":")[2]
        ctx.state.history = ctx.state.history[:-1]
        menu.show_menu(ctx, name)
        return
    menu.show_menu(ctx, "main")


def respond(inbound: Inbound, state_raw: dict[str, Any] | None, library: Library, now: datetime) -> Turn:
    """Answer one inbound message. Same input, same output: no clock, no I/O."""
    state = State.from_dict(state_raw)
    text = inbound.text or ""
    ctx = Ctx(inbound=inbound, state=state, library=library, now=now, text=text[:MAX_TEXT])
    ctx.folded = fold(ctx.text)
    if not state.language:
        state.language = library.texts.deployment.default_language
    _dispatch(ctx, long_message=len(text) > MAX_TEXT)
    if ctx.replies:
        state.last_replies = [reply_to_dict(r) for r in ctx.replies]
    state.last_at = now.isoformat()
    return Turn(replies=tuple(ctx.replies), state=state.to_dict(), effects=tuple(ctx.effects),
                intent=ctx.intent, flow=state.flow or None)


def _dispatch(ctx: Ctx, *, long_message: bool) -> None:
    state = ctx.state
    if state.opted_out:
        if _keyword(ctx, "start"):
            menu.start(ctx, "")
        return
    if ctx.inbound.location is not None:
        LOCATION_HOOK(ctx)
        return
    if not ctx.text.strip():
        if ctx.inbound.has_media:
            ctx.say(ctx.t("media_only"))
        else:
            ctx.say(ctx.t("empty_message"))
        return
    if not ctx.folded:
        said = ctx.library.answers.read(ctx.text, ("yes", "no"))  # an emoji alone: 👍 at a yes/no question
        option = choice.pick(ctx) if said is not None else None
        if option is not None:
            state.misses = 0
            perform(ctx, option.action)
        elif has_letters_or_digits(ctx.text):
            # letters we cannot fold (e.g. a script anyascii leaves empty): treat as not understood
            menu.fallback(ctx)
        elif said is not None and state.flow in ("", "digipunt-results"):
            menu.thanks(ctx, "")
        else:
            ctx.say(ctx.t("symbols_only"), menu.main_choices(ctx))
        return
    if long_message:
        ctx.say(ctx.t("long_message"))
    if _globals(ctx):
        return
    option = choice.pick(ctx)
    if option is not None:
        state.misses = 0
        perform(ctx, option.action)
        return
    if state.flow not in ("guide", "resume") and ctx.folded in RESUME_WORDS:
        if not guide.offer_resume(ctx):
            ctx.say(ctx.t("nothing_to_resume"), menu.main_choices(ctx))
        return
    hook = TEXT_HOOKS.get(state.flow)
    if hook is not None and hook(ctx):
        return
    if state.ticket and state.ticket_claimed:
        handoff.forward_to_helper(ctx)
        return
    if _intent(ctx):
        return
    if state.flow == "guide" and guide.unexpected(ctx):
        return
    if state.options and state.flow not in ("", "menu"):
        menu.reask(ctx)
        return
    menu.fallback(ctx)
