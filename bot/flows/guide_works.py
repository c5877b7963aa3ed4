"""Reads whether a resident in a guide says its goal is reached: 'it works' late in the guide, the goal itself
named ('de laptop doet het') or told with thanks or at the end of a story at any step."""

from __future__ import annotations

import re

from bot.content.answers import QUESTION_MARKS
from bot.flows import guide_focus
from bot.flows.context import Ctx
from bot.flows.understand_base import THANKS
from guides import walk
from guides.model import Guide
from guides.view import progress


def says_it_works(ctx: Ctx) -> bool:
    """'it works', 'het is gelukt' (or a short 'werkt'), nothing denied, no question."""
    answers = ctx.library.answers
    says = answers.has(ctx.text, "all_works") or answers.has(ctx.text, "goal_reached") \
        or answers.read(ctx.text, ("worked",), strict=True) == "worked"
    return says and not guide_focus.negated(ctx) and not ctx.text.rstrip().endswith(QUESTION_MARKS)


def works_late(ctx: Ctx, found: Guide, cursor: walk.Cursor) -> bool:
    """'It works' from 40 % of the steps on ('ingelogd, het werkt' at step 2 of 5): the resident reached the goal,
    the rest is not needed."""
    if not says_it_works(ctx):  # ('werkt, thanks' says it too; 'hoe werkt dat?' asks, it says nothing works)
        return False
    if _tells_it_all_worked(ctx) or _works_with_thanks(ctx) or ctx.library.answers.has(ctx.text, "goal_reached"):
        return True  # ('de laptop doet het', 'we zijn aan het praten': the goal itself, at any step)
    number, total = progress(found, cursor.path)
    return total > 0 and number * 5 >= total * 2


STORY_WORDS = 8  # 'aangezet, tablet ziet hem. wachtwoord getypt en het werkt': the resident did it all alone


def _works_with_thanks(ctx: Ctx) -> bool:
    """'It worked, I can see his name. Thank you, I will ring him on Sunday.': the goal reached and thanks in one
    message, whatever step was shown (nothing in it denied)."""
    answers = ctx.library.answers
    hint = ctx.state.language if ctx.state.language_known else None
    return answers.has(ctx.text, "all_works") and not guide_focus.negated(ctx) and any(
        ctx.library.matcher.classify(clause, hint).intent == THANKS for clause in answers.clauses(ctx.text))


def _tells_it_all_worked(ctx: Ctx) -> bool:
    """A longer message that tells what was done and ends on 'it works' ('ah c'était dans plus de réseaux. c'est
    bon ça marche'): the goal is reached at any step, the resident went ahead alone."""
    answers = ctx.library.answers
    clauses = [clause for clause in answers.clauses(ctx.text) if answers.tokens(clause)]  # ('... het werkt!! 😀')
    if len(answers.tokens(ctx.text)) < STORY_WORDS or not clauses:
        return False
    # the last clause, or its part after 'and' ('ik heb de code gekregen en het werkt')
    parts = [*clauses[:-1], *AND_THEN.split(clauses[-1])]
    return len(parts) >= 2 and answers.has(parts[-1], "all_works")


AND_THEN = re.compile(r"\b(?:en|and|et|maar|but|mais|dus|so|donc)\b", re.IGNORECASE)
