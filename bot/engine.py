"""The dialogue engine: respond(inbound, state, library, now) -> Turn. Pure: no I/O, no clock, no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz

from bot.effects import Effect
from bot.flows import digipunt, guide, handoff, language_picker, menu, voice
from bot.flows.context import Ctx
from bot.fold import fold, has_letters_or_digits
from bot.library import Library
from bot.messages import Inbound, Reply, reply_to_dict
from bot.state import OfferedOption, State

MAX_TEXT = 1000
SOCIAL_INTENTS = frozenset({"greeting", "smalltalk.thanks"})
RESUME_WORDS = ("verder", "ga verder", "continue", "continuer", "resume", "reprendre")
Handler = Callable[[Ctx, str], None]
TextHook = Callable[[Ctx], bool]

ACTIONS: dict[str, Handler] = {**menu.ACTIONS, **guide.ACTIONS, **digipunt.ACTIONS, **handoff.ACTIONS,
                               **language_picker.ACTIONS}
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


def perform(ctx: Ctx, action: str) -> None:
    """Run an action string such as 'guide:hotspot', 'menu:wifi' or 'flow:digipunt'."""
    prefix, _, arg = action.partition(":")
    handler = ACTIONS.get(prefix) or ACTIONS.get(action)
    if handler is None:
        menu.show_menu(ctx, "main")
        return
    handler(ctx, arg)


def _keyword(ctx: Ctx, name: str) -> bool:
    return ctx.folded in ctx.library.texts.keywords.get(name, ())


def _language_named(ctx: Ctx) -> str | None:
    for code, names in ctx.library.texts.language_names.items():
        if ctx.folded in names:
            return code
    return None


def _pick_option(ctx: Ctx) -> OfferedOption | None:
    options = ctx.state.options
    if not options:
        return None
    folded = ctx.folded
    if folded.isdigit():
        for option in options:
            if option.key == folded:
                return option
        return None
    for option in options:
        if fold(option.label) == folded:
            return option
    for word_list in ("yes", "no"):
        if _keyword(ctx, word_list):
            for option in options:
                first = fold(option.label).split(" ")[0] if option.label else ""
                if first in ctx.library.texts.keywords.get(word_list, ()):
                    return option
    best: tuple[float, OfferedOption | None] = (0.0, None)
    if len(folded) < 3:
        return None
    for option in options:
        label = fold(option.label)
        score = fuzz.ratio(folded, label)
        if folded == label or (len(folded) >= 4 and label.startswith(folded)):
            score = 100.0
        if score > best[0]:
            best = (score, option)
    return best[1] if best[0] >= 85 else None


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


def _globals(ctx: Ctx) -> bool:
    """STOP, START, MENU, BACK, HELP, REPEAT, language, forget-me, status: anywhere in a conversation."""
    for word_list, handler in GLOBAL_WORDS:
        if _keyword(ctx, word_list):
            handler(ctx, "")
            return True
    named = _language_named(ctx)
    if named is not None:
        menu.set_language(ctx, named)
        return True
    if _keyword(ctx, "forget"):
        menu.ask_forget(ctx, "")
        return True
    if _keyword(ctx, "status") or handoff.looks_like_ticket_code(ctx):
        handoff.status(ctx, "")
        return True
    return False


def _names_a_digipunt(ctx: Ctx) -> bool:
    words = set(ctx.library.texts.keywords.get("digipunt_words", ()))
    return any(token in words for token in ctx.folded.split())


def _intent(ctx: Ctx) -> bool:
    match = ctx.match()
    switch = match.language and match.language != ctx.state.language and (
        match.intent or match.ambiguous or match.language_confident)
    if switch and match.language and (match.language_confident or not ctx.state.language_known):
        menu.adopt_language(ctx, match.language, confident=match.language_confident)
    intent_id = match.intent
    if match.ambiguous and len(match.candidates) >= 2:
        first, second = match.candidates[0].intent, match.candidates[1].intent
        if first in SOCIAL_INTENTS and second not in SOCIAL_INTENTS:
            intent_id = second  # "goeiedag, ik heb geen internet thuis": the hello is not the question
        elif second in SOCIAL_INTENTS and first not in SOCIAL_INTENTS:
            intent_id = first
    if intent_id is not None and intent_id != match.intent:
        return _start_intent(ctx, intent_id)
    if match.ambiguous and len(match.candidates) >= 2:
        ctx.intent = None
        menu.disambiguate(ctx, [c.intent for c in match.candidates[:2]])
        ctx.effect(menu.unmatched_effect(ctx, match, "ambiguous"))
        return True
    if match.intent is None and _names_a_digipunt(ctx):
        # "digipunt kongostraat 42": the word says what they want, the rest says where
        ctx.intent = "digipunt.find"
        perform(ctx, "flow:digipunt")
        return True
    if match.intent is None:
        ctx.effect(menu.unmatched_effect(ctx, match, "unmatched"))
        if match.digital_problem:
            ctx.intent = None
            menu.offer_helper_no_guide(ctx)
            return True
        return False
    return _start_intent(ctx, match.intent)


def _start_intent(ctx: Ctx, intent_id: str) -> bool:
    spec = ctx.library.catalog.intents.get(intent_id)
    if spec is None:
        return False
    ctx.intent = intent_id
    ctx.state.misses = 0
    perform(ctx, spec.action)
    return True


def respond(inbound: Inbound, state_raw: dict[str, Any] | None, library: Library, now: datetime) -> Turn:
    """Answer one inbound message. Same input, same output: no clock, no I/O."""
    state = State.from_dict(state_raw)
    text = inbound.text or ""
    ctx = Ctx(inbound=inbound, state=state, library=library, now=now, text=text[:MAX_TEXT])
    ctx.folded = fold(ctx.text)
    if not state.language:
        state.language = library.texts.deployment.default_language
    _dispatch(ctx, long_message=len(text) > MAX_TEXT)
    ctx.replies = [ctx.stamped(reply) for reply in ctx.replies]
    if ctx.replies:
        state.last_replies = [reply_to_dict(r) for r in ctx.replies]
    state.last_at = now.isoformat()
    return Turn(replies=tuple(ctx.replies), state=state.to_dict(), effects=tuple(ctx.effects),
                intent=ctx.intent, flow=state.flow or None)


def _dispatch(ctx: Ctx, *, long_message: bool) -> None:
    state = ctx.state
    if ctx.inbound.address.channel == voice.CHANNEL:  # a phone call: keys, not words (bot/flows/voice.py)
        voice.respond(ctx)
        return
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
        if has_letters_or_digits(ctx.text):
            # letters we cannot fold (e.g. a script anyascii leaves empty): treat as not understood
            menu.fallback(ctx)
        else:
            ctx.say(ctx.t("symbols_only"), menu.main_choices(ctx))
        return
    if long_message:
        ctx.say(ctx.t("long_message"))
    if _globals(ctx):
        return
    option = _pick_option(ctx)
    if option is not None:
        state.misses = 0
        perform(ctx, option.action)
        return
    if state.flow not in ("guide", "resume") and ctx.folded in RESUME_WORDS:
        if not guide.offer_resume(ctx):
            ctx.say(ctx.t("nothing_to_resume"), menu.main_choices(ctx))
        return
    if language_picker.offer_if_foreign(ctx):
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
    menu.fallback(ctx)
