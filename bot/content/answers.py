"""Read a resident's message with the natural-answer vocabulary: which category (yes, no, trouble...) it is.

Pure and built once per content revision. Phrases and messages go through the same normaliser (SMS spellings,
no accents); words of five letters or more tolerate a typo (two from nine letters); filler words ("hoor",
"merci", "al") may sit between the words of a phrase. A message is read clause by clause (split at . , ! ? ;),
first clause first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from bot.content.vocab import Vocabulary

Tokenize = Callable[[str], list[str]]

TYPO_MIN_LENGTH = 5
LONG_WORD = 8  # from this length two typos are allowed
# When two categories are found with phrases of the same length, the later one in this list wins
# (a doubt is safer than a yes: "ja maar nee" is not a yes).
PRIORITY = ("yes", "done", "this_number", "asap", "any_time", "morning", "afternoon", "other_day", "later", "no",
            "other_number", "trouble")
POSITIVE = ("yes", "this_number", "done")  # answers a negation elsewhere in the clause turns around
QUESTION_MARKS = ("?", "\u061f")  # the Latin and the Arabic question mark
QUESTION_WORDS = 2  # a question with this many words besides the answer asks something
_CLAUSE_MARKS = re.compile(r"[.!?;,\n:]+|\s-\s")
_SKIN_AND_JOINERS = re.compile("[\U0001F3FB-\U0001F3FF\uFE0F\u200D]")
OTHER_SCRIPT = re.compile("[\u0370-\u03ff\u0400-\u052f\u0590-\u08ff]")  # Greek, Cyrillic, Hebrew, Arabic letters
# after French 'a' (has): what is had or done ('il a besoin', 'mon fils a envoyé', 'elle a une tablette')
FRENCH_AFTER_A = frozenset({"besoin", "pas", "plus", "rien", "un", "une", "des", "deux", "trois", "deja", "aussi",
                            "encore", "juste", "eu", "fait", "dit", "recu", "perdu", "mis", "pris", "vu", "ete"})


def _french_a(word: str, following: str) -> bool:
    """French 'à' or 'a' (has), which reads as Cyrillic 'а' (and, a joining word) once transliterated: 'nous
    n'avons plus internet à la maison', 'l'école de mon fils a envoyé un lien Teams' are one request each (English
    'a' still cuts: 'I need computer to fill | a form online')."""
    if OTHER_SCRIPT.search(word):
        return False
    if word in ("à", "À"):
        return True
    after = unicodedata.normalize("NFKD", following.lower())
    plain = "".join(letter for letter in after if not unicodedata.combining(letter)).strip(".,!?;:")
    return plain in FRENCH_AFTER_A or following.lower().rstrip(".,!?;:").endswith(("é", "ée", "és", "ées"))


@dataclass(frozen=True)
class Hit:
    """A phrase of `category` found at message words start..end (end exclusive)."""

    category: str
    start: int
    end: int
    size: int


@lru_cache(maxsize=65536)
def same_word(word: str, wanted: str) -> bool:
    """The same word, or one typo apart when both are long enough ('gelukd' ~ 'gelukt')."""
    if word == wanted:
        return True
    if len(word) < TYPO_MIN_LENGTH or len(wanted) < TYPO_MIN_LENGTH or word[0] != wanted[0]:
        return False
    allowed = 1 if max(len(word), len(wanted)) <= LONG_WORD else 2
    return Levenshtein.distance(word, wanted, score_cutoff=allowed) <= allowed


def _is_symbol(char: str) -> bool:
    return unicodedata.category(char).startswith("S")


@lru_cache(maxsize=4096)
def symbols(text: str) -> str:
    """The emoji and other symbols of a text, without skin tones and joiners: 'ok 👍🏽!' -> '👍'."""
    return "".join(char for char in _SKIN_AND_JOINERS.sub("", text) if _is_symbol(char))


TOKENS_CACHE_SIZE = 50_000
PHRASE_SETS = 1024
READINGS_CACHE_SIZE = 20_000


class Answers:
    """The vocabulary in matching form, with the readers the dialogue uses."""

    def __init__(self, vocabulary: Vocabulary, tokenize: Tokenize, known_words: frozenset[str] = frozenset()) -> None:
        self.vocabulary = vocabulary
        self._tokenize = tokenize
        # words the intent examples use ('tablet'): such a word is itself, never a typo of a vocabulary word
        # ('talet', Arabizi for 'the third')
        self._known_words = known_words
        self.phrases: dict[str, list[tuple[str, ...]]] = {}
        self.emoji: dict[str, set[str]] = {}
        self.by_language: dict[str, dict[str, set[tuple[str, ...]]]] = {}
        for language, categories in vocabulary.phrases.items():
            for category, texts in categories.items():
                for text in texts:
                    words = tuple(tokenize(text))
                    if words:
                        self.phrases.setdefault(category, []).append(words)
                        self.by_language.setdefault(language, {}).setdefault(category, set()).add(words)
                    elif symbols(text):
                        self.emoji.setdefault(category, set()).add(symbols(text))
        for category, found in self.phrases.items():
            self.phrases[category] = sorted(set(found), key=len, reverse=True)
        # the languages whose vocabulary uses a word: such a word is a typo only of a word of its own languages
        # ('apres' of French 'apres midi' is no Dutch 'adres'; 'dichtbij' may still stand for 'dichterbij')
        self._languages_of: dict[str, set[str]] = {}
        for language, of_language in self.by_language.items():
            for said in of_language.values():
                for words_said in said:
                    for word in words_said:
                        self._languages_of.setdefault(word, set()).add(language)
        self.filler = frozenset(w for p in self.phrases.get("filler", []) if len(p) == 1 for w in p)
        self.negation = frozenset(w for p in self.phrases.get("negation", []) if len(p) == 1 for w in p)
        self._clause_breaks = frozenset(w for p in self.phrases.get("clause_breaks", []) for w in p)
        # a one-word answer of one language that another language writes in its own phrases with another sense
        # (Arabizi 'la' is no, French 'la' an article: 'ok la page est là'): it loses a tie with another answer
        self._double_sense = self._words_with_two_senses()
        self._by_first: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        self._firsts: dict[str, set[str]] = {}
        for category, found in self.phrases.items():
            for phrase in found:
                self._by_first.setdefault(category, {}).setdefault(phrase[0], []).append(phrase)
                self._firsts.setdefault(phrase[0][:1], set()).add(phrase[0])
        self._near_cache: dict[str, list[str]] = {}
        self._tokens_cache: dict[str, tuple[str, ...]] = {}
        self._phrase_sets: dict[tuple[str, ...], PhraseSet] = {}
        self._readings: dict[tuple[str, tuple[str, ...], bool, bool], str | None] = {}
        self._has_cache: dict[tuple[str, str], bool] = {}
        self._words_of: dict[tuple[str, ...], frozenset[str]] = {}
        self._single_words_of: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}

    def _words_with_two_senses(self) -> frozenset[str]:
        # per language, once: its one-word phrases (the words every language uses: self._languages_of)
        alone = {language: {phrase[0] for phrases in categories.values() for phrase in phrases if len(phrase) == 1}
                 for language, categories in self.by_language.items()}
        found = set()
        for language, words in alone.items():
            for word in words:
                # used there with another sense, and no answer by itself there ('ok', 'nee' are answers everywhere)
                if any(other != language and word not in alone[other] for other in self._languages_of[word]):
                    found.add(word)
        return frozenset(found)

    # ---- words ----

    def words_of(self, *categories: str) -> frozenset[str]:
        """Every word of every phrase of the categories ('gsm', 'phone', 'samsung' for device_words and
        device_brands); made once per set of categories."""
        found = self._words_of.get(categories)
        if found is None:
            found = self._words_of[categories] = frozenset(
                word for category in categories for phrase in self.phrases.get(category, ()) for word in phrase)
        return found

    def single_words_of(self, language: str, categories: tuple[str, ...]) -> frozenset[str]:
        """The one-word phrases of the categories in one language's own vocabulary; made once per language and
        categories."""
        found = self._single_words_of.get((language, categories))
        if found is None:
            phrases = self.by_language.get(language, {})
            found = self._single_words_of[language, categories] = frozenset(
                phrase[0] for category in categories for phrase in phrases.get(category, set()) if len(phrase) == 1)
        return found

    def single_words(self, category: str) -> frozenset[str]:
        """The category's one-word phrases ('en', 'and', 'et' of clause_breaks)."""
        return frozenset(phrase[0] for phrase in self.phrases.get(category, ()) if len(phrase) == 1)

    def tokens(self, text: str) -> list[str]:
        """The text's words in matching form; remembered, since the dialogue tokenises the same content phrases
        (option labels, language names) on every message (a pure function of the text)."""
        known = self._tokens_cache.get(text)
        if known is None:
            if len(self._tokens_cache) >= TOKENS_CACHE_SIZE:
                self._tokens_cache.clear()
            known = self._tokens_cache[text] = tuple(self._tokenize(text))
        return list(known)

    def _phrase_at(self, words: Sequence[str], start: int, phrase: tuple[str, ...]) -> int | None:
        """The end of `phrase` when it starts at words[start] (filler words may sit in between), else None."""
        position = start
        for number, wanted in enumerate(phrase):
            while number and position < len(words) and not same_word(words[position], wanted) \
                    and words[position] in self.filler:
                position += 1
            if position >= len(words) or not same_word(words[position], wanted):
                return None
            position += 1
        return position

    def hits(self, words: Sequence[str], categories: Iterable[str]) -> list[Hit]:
        found = []
        for category in categories:
            by_first = self._by_first.get(category, {})
            for start, word in enumerate(words):
                for first in self._firsts_near(word):
                    for phrase in by_first.get(first, ()):
                        end = self._phrase_at(words, start, phrase)
                        if end is not None:
                            found.append(Hit(category, start, end, len(phrase)))
        return found

    def _firsts_near(self, word: str) -> list[str]:
        """The first words of vocabulary phrases that `word` may stand for."""
        near = self._near_cache.get(word)
        if near is None:
            own = self._languages_of.get(word)
            near = [first for first in self._firsts.get(word[:1], ())
                    if first == word or (word not in self._known_words and same_word(word, first)
                                         and (own is None or not own.isdisjoint(self._languages_of.get(first, ()))))]
            if len(self._near_cache) < 20000:
                self._near_cache[word] = near
        return near

    def opens_with(self, text: str, category: str) -> bool:
        """True when the text begins with a phrase of the category, after filler words or one other word ('so can
        I ...', 'bonjour ou je peux ...')."""
        words = self._tokenize(text)
        start = 0
        while start < len(words) and self.hits(words[start:start + 1], ("filler",)):
            start += 1
        return any(hit.start <= 1 for hit in self.hits(words[start:], (category,)))

    # ---- clauses ----

    def clauses(self, text: str) -> list[str]:
        """The clauses of a message as texts: split at punctuation; empty ones dropped."""
        return [part.strip() for part in _CLAUSE_MARKS.split(text) if part.strip()]

    def requests(self, text: str) -> list[str]:
        """Clauses, and long clauses also split at a joining word ('... en ik wil ook ...'), both sides
        at least three words long: the pieces in which two different requests may stand."""
        # (the joining words of every language: Ukrainian 'i' also splits at English 'I', and such extra cuts
        # find a request in long run-on messages more often than they hide one)
        breaks = self._clause_breaks
        pieces: list[str] = []
        for clause in self.clauses(text):
            words = clause.split()
            cut = 0
            for index, word in enumerate(words):
                folded = self._tokenize(word)
                if index - cut >= 3 and len(words) - index >= 4 and folded and folded[0] in breaks and not (
                        folded[0] == "a" and _french_a(word, words[index + 1])):
                    pieces.append(" ".join(words[cut:index]))
                    cut = index + 1
            pieces.append(" ".join(words[cut:]))
        trimmed = []
        for piece in pieces:  # "et moi je cherche ...": the joining word belongs to neither request
            words = piece.split()
            while words and (self._tokenize(words[0]) or [""])[0] in breaks:
                words = words[1:]
            trimmed.append(" ".join(words))
        return [piece for piece in trimmed if piece.strip()]

    # ---- reading ----

    def read(self, text: str, categories: Sequence[str], *, strict: bool = False, opening: bool = False) -> str | None:
        """The category among `categories` the message answers with, or None (see `_read`); remembered per
        (text, categories, strict, opening), since one message is read several times (a pure function of them)."""
        key = (text, tuple(categories), strict, opening)
        try:
            return self._readings[key]
        except KeyError:
            pass
        if len(self._readings) >= READINGS_CACHE_SIZE:
            self._readings.clear()
        found = self._readings[key] = self._read(text, key[1], strict=strict, opening=opening)
        return found

    def _read(self, text: str, categories: Sequence[str], *, strict: bool = False, opening: bool = False) -> str | None:
        """The category among `categories` the message answers with, or None.

        Clause by clause, the longest phrase wins (ties: see PRIORITY); a yes next to a negation is no yes.
        A clause counts only when it is mostly an answer: the phrase opens it, or few other words remain.
        An emoji alone (or with an answer-less text) gives its category. `strict`: the clause must be nothing
        but the answer (at most one other word). `opening`: the answer must open the message ('ok, ik ga
        morgen') and only the first clause counts.
        """
        clauses = self.clauses(text)
        asks = text.rstrip().endswith(QUESTION_MARKS)
        for index, clause in enumerate(clauses):
            words = self._tokenize(clause)
            if not words:
                continue
            # the question a message ends with is no answer ('welk wachtwoord, da van mijn modem?')
            question = asks and index == len(clauses) - 1
            found = self._best(words, categories, strict, opening, question=question)
            if found is not None or opening:
                return found
        wanted = [category for category in categories if self.emoji.get(category, set()) & set(symbols(text))]
        return wanted[0] if len(wanted) == 1 else None

    def _best(self, words: list[str], categories: Sequence[str], strict: bool, opening: bool, *,
              question: bool = False) -> str | None:
        hits = self.hits(words, categories)
        if not hits:
            return None
        order = {category: PRIORITY.index(category) if category in PRIORITY else -1 for category in categories}
        hits.sort(key=lambda hit: (hit.size, not self._two_senses(words, hit), order[hit.category], -hit.start),
                  reverse=True)
        best = hits[0]
        if best.category in POSITIVE and self._negated(words, best, hits):  # 'ik zie dat knopje niet'
            rivals = [hit for hit in hits if hit.category not in POSITIVE]
            if not rivals:
                return None
            best = rivals[0]
        covered: set[int] = set()
        for hit in hits:
            covered.update(range(hit.start, hit.end))
        rest = [word for index, word in enumerate(words)
                if index not in covered and word not in self.filler and word not in self.negation]
        opens = all(word in self.filler for word in words[: best.start])
        if question and len(rest) >= QUESTION_WORDS:
            return None
        if opening:
            return best.category if opens else None
        if strict:
            return best.category if len(rest) <= 1 else None
        if opens or len(rest) <= max(2, len(covered)):
            return best.category
        return None

    def _two_senses(self, words: list[str], hit: Hit) -> bool:
        return hit.size == 1 and words[hit.start] in self._double_sense

    def _negated(self, words: list[str], best: Hit, hits: list[Hit]) -> bool:
        inside = set(range(best.start, best.end))
        return any(word in self.negation and index not in inside for index, word in enumerate(words))

    def negates(self, text: str) -> bool:
        """The text has a negation word ('niet', 'not', 'pas', 'geen')."""
        return any(word in self.negation for word in self.tokens(text))

    def has(self, text: str, category: str) -> bool:
        """True when a phrase of the category occurs anywhere in the message (no reading as an answer);
        remembered per (text, category)."""
        key = (text, category)
        known = self._has_cache.get(key)
        if known is None:
            if len(self._has_cache) >= READINGS_CACHE_SIZE:
                self._has_cache.clear()
            known = self._has_cache[key] = self._has(text, category)
        return known

    def _has(self, text: str, category: str) -> bool:
        return bool(self.hits(self._tokenize(text), (category,))) or bool(
            self.emoji.get(category, set()) & set(symbols(text)))

    def phrase_set(self, texts: tuple[str, ...]) -> PhraseSet:
        """The texts (content phrases such as language names) in matching form, for `PhraseSet.found`; made once
        per tuple of texts (this vocabulary's content does not change)."""
        known = self._phrase_sets.get(texts)
        if known is None:
            if len(self._phrase_sets) >= PHRASE_SETS:
                self._phrase_sets.clear()
            known = self._phrase_sets[texts] = PhraseSet(self, texts)
        return known

    def phrase_in(self, words: Sequence[str], phrase: Sequence[str]) -> bool:
        """True when the (normalised) phrase occurs in the words, typos and fillers allowed."""
        target = tuple(phrase)
        return bool(target) and any(self._phrase_at(words, start, target) is not None for start in range(len(words)))


