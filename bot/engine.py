"""The dialogue engine: respond(inbound, state, library, now) -> Turn. Pure: no I/O, no clock, no database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from bot.content.library import Library
from bot.effects import Effect
from bot.flows import (
    booking,
    choice,
    dictation,
    digipunt,
    guide,
    handoff,
    handoff_late,
    handoff_numbers,
    language_picker,
    menu,
    route,
    subscriptions,
    understand,
    understand_aside,
    understand_place,
    voice,
)
from bot.flows.context import Ctx
from bot.flows.understand_base import THANKS, likely
from bot.fold import fold, has_letters_or_digits
from bot.messages import Inbound, Reply, reply_to_dict
from bot.state import State

MAX_TEXT = 1000
RESUME_WORDS = ("verder", "ga verder", "continue", "continuer", "resume", "reprendre")
Handler = Callable[[Ctx, str], None]
TextHook = Callable[[Ctx], bool]

ACTIONS: dict[str, Handler] = {**menu.ACTIONS, **guide.ACTIONS, **digipunt.ACTIONS, **handoff.ACTIONS,
                               **language_picker.ACTIONS, **subscriptions.ACTIONS,
                               **booking.ACTIONS}
TEXT_HOOKS: dict[str, TextHook] = {**guide.TEXT_HOOKS, **digipunt.TEXT_HOOKS, **handoff.TEXT_HOOKS,
                                   **subscriptions.TEXT_HOOKS, **booking.TEXT_HOOKS}
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
    handler = ACTIONS.get(prefix) or ACTIONS.get(action) or ({"intent": route.start_later}).get(prefix)
    if handler is None:
        menu.show_menu(ctx, "main")
        return
    handler(ctx, arg)


def _keyword(ctx: Ctx, name: str) -> bool:
    return ctx.folded in ctx.library.texts.keywords.get(name, ())


_LONG_NAMES: list[tuple[object, dict[str, tuple[str, ...]]]] = [(None, {})]


def _long_names(language_names: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Each language's names of four letters or more; made once per library's language names."""
    names_of, long_names = _LONG_NAMES[0]
    if names_of is not language_names:
        long_names = {code: tuple(name for name in names if len(name) >= 4) for code, names in language_names.items()}
        _LONG_NAMES[0] = (language_names, long_names)
    return long_names


def _without_street_names(words: list[str], endings: tuple[str, ...]) -> list[str]:
    """The words without a word that a street ending follows ('vlaamse kaai', 'brugse steenweg')."""
    return [word for word, following in pairwise([*words, ""]) if following not in endings]


