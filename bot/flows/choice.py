"""Which offered option a free answer picks: a number, an ordinal, the label, an answer (yes, no, morning...),
words and synonyms of one option, or a number inside an option's range ("hij is 15" -> "6 tot 25 jaar")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from bot.content.answers import QUESTION_MARKS, same_word
from bot.flows.context import Ctx
from bot.fold import fold
from bot.state import OfferedOption

ORDINALS = ("first", "second", "third")
NUMBER_WORDS = frozenset({"nummer", "nr", "number", "numero", "no", "optie", "option", "keuze",
                          "one", "celui", "celle", "la", "ci", "deze", "daar"})  # "2 that one", "1 celui-là"
LABEL_SIMILARITY = 85.0
MIN_PREFIX = 4
MIN_STEM = 5
_RANGE = re.compile(r"(\d{1,3})\s*(?:-|tot|to|a|et|and|en|\u2013)\s*(\d{1,3})")
_NUMBER = re.compile(r"\b(\d{1,3})\b")


def _by_key(options: Sequence[OfferedOption], key: str) -> OfferedOption | None:
    return next((option for option in options if option.key == key), None)


def _number(ctx: Ctx, words: list[str], options: Sequence[OfferedOption]) -> OfferedOption | None:
    """'2', '2 graag', 'nummer 2', 'de tweede', 'the first one'."""
    answers = ctx.library.answers
    ordinal = answers.read(ctx.text, ORDINALS)
    if ordinal is not None:
        return _by_key(options, str(ORDINALS.index(ordinal) + 1))
    digits = [word for word in words if word.isdigit()]
    if len(digits) != 1 or len(words) > 4:
        return None
    rest = [word for word in words if not word.isdigit()]
    stop = ctx.library.catalog.spelling.stopwords  # '1 ja die', '2 that one'
    if all(word in NUMBER_WORDS or word in answers.filler or word in stop or answers.read(word, ("yes",))
           for word in rest):
        return _by_key(options, digits[0])
    return None


STRICT_ACTIONS = frozenset({"forget:yes"})  # options only a plain, short answer picks ('ja, wis alles maar')
STRICT_MAX_WORDS = 4
MIN_SHARED_WORDS = 2  # words a free answer must share with one option's label to pick it by overlap


def _answer(ctx: Ctx, options: Sequence[OfferedOption]) -> OfferedOption | None:
    """An answer in words: the category the message reads as, when exactly one option carries it."""
    categories = list(dict.fromkeys(answer for option in options for answer in option.answers))
    if not categories:
        return None
    # a deletion cannot be undone: only a plain yes confirms it ('goed, ik breng ze binnen' is no yes to that)
    strict = any(option.action in STRICT_ACTIONS for option in options)
    if strict and len(ctx.library.answers.tokens(ctx.text)) > STRICT_MAX_WORDS:
        return None
    said = ctx.library.answers.read(ctx.text, categories, strict=strict)
    done = [option for option in options if "done" in option.answers]
    if said is None and not strict and len(done) == 1 and _yes_and_done(ctx):
        return done[0]  # 'Yes whatsapp is installed already' where the step offers 'Done'
    if said is None:
        return None
    matching = [option for option in options if said in option.answers]
    if len(matching) == 1:
        return matching[0]
    if said == "yes" and not matching and len(done) == 1:
        return done[0]  # "yes it is already on my phone" where the step offers "Done"
    first_answers = [option for option in options if option.answers and option.answers[0] == said]
    return first_answers[0] if len(first_answers) == 1 else None


def _yes_and_done(ctx: Ctx) -> bool:
    """The message opens with a yes and says something is done, nothing denied."""
    answers = ctx.library.answers
    words = answers.tokens(ctx.text)
    return answers.read(ctx.text, ("yes",), opening=True) == "yes" and answers.has(ctx.text, "done") \
        and not any(word in answers.negation for word in words)


def _phrases(ctx: Ctx, option: OfferedOption) -> list[list[str]]:
    tokens = ctx.library.answers.tokens
    found = [tokens(text) for text in (option.label, *option.words)]
    return [words for words in found if words]


def _content(ctx: Ctx, words: Sequence[str]) -> list[str]:
    stop = ctx.library.catalog.spelling.stopwords
    answers = ctx.library.answers
    return [word for word in words if len(word) >= 3 and word not in stop and word not in answers.filler
            and not word.isdigit()]


@lru_cache(maxsize=65536)
def _word_hit(word: str, wanted: str) -> bool:
    """The same word, a typo, or the same stem ('leeg' ~ 'leegmaken', 'goedkoop' ~ 'goedkoper')."""
    if same_word(word, wanted):
        return True
    shorter, longer = sorted((word, wanted), key=len)
    if len(shorter) >= MIN_PREFIX and longer.startswith(shorter):
        return True
    common = next((i for i, (a, b) in enumerate(zip(word, wanted, strict=False)) if a != b), len(shorter))
    return common >= MIN_STEM and common >= len(shorter) - 2


def _whole(ctx: Ctx, words: list[str], options: Sequence[OfferedOption],
           min_words: int = 1) -> tuple[OfferedOption | None, bool]:
    """The option whose whole label or synonym the message names (longest wins); (None, True) on a tie."""
    answers = ctx.library.answers
    best: dict[str, int] = {}
    for option in options:
        size = answers.phrase_set((option.label, *option.words)).longest(words, min_words)
        if size:
            best[option.key] = size
    if not best:
        return None, False
    top = max(best.values())
    winners = [key for key, size in best.items() if size == top]
    return (_by_key(options, winners[0]), False) if len(winners) == 1 else (None, True)


OWNERS_CACHE_SIZE = 4096
_OptionsKey = tuple[bool, tuple[tuple[str, str, tuple[str, ...]], ...]]
_OWNERS: list[tuple[object, dict[_OptionsKey, dict[str, set[str]]]]] = [(None, {})]  # (library, maps made with it)


def _owners(ctx: Ctx, options: Sequence[OfferedOption], *, denies: bool) -> dict[str, set[str]]:
    """Each meaningful word of the options' labels and synonyms, with the keys of the options that have it;
    remembered per option set (a pure function of the options and the library, which is replaced, not changed).
    A message that denies nothing gives no vote to a phrase that denies ('yes whatsapp is installed already' is
    no vote for 'I have no WhatsApp')."""
    library, known = _OWNERS[0]
    if library is not ctx.library or len(known) >= OWNERS_CACHE_SIZE:
        known = {}
        _OWNERS[0] = (ctx.library, known)
    key = (denies, tuple((option.key, option.label, tuple(option.words)) for option in options))  # what it reads
    owners = known.get(key)
    negation = ctx.library.answers.negation
    if owners is None:
        owners = {}
        for option in options:
            for phrase in _phrases(ctx, option):
                if not denies and any(word in negation for word in phrase):
                    continue
                for wanted in _content(ctx, phrase):
                    owners.setdefault(wanted, set()).add(option.key)
        known[key] = owners
    return owners


def _voted(ctx: Ctx, words: list[str], options: Sequence[OfferedOption], ignore: set[str]) -> OfferedOption | None:
    """A meaningful word of the message that only one option has ('android', 'goedkoper', 'leegmaken'); words of
    the question itself ('Welke gsm heb je?') tell nothing."""
    negation = ctx.library.answers.negation
    denied = {index + step for index, word in enumerate(words) if word in negation for step in (1, 2)}
    owners = _owners(ctx, options, denies=bool(denied))
    votes: set[str] = set()
    for index, word in enumerate(words):
        if index in denied or word not in _content(ctx, [word]):
            continue  # "ik heb geen telenet": a denied word is no choice
        if word in ignore or any(_word_hit(word, other) for other in ignore):
            continue
        for wanted, keys in owners.items():
            if len(keys) == 1 and len(wanted) >= MIN_PREFIX and _word_hit(word, wanted):
                votes |= keys
    return _by_key(options, next(iter(votes))) if len(votes) == 1 else None


def _words(ctx: Ctx, words: list[str], options: Sequence[OfferedOption], *, loose: bool) -> OfferedOption | None:
    """A whole label or synonym inside the message; in a guide also a meaningful word only one option has."""
    found, tie = _whole(ctx, words, options)
    if found is not None or tie or not loose:
        return found
    ignore = {str(word) for word in ctx.state.data.get("asked_words", [])}
    # words that say what the guide is about ('call' in the video calling guide) and device words ('phone' in
    # 'yes it is already on my phone') pick no branch of it
    current = ctx.library.guides.get(str((ctx.state.guide or {}).get("guide_id") or ""))
    if current is not None:
        ignore |= topic_words(ctx, current.intents)
    ignore |= _device_words(ctx)
    if ctx.text.rstrip().endswith(QUESTION_MARKS):  # 'et c'est gratuit?' asks about the step, it picks nothing
        return _voted(ctx, words, options, ignore)
    return _voted(ctx, words, options, ignore) or _most_shared(ctx, words, options)


def _device_words(ctx: Ctx) -> frozenset[str]:
    """The words of vocab device_words ('gsm', 'phone', 'téléphone'): they name no kind of phone, no option."""
    return ctx.library.answers.words_of("device_words")


def _most_shared(ctx: Ctx, words: list[str], options: Sequence[OfferedOption]) -> OfferedOption | None:
    """'ja ben klant' for 'Ik ben klant bij Telenet' / 'Klant, automatisch': the one option sharing the most
    words with the message (small words count here), at least two; a message that denies something picks among
    the options that deny too."""
    answers = ctx.library.answers
    denies = any(word in answers.negation for word in words)  # 'no im not a customer' ~ 'Not a customer'
    said = {word for word in words if not word.isdigit()}
    # (the denial itself is matched above: 'ne ... pas' shares no meaning with "Je n'ai pas WhatsApp"; and
    # 'sur le téléphone' names no kind of phone, "Téléphone simple")
    meaningful = set(_content(ctx, sorted(said))) - answers.negation - _device_words(ctx)
    shared: dict[str, int] = {}
    for option in options:
        label = {word for phrase in _phrases(ctx, option) for word in phrase}
        if any(word in answers.negation for word in label) != denies:
            continue
        hits = {word for word in said if any(same_word(word, other) for other in label)}
        # small words alone ('he is in school' ~ 'waar is een computer in de buurt') share no meaning
        shared[option.key] = len(hits) if hits & meaningful else 0
    if not shared:
        return None
    top = max(shared.values())
    winners = [key for key, count in shared.items() if count == top]
    return _by_key(options, winners[0]) if top >= MIN_SHARED_WORDS and len(winners) == 1 else None


def content_words(ctx: Ctx, text: str) -> list[str]:
    """The meaningful words of a text (to remember which words a question itself used)."""
    return _content(ctx, ctx.library.answers.tokens(text))


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
    if loose and ctx.library.answers.has(ctx.text, "pressed"):
        # 'we pressed call me and the voice said the code. done': a button on the phone, not a helper asked for
        offered = [option for option in offered if option.action not in HELPER_ACTIONS]
    # a label of several words named in full ("ja bel mij maar" at "1 Gelukt 2 Bel mij") outweighs the bare
    # yes or no the message also holds
    named, _ = _whole(ctx, words, offered, min_words=2)
    found = _number(ctx, words, offered) or named or _answer(ctx, offered)
    found = found or _words(ctx, words, offered, loose=loose) or _in_range(ctx, offered)
    return found or _close_label(folded, offered)


HELPER_ACTIONS = ("guidectl:call", "flow:handoff")
TOPIC_SHARE = 0.15  # a word in this share of an intent's examples names the topic, not a branch of it


def topic_words(ctx: Ctx, intents: Sequence[str]) -> set[str]:
    """Words that say what a guide is about in the resident's language ('téléphone' in 'partager la connexion
    de mon téléphone'): they do not pick one of its options."""
    found: set[str] = set()
    for intent in intents:
        key = ("topic_words", intent, ctx.lang)
        if key not in ctx.library.derived:  # computed once per content revision, not at every guide start
            ctx.library.derived[key] = _topic_words(ctx, intent)
        found |= ctx.library.derived[key]
    return found