class PhraseSet:
    """Texts in matching form, indexed by the first letter of their first word: `found(words)` gives the texts
    `Answers.phrase_in(words, tokens(text))` is true for, without trying every text at every word (a phrase
    can only start at a word that is its first word or one typo from it, and so starts with the same letter)."""

    def __init__(self, answers: Answers, texts: tuple[str, ...]) -> None:
        self._answers = answers
        self._by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self._firsts: dict[str, list[str]] = {}
        self._phrases: dict[str, tuple[str, ...]] = {}
        for text in texts:
            phrase = tuple(answers.tokens(text))
            if not phrase:
                continue  # phrase_in is false for an empty phrase
            if phrase[0] not in self._by_first:
                self._firsts.setdefault(phrase[0][:1], []).append(phrase[0])
            self._by_first.setdefault(phrase[0], []).append((text, phrase))
            self._phrases[text] = phrase
        self._most_words = max((len(phrase) for phrase in self._phrases.values()), default=0)

    def longest(self, words: Sequence[str], min_words: int = 1) -> int:
        """The number of words of the longest phrase (of at least `min_words`) found in the words, else 0."""
        if min_words > self._most_words:
            return 0
        return max((len(self._phrases[text]) for text in self.found(words)
                    if len(self._phrases[text]) >= min_words), default=0)

    def may_start(self, words: Sequence[str]) -> bool:
        """False when no word can be the first word of a text: then `found` is empty for these words and for any
        of their subsequences."""
        return any(same_word(word, first) for word in words for first in self._firsts.get(word[:1], ()))

    def found(self, words: Sequence[str]) -> set[str]:
        hits: set[str] = set()
        for start, word in enumerate(words):
            for first in self._firsts.get(word[:1], ()):
                if not same_word(word, first):
                    continue
                for text, phrase in self._by_first[first]:
                    if text not in hits and self._answers._phrase_at(words, start, phrase) is not None:
                        hits.add(text)
        return hits