def _language_named(ctx: Ctx) -> str | None:
    """A language asked for: the whole message is its name ('English'), or a name stands in a short message or
    next to words that ask for it ('sorry English please', 'en français svp', 'can you write in Dutch?'). A
    language named next to a negation is the one the resident does not read well ('mon français n'est pas très
    bon, vous parlez arabe?'): of several named, the one left."""
    for code, names in ctx.library.texts.language_names.items():
        if ctx.folded in names:
            return code
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    wanted: set[str] = set()
    denied: set[str] = set()
    long_names = _long_names(ctx.library.texts.language_names)
    finder = answers.phrase_set(tuple(name for names in long_names.values() for name in names))
    if not finder.may_start(words):  # most messages: no word can begin a language's name
        return None
    endings = ctx.library.places.gazetteer.street_endings
    # 'I want to see my mother in Bulgaria on video': a country, read loosely as 'Bulgarian' (one word alone may
    # still pick the language)
    countries = answers.words_of("country_names") if len(words) > 3 else frozenset()
    for clause in answers.clauses(ctx.text):
        clause_words = answers.tokens(clause)
        # 'de kringwinkel aan de vlaamse kaai': a street's name ('Vlaamsekaai' written loose), not Flemish
        found = finder.found([word for word in _without_street_names(clause_words, endings)
                              if word not in countries])
        named = {code for code, names in long_names.items() if any(name in found for name in names)}
        poor = any(word in answers.negation for word in clause_words) or answers.has(clause, "language_poor")
        (denied if poor else wanted).update(named)  # 'je parle mal le néerlandais': not that one
    left = wanted - denied
    if len(left) > 1:  # 'English please, the Dutch menus confuse me': the one named with words that ask for it
        asked = {code for clause in answers.clauses(ctx.text) if answers.has(clause, "language_request")
                 for code in left for name in ctx.library.texts.language_names[code]
                 if len(name) >= 4 and answers.phrase_in(answers.tokens(clause), answers.tokens(name))}
        left = asked if len(asked) == 1 else left
    if len(left) != 1:
        return None
    if denied or len(words) <= 3:
        return next(iter(left))
    # the words that ask for it stand in the same clause ('ik ben Frans uit Sint-Kruis-Winkel ... en ...' is a
    # name, not 'en français')
    code = next(iter(left))
    wanted_names = [answers.tokens(name) for name in ctx.library.texts.language_names[code] if len(name) >= 4]
    asked_here = any(
        (answers.has(clause, "language_request")
         and any(answers.phrase_in(answers.tokens(clause), name) for name in wanted_names))
        or answers.tokens(clause) in wanted_names  # 'Так, українською, будь ласка': a clause that is only the name
        for clause in answers.clauses(ctx.text))
    if asked_here and not answers.has(ctx.text, "language_described"):
        return code
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




def _asks_repeat(ctx: Ctx) -> bool:
    """'nog eens aub, ik zie slecht', 'again please': the message opens asking for the last one again ('nog eens
    bedankt' is thanks); only when there is a last message to repeat."""
    if not ctx.state.last_replies or ctx.match().intent == THANKS:
        return False
    answers = ctx.library.answers  # ('ik heb het niet goed gelezen, nog eens aub': a clause may open with it)
    return any(answers.read(clause, ("repeat_request",), opening=True) is not None
               for clause in dict.fromkeys((ctx.text, *answers.clauses(ctx.text))))


def _deletion_confirmed(ctx: Ctx) -> bool:
    """The deletion question's yes taken, when it is the open question and the message says no 'no'."""
    if ctx.state.flow != "forget" or ctx.library.answers.read(ctx.text, ("no",)) is not None:
        return False
    confirm = next((option for option in ctx.state.options if "yes" in option.answers), None)
    if confirm is None:
        return False
    perform(ctx, confirm.action)
    return True


def _globals(ctx: Ctx) -> bool:
    """STOP, START, MENU, BACK, HELP, REPEAT, language, forget-me, status: anywhere in a conversation."""
    for word_list, handler in GLOBAL_WORDS:
        if _keyword(ctx, word_list):
            handler(ctx, "")
            return True
    if guide.go_to_step(ctx):
        return True  # 'nog eens stap 3 aub', 'ik zit nu bij stap 2'
    if _asks_repeat(ctx):
        menu.repeat(ctx)
        return True
    if understand_aside.says_stop(ctx, ctx.text):
        route.adopt_language(ctx, ctx.match())
        menu.stop(ctx, "")
        return True
    named = _language_named(ctx)
    if named is not None and named in ctx.library.texts.languages and not ctx.state.ticket \
            and ctx.library.answers.has(ctx.text, "call_me"):
        menu.adopt_language(ctx, named, confident=True)  # 'Quelqu'un peut m'appeler en français ?': the call, in it
        return False
    if named is not None:
        menu.set_language(ctx, named)
        return True
    notice = any(option.action == "forget:ask" for option in ctx.state.options)
    # after the privacy notice, a deletion word alone asks it ('ik wil toch liever dat dat allemaal verwijderd wordt')
    deletion = _keyword(ctx, "forget") or understand_aside.asks_to_forget(ctx, ctx.text) or (
        notice and ctx.library.answers.has(ctx.text, "forget_words") and not understand_aside.deletes_on_device(
            ctx, ctx.text))
    # at the deletion question, a deletion in words ('ja alles weg') or the resident's data named ('eigenlijk
    # alles maar, mijn nummer ook') is the yes
    if (deletion or ctx.library.answers.has(ctx.text, "personal_data")) and _deletion_confirmed(ctx):
        return True
    if deletion:
        if notice and ctx.library.answers.read(ctx.text, ("yes", "no")) == "yes":
            perform(ctx, "forget:yes")  # 'oui, supprimez tout' to the privacy notice: asked and confirmed at once
            return True
        route.adopt_language(ctx, ctx.match())  # "delete my number" is answered in English
        menu.ask_forget(ctx, "")
        return True
    if _keyword(ctx, "status") or handoff.looks_like_ticket_code(ctx):
        handoff.status(ctx, "")
        return True
    if booking.looks_like_code(ctx):
        booking.status(ctx, "")
        return True
    return False


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
    text = dictation.written_marks(inbound.text or "", library.answers)
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


