"""Greeting, menus, language, help, STOP/START, privacy, thanks and the never-dead-end fallback."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.content.answers import QUESTION_MARKS
from bot.effects import ForgetContact, OptIn, OptOut, RecordUnmatched, SetLanguage
from bot.flows import subscriptions, understand_aside
from bot.flows.context import Choice, Ctx
from bot.messages import Reply, reply_from_dict
from bot.render import render

SMS_MESSAGE_SEGMENTS = 2  # one SMS message stays within this many segments


def main_choices(ctx: Ctx, name: str = "main") -> list[tuple[str, str]]:
    menu = ctx.library.texts.menus[name]
    source = ctx.library.texts.deployment.default_language
    return [(item.label.get(ctx.lang, item.label.get(source, item.action)), item.action) for item in menu.items]


def show_menu(ctx: Ctx, name: str) -> None:
    name = name or "main"
    if name not in ctx.library.texts.menus:
        name = "main"
    menu = ctx.library.texts.menus[name]
    ctx.state.flow = "" if name == "main" else "menu"
    ctx.state.data = {}
    ctx.state.misses = 0
    if name != "main":
        ctx.state.history = [*ctx.state.history[-5:], f"menu:{name}"]
    else:
        ctx.state.history = []
    footer = ctx.t("menu_footer") if name == "main" else ctx.t("submenu_footer")
    ctx.say(ctx.t(menu.prompt), main_choices(ctx, name), footer=footer)


def greeting(ctx: Ctx, _arg: str) -> None:
    from bot.flows import guide

    if ctx.state.flow != "guide" and guide.offer_resume(ctx):
        return
    menu = ctx.library.texts.menus["main"]
    ctx.state.flow = ""
    ctx.state.misses = 0
    ctx.say(f"{ctx.t('greeting')}\n{ctx.t(menu.prompt)}", main_choices(ctx), footer=ctx.t("menu_footer"))


def thanks(ctx: Ctx, _arg: str) -> None:
    ctx.state.flow = ""
    ctx.state.options = []
    if offer_later(ctx):
        return
    ctx.say(ctx.t("thanks_reply"))
    subscriptions.offer_news(ctx)


def offer_later(ctx: Ctx) -> bool:
    """The second request of an earlier message, offered once the first is done."""
    later = ctx.state.later or {}
    ctx.state.later = None
    intent = later.get("intent")
    if not intent or intent not in ctx.library.catalog.intents:
        return False
    ctx.state.flow = "offer"
    ctx.ask_yes_no("later_offer", f"intent:{intent}", "flow:thanks", label=describe_intent(ctx, intent))
    ctx.state.data = {"later_text": later.get("text", "")}
    return True


def about(ctx: Ctx, _arg: str) -> None:
    """'Wie is dit?': who digibuur is, and how to stop."""
    ctx.state.options = []
    ctx.say(ctx.t("about_me"))


def about_bot(ctx: Ctx, _arg: str) -> None:
    """'is this a real person or a robot?': an automatic helper, and a person's call offered."""
    ctx.state.flow = "offer"
    ctx.ask_yes_no("about_bot", "flow:handoff", "menu:main", yes_key="option_yes_call", no_key="option_no_menu")


def about_cost(ctx: Ctx, _arg: str) -> None:
    """'kost dit geld die smsjes?': digibuur charges nothing; an SMS costs what the resident's plan asks."""
    ctx.state.options = []
    ctx.say(ctx.t("about_cost"))


STOP_LANGUAGES = 3


def stop(ctx: Ctx, _arg: str) -> None:
    ctx.state.opted_out = True
    ctx.state.flow = ""
    ctx.state.options = []
    ctx.effect(OptOut())
    if ctx.state.language_known:
        ctx.say(ctx.t("stop_confirm"))
        return
    # a bare 'STOP' as the first message says no language: the last message it gets is in the first languages
    # of the list (_languages.yaml's order; three fit in two SMS segments)
    texts = ctx.library.texts
    first = [ctx.lang, *list(texts.languages)[:STOP_LANGUAGES]]
    ctx.say("\n".join(dict.fromkeys(texts.get(code, "stop_confirm") for code in first)))


def start(ctx: Ctx, _arg: str) -> None:
    was_out = ctx.state.opted_out
    ctx.state.opted_out = False
    if was_out:
        ctx.effect(OptIn())
        ctx.say(ctx.t("start_confirm"))
    greeting(ctx, "")


def help(ctx: Ctx, _arg: str) -> None:
    ctx.say(ctx.t("help_text"))
    ctx.state.flow = "offer"
    ctx.ask_yes_no("help_offer", "flow:handoff", "menu:main", yes_key="option_yes_call", no_key="option_no_menu")


