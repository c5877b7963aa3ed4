"""Every other language: a short picker naming each offered language in its own name, plus a helper option."""

from __future__ import annotations

from collections.abc import Callable

from bot.flows.context import Ctx
from bot.scripts import main_script, script_counts
from intents.language import identity_tokens

FLOW = "language-picker"
MIN_LETTERS = 2


def _known_language_too(ctx: Ctx, other: str) -> bool:
    """'ok then monday. dziękuję': a known conversation's message with one foreign word among others is still
    in the conversation's language, so no picker."""
    if not ctx.state.language_known:
        return False
    tokens = identity_tokens(ctx.text)
    foreign_signs = ctx.library.matcher.languages.identifier.evidence(ctx.text, tokens, other)
    return len(tokens) >= MIN_WORDS_AROUND and foreign_signs <= ONE_FOREIGN_WORD


MIN_WORDS_AROUND = 3
ONE_FOREIGN_WORD = 3  # a listed word (1) with a telling letter (2)


def foreign(ctx: Ctx) -> str | None:
    """What the message is written in when digibuur cannot answer in it, else None.

    A language code when the message is clearly in a language that is not offered (Polish, Russian, or a
    listed language that is switched off); "script:<Cyrl>" when it is written in a script the conversation's
    language does not use and no offered language is clearly it (a lone "привет").
    """
    match = ctx.match()
    if match.other_language and not _known_language_too(ctx, match.other_language):
        return match.other_language
    if match.language_confident and match.language and match.language not in ctx.library.texts.languages:
        return match.language  # listed and active, but not offered here (a draft, OFFER_DRAFT_LANGUAGES=0)
    script = main_script(ctx.text)
    if script is None or script == "Latn" or script_counts(ctx.text).get(script, 0) < MIN_LETTERS:
        return None
    catalogue = ctx.library.texts.catalogue
    current = catalogue.get(ctx.lang)
    if current is not None and current.script == script:
        return None
    clear = match.language_confident and match.language in ctx.library.texts.languages
    written = catalogue.get(match.language or "")
    if clear and written is not None and written.script == script:
        return None
    return f"script:{script}"


def ordered(ctx: Ctx, found: str) -> list[str]:
    """The offered languages, those closest to `found` first (data: `first`; then those of the same script)."""
    catalogue = ctx.library.texts.catalogue
    offered = list(ctx.library.texts.languages)
    other, known = catalogue.other(found), catalogue.get(found)
    if found.startswith("script:"):
        script = found.removeprefix("script:")
    else:
        script = other.script if other is not None else known.script if known is not None else ""
    first = [code for code in (other.first if other is not None else ()) if code in offered]
    same = [code for code in offered if code not in first and (lang := catalogue.get(code)) and lang.script == script]
    return first + same + [code for code in offered if code not in first and code not in same]


def offer(ctx: Ctx, found: str) -> None:
    """The picker: "Which language? / Welke taal?", each offered language in its own name, then a helper."""
    catalogue = ctx.library.texts.catalogue
    texts = ctx.library.texts
    asked = [code for code in catalogue.picker if code in texts.languages] or [texts.deployment.default_language]
    prompt = " / ".join(dict.fromkeys(texts.get(code, "picker_prompt") for code in asked))
    helper = " / ".join(dict.fromkeys(texts.get(code, "picker_helper") for code in asked))
    choices = [(catalogue.name(code), f"lang:{code}") for code in ordered(ctx, found)]
    choices.append((helper, "pickhelper:"))
    ctx.state.flow = FLOW
    ctx.state.data = {"foreign": found}
    ctx.intent = "language.change"
    ctx.say(prompt, choices)


def offer_if_foreign(ctx: Ctx) -> bool:
    """Offer the picker when the message is in a language digibuur does not offer; True when offered."""
    found = foreign(ctx)
    if found is None:
        return False
    offer(ctx, found)
    return True


def helper(ctx: Ctx, _arg: str) -> None:
    """A helper, asked for from the picker: the conversation goes on in the picker's first language."""
    from bot.engine import perform
    from bot.flows import menu

    texts = ctx.library.texts
    asked = [code for code in texts.catalogue.picker if code in texts.languages]
    menu.adopt_language(ctx, asked[0] if asked else texts.deployment.default_language, confident=True)
    perform(ctx, "flow:handoff")


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {"pickhelper": helper}
