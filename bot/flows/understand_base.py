"""What the readings of a free message share: the intent ids they name, its sentences and clauses (each
marked as a question or not), and the intents the matcher ranks first."""

from __future__ import annotations

import re

from bot.flows.context import Ctx
from intents.matcher import Match

PLACE_INTENT = "digipunt.find"
THANKS = "smalltalk.thanks"
SOCIAL = frozenset({"greeting", THANKS})
LANGUAGE_INTENT = "language.change"
STRONG = 80.0  # a request this sure is "clearly something else"
HANDOFF_INTENT = "handoff.request"
STOP_INTENT = "optout.stop"
PRIVACY_INTENT = "privacy.forget"
MIN_PLACE_CANDIDATE = 35.0  # the Digipunt intent this far up the ranking, plus a named location: a place question
NOT_NOW_SECONDS = 600
QUESTION_END = re.compile(r"\?\s*$")


def sentences(ctx: Ctx) -> list[tuple[list[str], bool]]:
    """(its pieces, is a question) for every sentence of the message."""
    return [(ctx.library.answers.requests(sentence), bool(QUESTION_END.search(sentence)))
            for sentence in re.split(r"(?<=[.!?\n])\s+", ctx.text)]


def pieces(ctx: Ctx) -> list[tuple[str, bool]]:
    """(piece, is a question) for every sentence or clause of the message."""
    return [(piece, question) for pieces, question in sentences(ctx) for piece in pieces if piece.strip()]


def likely(match: Match) -> tuple[str, ...]:
    """The intents the matcher ranks first, also below its threshold."""
    return tuple(candidate.intent for candidate in match.candidates[:2]
                 if candidate.score >= MIN_PLACE_CANDIDATE)