def _topic_words(ctx: Ctx, intent: str) -> frozenset[str]:
    spec = ctx.library.catalog.intents.get(intent)
    examples = spec.examples.get(ctx.lang, ()) if spec is not None else ()
    readings = [set(content_words(ctx, example)) for example in examples]
    found = set()
    for word in set().union(*readings) if readings else set():
        # inflected forms count together ('telefondan', 'telefonun', 'telefonumun')
        count = sum(1 for words in readings if any(_word_hit(word, other) for other in words))
        if count >= TOPIC_SHARE * len(examples):
            found.add(word)
    return frozenset(found)


def names_option(
    ctx: Ctx, options: Sequence[OfferedOption], question: str, topic: set[str] | None = None
) -> OfferedOption | None:
    """For the message that starts a guide: the option it already names ('hotspot op mijn iPhone', 'iets
    goedkoper'), by a whole label or synonym, or by a word only that option has and neither the question nor
    the guide's topic uses. The clause that holds the request is read first, then the whole message."""
    # ('Ma petite-fille veut me voir sur le téléphone' names no kind of phone: device words pick no branch)
    ignore = set(content_words(ctx, question)) | (topic or set()) | _device_words(ctx)
    for text in dict.fromkeys(text for text in (*ctx.focus, ctx.text) if text):
        words = ctx.library.answers.tokens(text)
        found, tie = _whole(ctx, words, options)
        if found is not None or tie:
            return found
        voted = _voted(ctx, words, options, ignore)
        if voted is not None:
            return voted
    return None