CALL_ME_FLOWS = frozenset({"", "menu", "guide", "digipunt-results"})  # where 'bel mij' outweighs the options


def _place_asked_instead(ctx: Ctx) -> bool:
    """A question about a named Digipunt, or where to go near a named place, where a call is offered: the place
    is answered (the call stays one message away)."""
    where = understand_place.location(ctx, ctx.text)
    asked_in_words = understand_place.asks_place_in_words(ctx, ctx.text)
    if not (ctx.text.rstrip().endswith("?") or asked_in_words) or where is None:
        return False
    named = digipunt.asks_about_a_named_place(ctx)
    in_words = named or asked_in_words or ctx.library.answers.has(ctx.text, "place_words")
    if not in_words and understand_place.names_a_day(ctx, ctx.text):
        return False  # 'niet morgen, dan ben ik naar het ziekenhuis. donderdag?': the day is for the call
    if not (named or understand_place.asks_place(ctx, ctx.text, where, likely(ctx.match()))):
        return False
    ctx.state.flow = ""
    ctx.state.options = []
    return route.route(ctx)


def _asks_for_a_person(ctx: Ctx) -> bool:
    """'het lukt niet ... kan er iemand mij bellen' in a guide step, a menu or after a list: the helper, at once
    (a guide's ticket carries its step), whatever else the message also holds ('niet' is no answer 'Nee' here)."""
    if ctx.state.flow not in CALL_ME_FLOWS or ctx.state.ticket or understand_aside.asks_if_human(ctx):
        return False  # 'is this a real person or a robot?' asks who writes, not for a call
    answers = ctx.library.answers
    # 'bellen' alone: a helper, unless the question offers an option it names
    short = answers.read(ctx.text, ("call_me_short",), strict=True) is not None and choice.pick(ctx) is None
    if not (short or answers.has(ctx.text, "call_me")) or digipunt.asks_helper_there(ctx):
        return False
    if not short and understand.call_me_means_other(ctx):
        return False  # 'ze zegt oma bel mij eens met beeld. hoe doe ik dat?': video calling
    if ctx.state.flow == "guide" and answers.has(ctx.text, "pressed"):
        return False  # 'we pressed call me and the voice said the code': WhatsApp's button, done
    if digipunt.asks_about_a_named_place(ctx):
        return False  # 'is er in De Krook iemand die mij kan helpen met itsme? En welke uren?': that place
    ctx.intent = "handoff.request"
    route.adopt_language(ctx, ctx.match())  # 'quelqu'un peut m'appeler?' as a first message: in French
    # '... kan iemand mij bellen? en waar kan k ondertussen op een computer': the place question, for after
    asked = understand.request(ctx) if ctx.state.flow != "guide" else None
    perform(ctx, "guidectl:call" if ctx.state.flow == "guide" else "flow:handoff")
    if asked is not None and asked.second not in (None, ctx.intent):
        route.keep_second(ctx, asked)
    return True


