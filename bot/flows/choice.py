"""Which offered option a free answer picks: a number, an ordinal, the label, an answer (yes, no, morning...),
words and synonyms of one option, or a number inside an option's range ("hij is 15" -> "6 tot 25 jaar")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz

from bot.answers import same_word
from bot.flows.context import Ctx
from bot.fold import fold
from bot.state import OfferedOption

ORDINALS = ("first", "second", "third")
NUMBER_WORDS = frozenset({"nummer", "nr", "number", "numero", "no", "optie", "option", "keuze"})
LABEL_SIMILARITY = 85.0
MIN_PREFIX = 4
_RANGE = re.compile(r"(\d{1,3})\s*(?:-|tot|to|a|et|and|en|\u2013)\s*(\d{1,3})")
_NUMBER = re.compile(r"\b(\d{1,3})\b")


def _by_key(options: Sequence[OfferedOption], key: str) -> OfferedOption | None:
    return next((option for option in options if option.key == key), None)


def _number(ctx: Ctx, words: list[str], options: Sequence[OfferedOption]) -> OfferedOption | None:
    """'2', '2 graag', 'nummer 2', 'de tweede', 'the first one'."""
    answers = ctx.library.answers
    ordinal = answers.read(ctx.text, ORDINALS) if len(words) <= 6 else None
    if ordinal is not None:
        return _by_key(options, str(ORDINALS.index(ordinal) + 1))
    digits = [word for word in words if word.isdigit()]
    if len(digits) != 1 or len(words) > 4:
        return None
    rest = [word for word in words if not word.isdigit()]
    if all(word in NUMBER_WORDS or word in answers.filler or answers.read(word, ("yes",)) for word in rest):
        return _by_key(options, digits[0])
    return None


def _answer(ctx: Ctx, options: Sequence[OfferedOption]) -> OfferedOption | None:
    """An answer in words: the category the message reads as, when exactly one option carries it."""
    categories = list(dict.fromkeys(answer for option in options for answer in option.answers))
    if not categories:
        return None
    said = ctx.library.answers.read(ctx.text, categories)
    if said is None:
        return None
    matching = [option for option in options if said in option.answers]
    if len(matching) == 1:
        return matching[0]
    first_answers = [option for option in options if option.answers and option.answers[0] == said]
    return first_answers[0] if len(first_answers) == 1 else None


def _phrases(ctx: Ctx, option: OfferedOption) -> list[list[str]]:
    tokens = ctx.library.answers.tokens
    found = [tokens(text) for text in (option.label, *option.words)]
    return [words for words in found if words]


def _content(ctx: Ctx, words: Sequence[str]) -> list[str]:
    stop = ctx.library.catalog.spelling.stopwords
    answers = ctx.library.answers
    return [word for word in words if len(word) >= 3 and word not in stop and word not in answers.filler
            and not word.isdigit()]


def _word_hit(word: str, wanted: str) -> bool:
    if same_word(word, wanted):
        return True
    shorter, longer = sorted((word, wanted), key=len)
    return len(shorter) >= MIN_PREFIX and longer.startswith(shorter)


def _words(ctx: Ctx, words: list[str], options: Sequence[OfferedOption], *, loose: bool) -> OfferedOption | None:
    """A whole label or synonym inside the message; else a meaningful word that only one option has."""
    answers = ctx.library.answers
    best: dict[str, int] = {}
    for option in options:
        sizes = [len(phrase) for phrase in _phrases(ctx, option) if answers.phrase_in(words, phrase)]
        if sizes:
            best[option.key] = max(sizes)
    if best:
        top = max(best.values())
        winners = [key for key, size in best.items() if size == top]
        if len(winners) == 1:
            return _by_key(options, winners[0])
        return None
    if not loose or any(word in answers.negation for word in words):
        return None  # "ik heb geen telenet": a named word is not a choice here
    owners: dict[str, set[str]] = {}
    for option in options:
        for phrase in _phrases(ctx, option):
            for wanted in _content(ctx, phrase):
                owners.setdefault(wanted, set()).add(option.key)
    votes: set[str] = set()
    for word in _content(ctx, words):
        for wanted, keys in owners.items():
            if len(keys) == 1 and _word_hit(word, wanted):
                votes |= keys
    if len(votes) == 1:
        return _by_key(options, next(iter(votes)))
    return None


def _in_range(ctx: Ctx, options: Sequence[OfferedOption]) -> OfferedOption | None:
    """'hij is 15' picks 'Ik ben 6 tot 25 jaar'."""
    numbers = [int(found) for found in _NUMBER.findall(ctx.text)]
    if len(numbers) != 1:
        return None
    hits = []
    for option in options:
        for text in (option.label, *option.words):
            found = _RANGE.search(fold(text))
            if found and int(found[1]) <= numbers[0] <= int(found[2]):
                hits.append(option)
                break
    return hits[0] if len(hits) == 1 else None


def _close_label(folded: str, options: Sequence[OfferedOption]) -> OfferedOption | None:
    best: tuple[float, OfferedOption | None] = (0.0, None)
    if len(folded) < 3:
        return None
    for option in options:
        label = fold(option.label)
        score = fuzz.ratio(folded, label)
        if folded == label or (len(folded) >= MIN_PREFIX and label.startswith(folded)):
            score = 100.0
        if score > best[0]:
            best = (score, option)
    return best[1] if best[0] >= LABEL_SIMILARITY else None


def pick(ctx: Ctx, options: Sequence[OfferedOption] | None = None) -> OfferedOption | None:
    """The option the message picks among `options` (default: those offered last), or None.

    Single meaningful words ("android", "leegmaken") count only in a guide, where the options describe the
    resident's situation; elsewhere a whole label or synonym must be named (menus leave the rest to intents)."""
    offered = ctx.state.options if options is None else options
    if not offered:
        return None
    folded = ctx.folded
    if folded.isdigit():
        return _by_key(offered, folded) or _in_range(ctx, offered)
    exact = next((option for option in offered if fold(option.label) == folded), None)
    if exact is not None:
        return exact
    words = ctx.library.answers.tokens(ctx.text)
    loose = ctx.state.flow == "guide"
    ways = (
        lambda: _number(ctx, words, offered),
        lambda: _answer(ctx, offered),
        lambda: _words(ctx, words, offered, loose=loose),
        lambda: _in_range(ctx, offered),
        lambda: _close_label(folded, offered),
    )
    for way in ways:
        found = way()
        if found is not None:
            return found
    return None


def names_option(ctx: Ctx, options: Sequence[OfferedOption]) -> OfferedOption | None:
    """Stricter, for a first message that starts a guide: only a whole label or synonym named in the message."""
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    found: dict[str, int] = {}
    for option in options:
        sizes = [len(phrase) for phrase in _phrases(ctx, option) if answers.phrase_in(words, phrase)]
        if sizes:
            found[option.key] = max(sizes)
    if not found:
        return None
    top = max(found.values())
    winners = [key for key, size in found.items() if size == top]
    return _by_key(options, winners[0]) if len(winners) == 1 else None