def ask_language(ctx: Ctx, _arg: str) -> None:
    texts = ctx.library.texts
    choices = [(texts.catalogue.name(code), f"lang:{code}") for code in texts.languages]
    if not ctx.state.flow:
        ctx.state.flow = "language"  # inside a flow, the flow stays: its question comes back in the new language
    ctx.say(ctx.t("language_prompt"), choices)


def adopt_language(ctx: Ctx, language: str, *, confident: bool) -> None:
    if language not in ctx.library.texts.languages:
        return
    if ctx.state.language == language:
        return
    if ctx.state.language_known and not confident:
        return
    ctx.state.language = language
    ctx.state.language_known = ctx.state.language_known or confident
    ctx.effect(SetLanguage(language))


def set_language(ctx: Ctx, language: str) -> None:
    """Switch the language and ask the open question again in it (the flow goes on)."""
    if language not in ctx.library.texts.languages:
        ask_language(ctx, "")
        return
    from bot.engine import repeat_question

    ctx.state.language = language
    ctx.state.language_known = True
    ctx.effect(SetLanguage(language))
    mark = len(ctx.replies)
    repeat_question(ctx)
    line = ctx.t("language_set")
    if len(ctx.replies) > mark and ctx.state.flow != "digipunt-results":
        # on SMS in the question's own message when that stays within two segments (a turn's budget)
        merged = replace(ctx.replies[mark], text=f"{line}\n{ctx.replies[mark].text}")
        if ctx.inbound.address.channel == "sms" and render(merged, "sms").segments <= SMS_MESSAGE_SEGMENTS:
            ctx.replies[mark] = merged
            return
    ctx.replies.insert(mark, ctx.stamped(Reply(text=line)))


def privacy(ctx: Ctx, _arg: str) -> None:
    """The privacy notice with 'delete everything'; a message that itself asks to delete ('wipe my number and
    everything you have on me') goes straight to the one confirmation."""
    answers = ctx.library.answers
    asks = ctx.text.rstrip().endswith(QUESTION_MARKS)
    if understand_aside.asks_to_forget(ctx, ctx.text, inside=True) or (
            not asks and any(answers.has(clause, "forget_words") and not understand_aside.deletes_on_device(ctx, clause)
                             and not understand_aside.forgot_something(ctx, clause)
                             for clause in answers.clauses(ctx.text))):
        ask_forget(ctx, "")  # 'ik wil dat jullie alles van mij wissen': the same confirmation as VERGEET MIJ
        return
    ctx.state.flow = ""
    # "ja alles weg", "yes delete it": a yes or a deletion in words picks "delete everything" (confirmed next)
    ctx.say(ctx.t("privacy_notice", days=ctx.library.retention_days),
            [Choice(ctx.t("option_forget"), "forget:ask", ("yes", "forget_request", "forget_words")),
             Choice(ctx.t("option_menu"), "menu:main", ("no",))])


def ask_forget(ctx: Ctx, _arg: str) -> None:
    """The one confirmation before everything is deleted; a privacy question in the same message
    ('hoe lang bewaren jullie dat? wis alles') gets the retention period first."""
    ctx.state.flow = "forget"
    notice = ctx.t("forget_notice", days=ctx.library.retention_days) if "?" in ctx.text else ""
    ctx.ask_yes_no("forget_confirm", "forget:yes", "forget:no", prefix=notice)


def forget(ctx: Ctx, answer: str) -> None:
    if answer == "ask":
        ask_forget(ctx, "")
        return
    if answer == "yes":
        ctx.effect(ForgetContact())
        language = ctx.state.language
        ctx.state.__init__()  # type: ignore[misc]
        ctx.state.language = language
        ctx.say(ctx.t("forget_done"))
        return
    ctx.state.flow = ""
    ctx.say(ctx.t("forget_cancelled"))
    show_menu(ctx, "main")


def go_back(ctx: Ctx) -> None:
    history = ctx.state.history
    if len(history) >= 2:
        history.pop()
        previous = history.pop()
        from bot.engine import perform

        perform(ctx, previous)
        return
    if history:
        history.pop()
        show_menu(ctx, "main")
        return
    ctx.say(ctx.t("back_at_start"))
    show_menu(ctx, "main")


def repeat(ctx: Ctx) -> None:
    previous = ctx.state.last_replies
    if not previous:
        show_menu(ctx, "main")
        return
    ctx.replies.extend(reply_from_dict(raw) for raw in previous)


