"""Which step of a guide a resident's words are about (they run ahead or look back: 'er komt geen sms met een
code' at the step before the code), and whether a step answer says something does not happen ('ik vind het ni')."""

from __future__ import annotations

import re

from bot.content.answers import same_word
from bot.flows.context import Ctx
from guides import walk
from guides.model import Guide, pick
from guides.view import default_next

LOOK_AHEAD = 3  # steps ahead on the usual path that a message may be about
LOOK_BACK = 2  # steps back on the path taken
MIN_SHARED = 2  # distinct content words the message must share with a step's text
MIN_WORD = 3  # shorter words carry no meaning here


ANSWER_CATEGORIES = ("yes", "no", "done", "trouble", "later", "worked", "all_works")


def _answer_words(ctx: Ctx) -> frozenset[str]:
    """Words that are answers by themselves in the resident's language ('next', 'ok', 'gevonden'): they say
    nothing about which step (and only that language's: Arabizi 'naam' is a yes, Dutch 'naam' a name)."""
    return ctx.library.answers.single_words_of(ctx.lang, ANSWER_CATEGORIES)


def _content(ctx: Ctx, text: str) -> set[str]:
    stop = ctx.library.catalog.spelling.stopwords
    answers = ctx.library.answers
    return {word for word in answers.tokens(text)
            if len(word) >= MIN_WORD and word not in stop and word not in answers.filler
            and word not in answers.negation and not word.isdigit()}


def _said(ctx: Ctx) -> set[str]:
    """The message's content words that can name a step: not answer words, not device words ('phone')."""
    devices = ctx.library.answers.words_of("device_words")
    return _content(ctx, ctx.text) - _answer_words(ctx) - devices


def _step_words(ctx: Ctx, found: Guide, step_id: str) -> set[str]:
    step = found.steps[step_id]
    trouble = pick(step.trouble, ctx.lang) if step.trouble else ""
    return _content(ctx, f"{pick(step.text, ctx.lang)} {trouble}")


def _shared(said: set[str], step_words: set[str]) -> int:
    return sum(1 for word in said if any(same_word(word, other) for other in step_words))


def _ahead(found: Guide, cursor: walk.Cursor, steps: int = LOOK_AHEAD) -> list[walk.Cursor]:
    cursors: list[walk.Cursor] = []
    current = cursor
    for _ in range(steps):
        target = default_next(found.steps[current.step_id])
        if target is None or target not in found.steps or target in current.path:
            break
        current = walk.Cursor(current.guide_id, target, (*current.path, target))
        cursors.append(current)
    return cursors


def around(found: Guide, cursor: walk.Cursor, *, steps: int) -> list[walk.Cursor]:
    """Up to `steps` steps ahead on the usual path and every step back on the path taken ('stap 3', 'vorige')."""
    return [*_ahead(found, cursor, steps), *_behind(cursor, back=len(cursor.path))]


def _behind(cursor: walk.Cursor, back: int = LOOK_BACK) -> list[walk.Cursor]:
    return [walk.Cursor(cursor.guide_id, cursor.path[end - 1], cursor.path[:end])
            for end in range(len(cursor.path) - 1, max(0, len(cursor.path) - 1 - back), -1)]


def step_about(ctx: Ctx, found: Guide, cursor: walk.Cursor, *, least: int = MIN_SHARED,
               nearest: bool = False) -> walk.Cursor | None:
    """The nearby step (ahead on the usual path, or back on the path taken) the message speaks of clearly more
    than of the current one (at least `least` shared words), or None; `nearest`: the first such step ahead."""
    said = _said(ctx)
    if least < MIN_SHARED:  # one word is enough only when it means something ('code', not 'zie' in 'ik zie')
        said = {word for word in said if len(word) > MIN_WORD}
    if len(said) < least:
        return None
    here = _shared(said, _step_words(ctx, found, cursor.step_id))
    best: tuple[int, walk.Cursor] | None = None
    for other in (*_ahead(found, cursor), *_behind(cursor)):
        shared = _shared(said, _step_words(ctx, found, other.step_id))
        if shared >= least and shared > here and (best is None or shared > best[0]):
            best = (shared, other)
            if nearest:
                break
    return best[1] if best else None