QUESTION_MARKS_ONLY = frozenset("?¿؟ ")


def _confused(ctx: Ctx) -> bool:
    """'?', 'wat', 'ik snap het niet', 'hoe bedoel je' where a numbered question waits (a guide step: its simpler
    words): how to answer, not a miss of the resident's."""
    state = ctx.state
    text = ctx.text.strip()
    only_marks = bool(text) and set(text) <= QUESTION_MARKS_ONLY
    answers = ctx.library.answers
    if not only_marks and (len(answers.clauses(ctx.text)) > 1
                           or answers.read(ctx.text, ("confused",), strict=True) is None):
        return False  # the whole message is the confusion ('ik weet het niet, een zwarte' describes the tablet)
    if state.flow == "guide":
        return guide.explain_step(ctx)  # the step in simpler words
    if not state.options or state.flow in ("", "menu"):
        return False
    menu.explain_choice(ctx)
    return True


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
    if _confused(ctx):
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
    if subscriptions.on_text(ctx) or _globals(ctx):
        return
    if _asks_for_a_person(ctx):
        return
    if state.flow in ("offer", "handoff") and not state.ticket and _place_asked_instead(ctx):
        return  # 'le Digipunt de la Kringwinkel, c'est ouvert lundi matin ?' to 'shall a helper call you?'
    if handoff_late.number_changed(ctx):  # 'bel haar op 0486 20 33 71, liefst in de namiddag': both change
        handoff_late.window_changed(ctx, beside_number=True)
        return
    if handoff_late.window_changed(ctx) or handoff_late.number_confirmed_late(ctx) \
            or handoff_late.language_noted_late(ctx) or handoff_late.acknowledged_late(ctx):
        return  # 'svp in de voormiddag', 'this number is fine', 'she speaks Dutch better' just after the ticket
    if state.flow in handoff.TEXT_HOOKS and handoff_numbers.number_in(ctx) is not None \
            and handoff.TEXT_HOOKS[state.flow](ctx):
        return  # 'non, sur son numéro à lui : 0471 55 20 19': the number, not 'non'
    if state.flow in handoff.TEXT_HOOKS and handoff.pointed_back(ctx):
        return  # 'nee ni op dit nummer, op da van mijn moeder da k net gaf': the number given earlier
    if state.flow in (*handoff.TEXT_HOOKS, "offer") and handoff.wants_other_number(ctx):
        return
    if state.flow == "offer" and handoff.window_to_offer(ctx):
        return  # 'not this week, next monday or tuesday?' to the offer of a helper
    if handoff.later_to_offer(ctx):
        return  # 'bon j'arrête, ma fille vient demain': no call now
    if handoff.day_instead(ctx):
        return  # 'niet deze week. dinsdag volgende week' to the consent question
    if state.flow in ("", "menu") and not state.ticket and handoff.number_given(ctx):
        return
    if state.flow in (*handoff.TEXT_HOOKS, "offer") and handoff.found_it(ctx):
        return  # 'ah si c'est là' when a helper was about to be asked from a guide step
    if state.flow == "guide" and guide.works_early(ctx):
        return  # 'c'est bon ça marche, merci beaucoup' where the step asks 'Avez-vous un compte client ?'
    subscriptions.drop_offer_not_answered(ctx)  # 'do I need to wipe them first?' to 'would you like news?'
    if handoff.consent_in_words(ctx):
        return  # 'nee ik kan dat niet lezen zo klein. bel mij maar': the call is wanted, not the 'nee'
    option = choice.pick(ctx)
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
    if route.route(ctx):
        return
    if state.flow == "guide" and guide.unexpected(ctx):
        return
    if state.options and state.flow not in ("", "menu"):
        menu.reask(ctx)
        return
    menu.fallback(ctx)