def disambiguate(ctx: Ctx, intent_ids: list[str]) -> None:
    choices: list[tuple[str, str]] = []
    for intent_id in intent_ids:
        spec = ctx.library.catalog.intents.get(intent_id)
        if spec is None or any(action == spec.action for _, action in choices):
            continue
        choices.append((describe_intent(ctx, intent_id), spec.action))
    if not any(action in ("menu:main", "flow:menu") for _, action in choices):
        choices.append((ctx.t("option_menu"), "menu:main"))
    ctx.state.flow = "disambiguate"
    ctx.say(ctx.t("did_you_mean"), choices)


def describe_intent(ctx: Ctx, intent_id: str) -> str:
    """A short label for an intent: the menu label of its action, else the guide title, else the id."""
    spec = ctx.library.catalog.intents.get(intent_id)
    if spec is not None and spec.labels.get(ctx.lang):
        return spec.labels[ctx.lang]
    action = spec.action if spec else ""
    for menu in ctx.library.texts.menus.values():
        for item in menu.items:
            if item.action == action:
                return item.label.get(ctx.lang, item.action)
    if action.startswith("guide:"):
        found = ctx.library.guides.get(action.split(":", 1)[1])
        if found is not None:
            return found.title.get(ctx.lang, found.id)
    return intent_id


def unmatched_effect(ctx: Ctx, match: Any, reason: str) -> RecordUnmatched:
    guesses = tuple({"intent": c.intent, "score": round(float(c.score), 1)} for c in match.candidates[:3])
    return RecordUnmatched(text=ctx.text, reason=reason, language=match.language, guesses=guesses)


def offer_helper_no_guide(ctx: Ctx) -> None:
    ctx.state.misses = 0
    ctx.state.flow = "offer"
    ctx.ask_yes_no("no_guide_offer", "flow:handoff", "menu:main", no_key="option_no_menu")


def fallback(ctx: Ctx) -> None:
    """First miss: re-ask with the menu. Second miss in a row: offer a helper. Never a dead end."""
    ctx.state.misses += 1
    if ctx.state.misses >= 2:
        _offer_helper(ctx)
        return
    ctx.say(ctx.t("fallback_first"), main_choices(ctx))


def _offer_helper(ctx: Ctx) -> None:
    ctx.state.misses = 0
    ctx.state.flow = "offer"
    ctx.ask_yes_no("fallback_offer_helper", "flow:handoff", "menu:main", yes_key="option_yes_call",
                   no_key="option_no_menu")


def reask(ctx: Ctx, *, count: bool = True) -> None:
    """An answer that fits none of the options: the same options again, briefly (not the whole message and not
    the main menu). The second miss in a row: a helper ("OK" to a choice is no miss: `count` False)."""
    ctx.state.misses += 1 if count else 0
    if ctx.state.misses >= 2:
        _offer_helper(ctx)
        return
    options = ctx.offered_again()
    ctx.say(ctx.t("reask_choice"), options)


def explain_choice(ctx: Ctx) -> None:
    """'wat?', 'ik snap het niet', '?' where a numbered question waits: how to answer it, with the same options
    (and a helper named); confused again: a helper is offered, as after any second miss."""
    explained = ctx.t("explain_choice")
    if ctx.state.misses >= 1 or any(reply.get("text") == explained for reply in ctx.state.last_replies):
        _offer_helper(ctx)
        return
    options = ctx.offered_again()
    ctx.say(explained, options)


def ask_again(ctx: Ctx) -> bool:
    """A remembered yes/no question again (after a language switch)."""
    question = ctx.state.question
    if not question or question.get("kind") != "yes_no" or ctx.state.flow not in ("offer", "forget"):
        return False
    values = question.get("values") if isinstance(question.get("values"), dict) else {}
    ctx.ask_yes_no(str(question["key"]), str(question["yes"]), str(question["no"]),
                   yes_key=str(question.get("yes_key", "option_yes")),
                   no_key=str(question.get("no_key", "option_no")), **(values or {}))
    return True


def _flow(ctx: Ctx, name: str) -> None:
    from bot.engine import perform

    simple: dict[str, Callable[[Ctx, str], None]] = {
        "menu": lambda c, _a: show_menu(c, "main"),
        "greeting": greeting,
        "thanks": thanks,
        "stop": stop,
        "language": ask_language,
        "privacy": privacy,
        "about": about,
    }
    handler = simple.get(name)
    if handler is not None:
        handler(ctx, "")
        return
    perform(ctx, f"{name}:start")


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {
    "menu": show_menu,
    "flow": _flow,
    "lang": set_language,
    "forget": forget,
}