def done_in_words(ctx: Ctx, found: Guide, cursor: walk.Cursor) -> bool:
    """'j'ai installé teams' at 'Installez "Microsoft Teams"': an instruction step whose own verb the message says
    as done (a done word of five letters or more, the same word as one of the step's), nothing denied."""
    step = found.steps[cursor.step_id]
    if step.options or step.kind == "check" or negated(ctx):
        return False
    answers = ctx.library.answers
    phrases = answers.by_language.get(ctx.lang, {})
    done = {phrase[0] for phrase in phrases.get("done", set()) if len(phrase) == 1 and len(phrase[0]) >= MIN_WORD + 2}
    said = [word for word in answers.tokens(ctx.text) if word in done]
    step_words = _step_words(ctx, found, cursor.step_id)
    return any(same_word(word, other) for word in said for other in step_words)


def confirms_here(ctx: Ctx, found: Guide, cursor: walk.Cursor) -> bool:
    """'hotspot en tethering ok' at the step 'Tik op "Hotspot en tethering"': the step named by two of its words
    and a yes or done word beside them, nothing denied."""
    if negated(ctx) or _shared(_said(ctx), _step_words(ctx, found, cursor.step_id)) < MIN_SHARED:
        return False
    phrases = ctx.library.answers.by_language.get(ctx.lang, {})
    agreeing = {phrase[0] for category in ("yes", "done") for phrase in phrases.get(category, set())
                if len(phrase) == 1}
    return any(word in agreeing for word in ctx.library.answers.tokens(ctx.text))


def step_named_ahead(ctx: Ctx, found: Guide, cursor: walk.Cursor) -> walk.Cursor | None:
    """'hotspot en tethering ok' two steps early: the furthest step ahead whose quoted screen label ('Tik op
    "Hotspot en tethering"') the message names in full."""
    said = ctx.library.answers.tokens(ctx.text)
    named = None
    for other in _ahead(found, cursor):
        labels = re.findall(r'"([^"]+)"', pick(found.steps[other.step_id].text, ctx.lang))
        for label in labels:
            wanted = _content(ctx, label)
            if wanted and all(any(same_word(word, want) for word in said) for want in wanted):
                named = other
    return named


def _names_label(ctx: Ctx, said: list[str], found: Guide, cursor: walk.Cursor) -> bool:
    """The words name a quoted screen label of the step in full ('TELENETHOTSPOT', 'Hotspot en tethering')."""
    for label in re.findall(r'"([^"]+)"', pick(found.steps[cursor.step_id].text, ctx.lang)):
        wanted = _content(ctx, label)
        if wanted and all(any(same_word(word, want) for word in said) for want in wanted):
            return True
    return False


def done_then_stuck(ctx: Ctx, found: Guide, cursor: walk.Cursor) -> walk.Cursor | None:
    """'je suis connectée à TELENETHOTSPOT mais rien ne s'ouvre': this step done (its screen label named before a
    joining word, nothing denied there), then something that does not happen: the trouble is the next step's."""
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    breaks = answers.single_words("clause_breaks")
    for index, word in enumerate(words):
        if word not in breaks or not _names_label(ctx, words[:index], found, cursor):
            continue
        before, after = words[:index], words[index + 1:]
        if any(w in answers.negation for w in before):
            return None
        stuck = any(w in answers.negation for w in after) or answers.has(" ".join(after), "trouble")
        ahead = _ahead(found, cursor)
        return ahead[0] if stuck and ahead else None
    return None


def is_ahead(cursor: walk.Cursor, other: walk.Cursor) -> bool:
    return len(other.path) > len(cursor.path)


def negated(ctx: Ctx) -> bool:
    """The message says something is not there or does not happen: a negation word ('ni', 'geen', 'pas')."""
    return ctx.library.answers.negates(ctx.text)
