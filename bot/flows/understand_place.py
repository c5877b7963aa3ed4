"""Reads a place in a free message: the location it names (in full words, not a fuzzy accident), whether
the message is mostly that location, whether it asks for a place or names another day."""

from __future__ import annotations

from itertools import pairwise

from bot.content.answers import same_word
from bot.flows.context import Ctx
from bot.flows.understand_base import NOT_NOW_SECONDS, PLACE_INTENT, STRONG, likely, pieces
from bot.fold import fold
from places.model import Resolution
from places.moments import parse_moment
from places.text import key


def location(ctx: Ctx, text: str) -> Resolution | None:
    """The place the text names, when a word of its name is really in the text (not a fuzzy accident)."""
    resolution = ctx.library.places.resolve(text)
    if resolution.kind == "unknown" or not resolution.label:
        return None
    said = key(text).split()
    said += [first + second for first, second in pairwise(said)]  # "gent brugge" said for "Gentbrugge"
    # a word the intent examples use ('computer', 'komputer') is that word, not a typo of a place ('Kouter')
    vocabulary = ctx.library.matcher.index.word_languages
    for word in key(resolution.label).split():
        if len(word) < 2:
            continue
        if any(word == other or (len(word) >= 5 and other not in vocabulary and same_word(other, word))
               for other in said):
            return resolution
    # an alias said in full ('I live in the city centre' for Binnenstad)
    words = ctx.library.places.gazetteer.fillers.remove(key(text).split())
    return resolution if any(len(name) >= 4 for name in _aliases_said(ctx, words, resolution.label)) else None


def _aliases_said(ctx: Ctx, words: list[str], label: str) -> list[str]:
    """The names of the place `label` (its own and its aliases, 'city centre') said in full among the words."""
    spoken = f" {' '.join(words)} "
    return [name for name in ctx.library.places.gazetteer.names_by_label.get(label, ()) if f" {name} " in spoken]


def named_location(ctx: Ctx) -> Resolution | None:
    """The precise place a message names, in the whole or in one of its sentences or clauses (also once the words
    the intent examples use are left out: 'Sleepstraat en hebben geen internet thuis')."""
    vocabulary = ctx.library.matcher.index.word_languages
    for text in (ctx.text, *(piece for piece, _ in pieces(ctx))):
        rest = " ".join(word for word in key(text).split() if word not in vocabulary)
        for said in dict.fromkeys((text, rest)):
            where = location(ctx, said) if said else None
            if where is not None and where.kind == "point" and where.point is not None:
                return where
    return None


def mostly_location(ctx: Ctx, text: str, resolution: Resolution) -> bool:
    """'dampoort', '9050', 'I am at Dampoort station', 'je suis à Gentbrugge': little else than the place."""
    words = ctx.library.places.gazetteer.fillers.remove(key(text).split())
    named = set(key(resolution.label or "").split()) | {  # and an alias said ('the city centre')
        word for name in _aliases_said(ctx, words, resolution.label or "") for word in name.split()}
    rest = [word for word in words if word not in named and not any(same_word(word, n) for n in named)]
    stop = ctx.library.catalog.spelling.stopwords
    meaningful = [word for word in rest if word not in stop]
    if len(meaningful) <= 1:
        return True
    # 'je suis à Ledeberg, rue Meierij': the rest is a second place (the street in the wijk)
    second = ctx.library.places.resolve(" ".join(rest))
    return second.kind == "point" and mostly_location(ctx, " ".join(rest), second) if second.label != resolution.label \
        else False


def asks_place(ctx: Ctx, text: str, where: Resolution | None, candidates: tuple[str, ...]) -> bool:
    """A place question: its words ('waar is er een computer', 'digipunt'), or a location together with a
    place word, a moment, or the Digipunt intent among the likely ones."""
    answers = ctx.library.answers
    if asks_place_in_words(ctx, text):  # in the text asked about, not the whole story
        return True
    if where is None:
        return False
    moment = parse_moment(text, ctx.now)
    later = moment is not None and abs((moment - ctx.now).total_seconds()) > NOT_NOW_SECONDS  # 'maintenant' is no day
    return answers.has(text, "place_words") or later or PLACE_INTENT in candidates


def names_a_day(ctx: Ctx, text: str) -> bool:
    """The text names a moment other than now ('op woensdag na 14u', 'morgen')."""
    moment = parse_moment(text, ctx.now)
    return moment is not None and abs((moment - ctx.now).total_seconds()) > NOT_NOW_SECONDS


def asks_where_after_story(ctx: Ctx, *, nothing_else: bool = False) -> bool:
    """'... ik heb geen computer thuis. Ik woon in de Reinaertstraat. Waar kan ik dat doen?': a question opening
    with 'waar' that reads as the place question among its likeliest (no sure request of its own), in a message
    that names a precise location. `nothing_else`: the message asks nothing else that was understood, so any
    'where' question without a sure request of its own counts ('Waar in de stad kan ik dat met iemand samen doen?
    Ik woon vlak bij de Vrijdagmarkt')."""
    answers = ctx.library.answers
    for piece, question in pieces(ctx):
        if not question or not answers.opens_with(piece, "where_words"):
            continue
        match = ctx.library.matcher.classify(piece, ctx.state.language if ctx.state.language_known else None)
        sure_other = match.intent not in (None, PLACE_INTENT) and (match.keyword or match.score >= STRONG)
        if not sure_other and (nothing_else or PLACE_INTENT in likely(match)) and named_location(ctx) is not None:
            return True
    return False


def asks_place_in_words(ctx: Ctx, text: str) -> bool:
    """The words of a place question itself ('waar kan ik op een computer', 'je cherche un ordinateur', a
    Digipunt named), not merely a place word such as 'internet'."""
    digipunt_words = set(ctx.library.texts.keywords.get("digipunt_words", ()))
    return ctx.library.answers.has(text, "place_question") or any(word in digipunt_words for word in fold(text).split())
