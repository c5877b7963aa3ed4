"""Precomputed example phrases: word weights, typo-tolerant word lookup and weighted fuzzy phrase scores."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from rapidfuzz.fuzz import ratio

from intents.settings import MatchSettings
from intents.stems import arabic_stems, is_arabic

MIN_TYPO_LENGTH = 5
MIN_PREFIX_LENGTH = 4
PREFIX_SIMILARITY = 0.8
SUFFIX_SIMILARITY = 0.75
MIN_SUFFIX_LENGTH = 5
MAX_NEIGHBOURS = 3
# Two words sharing a beginning of at least STEM_LENGTH letters and differing only in their last STEM_TAIL
# letters are taken as forms of one word ("предлагате"/"предлагаш", "kompiutri"/"kompiutar"); Arabic words
# without their clitics likewise.
STEM_LENGTH = 5
STEM_TAIL = 2
STEM_SIMILARITY = 0.7
ARABIC_STEM_SIMILARITY = 0.85
# A phrase with a negation scores this much of its score for a message without any ('geen interesse' against
# 'ça m'intéresse'; 'ik heb geen internet' against 'mijn internet is op' keeps a weak reading).
NEGATION_DAMP = 0.55


@dataclass(frozen=True)
class Phrase:
    """One example phrase (or keyword) in matching form."""

    intent: str
    language: str
    words: tuple[str, ...]
    weight: float
    negated: bool = False  # the example says 'not' ('geen interesse'): no reading of a message that never does


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class PhraseIndex:
    """Example phrases of all intents with per-word weights, built once.

    A word's weight is its inverse intent frequency: a word that appears in the examples of one
    intent ("telenet") weighs much more than one that appears in most of them ("ik", "je").
    A message scores against a phrase by how much of the phrase it contains (recall) and how much
    of the message the phrase explains (precision); misspelled words count with their rapidfuzz
    similarity. Only phrases sharing a (near-)word with the message are touched.
    """

    def __init__(
        self,
        phrases: Sequence[tuple[str, str, Sequence[str]]],
        settings: MatchSettings,
        stopwords: frozenset[str] = frozenset(),
        problem_words: frozenset[str] = frozenset(),
        courtesy_intents: frozenset[str] = frozenset(),
        negations: frozenset[str] = frozenset(),
    ) -> None:
        self.settings = settings
        self._negations = negations
        self._problem_words = problem_words
        self._stopwords = stopwords
        self._courtesy = courtesy_intents
        intents_of: dict[str, set[str]] = {}
        languages_of: dict[str, set[str]] = {}
        for intent, language, words in phrases:
            for word in words:
                intents_of.setdefault(word, set()).add(intent)
                languages_of.setdefault(word, set()).add(language)
        intent_count = len({intent for intent, _, _ in phrases})
        self.word_weight: dict[str, float] = {
            word: 0.0 if word in stopwords else math.log((intent_count + 1) / (len(owners) + 0.5))
            for word, owners in intents_of.items()
        }
        self.word_intents: dict[str, frozenset[str]] = {word: frozenset(o) for word, o in intents_of.items()}
        self.word_languages: dict[str, frozenset[str]] = {
            word: frozenset(langs) for word, langs in languages_of.items()
        }
        self.phrases: list[Phrase] = []
        seen: set[tuple[str, str, tuple[str, ...]]] = set()
        for intent, language, words in phrases:
            key = (intent, language, tuple(dict.fromkeys(words)))
            weight = sum(self._weight(word) for word in key[2])
            if key in seen or weight <= 0.0:
                continue
            seen.add(key)
            self.phrases.append(Phrase(intent, language, key[2], weight, not negations.isdisjoint(key[2])))
        self.postings: dict[str, list[int]] = {}
        for number, phrase in enumerate(self.phrases):
            for word in phrase.words:
                if self._weight(word) > 0.0:
                    self.postings.setdefault(word, []).append(number)
        self._by_deletion: dict[str, list[str]] = {}
        self._by_prefix: dict[str, list[str]] = {}
        self._by_arabic_stem: dict[str, list[str]] = {}
        for word in self.postings:
            if len(word) >= MIN_PREFIX_LENGTH:
                for variant in _deletions(word) | {word}:
                    self._by_deletion.setdefault(variant, []).append(word)
            if len(word) >= MIN_PREFIX_LENGTH:
                for end in range(MIN_PREFIX_LENGTH, len(word)):
                    self._by_prefix.setdefault(word[:end], []).append(word)
            if is_arabic(word):
                for stem in arabic_stems(word) | {word}:
                    self._by_arabic_stem.setdefault(stem, []).append(word)

    def _weight(self, word: str) -> float:
        weight = self.word_weight.get(word, 0.0)
        return weight if weight >= self.settings.min_word_weight else 0.0

    def neighbours(self, word: str) -> list[tuple[str, float]]:
        """Catalogue words that `word` may stand for, with a similarity in 0..1 (1 = same word)."""
        if word in self.word_weight:
            return [(word, 1.0)] if word in self.postings else []
        found: dict[str, float] = {}
        if is_arabic(word):
            for stem in arabic_stems(word) | {word}:
                for candidate in self._by_arabic_stem.get(stem, ()):
                    found.setdefault(candidate, ARABIC_STEM_SIMILARITY)
        if len(word) < MIN_PREFIX_LENGTH:
            return self._best(found)
        cutoff = self.settings.typo_similarity
        for variant in _deletions(word) | {word} if len(word) >= MIN_TYPO_LENGTH else ():
            for candidate in self._by_deletion.get(variant, ()):
                if candidate not in found and Levenshtein.distance(word, candidate, score_cutoff=2) <= 2:
                    similarity = ratio(word, candidate, score_cutoff=cutoff)
                    if similarity:
                        found[candidate] = similarity / 100.0
        for candidate in self._by_prefix.get(word, ()):
            found.setdefault(candidate, PREFIX_SIMILARITY)
        for end in range(MIN_PREFIX_LENGTH, len(word)):
            if word[:end] in self.postings:
                found.setdefault(word[:end], PREFIX_SIMILARITY)
        for start in range(2, len(word) - MIN_SUFFIX_LENGTH + 1):
            if word[start:] in self.postings:
                found.setdefault(word[start:], SUFFIX_SIMILARITY)
        for end in range(len(word) - 1, max(STEM_LENGTH, len(word) - STEM_TAIL) - 1, -1):
            for candidate in self._by_prefix.get(word[:end], ()):
                if len(candidate) - end <= STEM_TAIL:
                    found.setdefault(candidate, STEM_SIMILARITY)
        return self._best(found)

    def _best(self, found: dict[str, float]) -> list[tuple[str, float]]:
        best = sorted(found.items(), key=lambda item: (-item[1], -self._weight(item[0])))
        return best[:MAX_NEIGHBOURS]

    def has_weight(self, words: Sequence[str]) -> bool:
        """True when at least one of the words counts for matching (is not a function word)."""
        return any(self._weight(word) > 0.0 for word in words)

    def best_per_intent(
        self, scores: Mapping[int, float], language_preference: Mapping[str, float]
    ) -> dict[str, tuple[float, str]]:
        """Per intent: the best phrase score (of `score(words)`) and that phrase's language (ties go to preferred
        languages)."""
        best: dict[str, tuple[float, float, str]] = {}
        for number, score in scores.items():
            phrase = self.phrases[number]
            key = (score, language_preference.get(phrase.language, 0.0), phrase.language)
            current = best.get(phrase.intent)
            if current is None or key[:2] > current[:2]:
                best[phrase.intent] = key
        return {intent: (score, language) for intent, (score, _, language) in best.items()}

    def support(self, scores: Mapping[int, float], intents: Sequence[str]) -> dict[str, float]:
        """Per intent, the sum of its phrase scores (of `score(words)`): between intents whose best phrase scores
        the same ('waar kan ik kopieren': only 'waar kan ik' matches), the one more of whose examples share its
        words."""
        wanted = set(intents)
        total: dict[str, float] = {}
        for number, score in scores.items():
            intent = self.phrases[number].intent
            if intent in wanted:
                total[intent] = total.get(intent, 0.0) + score
        return total

    def score(self, words: Sequence[str]) -> dict[int, float]:
        """Score 0..100 of every phrase that shares a (near-)word with the message.

        Recall: how much of the phrase the message contains. Precision: how much of the message the
        phrase's intent explains (any of its examples), so words from two examples of one intent add up.
        A phrase with a negation ('geen interesse') scores fully only for a message with one: its other words alone
        ('ça m'intéresse', 'ja dat interesseert mij') say the opposite.
        """
        recall_hits: dict[int, float] = {}
        explained: dict[str, float] = {}
        message_weight = 0.0
        courtesy_weight = 0.0  # "hello", "good morning" in front of a question do not dilute the question
        for word in dict.fromkeys(words):
            if word in self._stopwords:
                continue  # a function word no example happens to use is still no unknown word
            known_problem = word in self._problem_words and word not in self.word_weight
            matches = [] if known_problem else self.neighbours(word)
            if not matches:
                if known_problem:
                    message_weight += self.settings.problem_word_weight
                elif word not in self.word_weight:
                    message_weight += self.settings.unknown_word_weight
                continue
            message_weight += self._weight(matches[0][0])
            if matches[0][1] == 1.0 and self.word_intents[matches[0][0]] <= self._courtesy:
                courtesy_weight += self._weight(matches[0][0])
            best_for_intent: dict[str, float] = {}
            for candidate, similarity in matches:
                gain = self._weight(candidate) * similarity
                for number in self.postings[candidate]:
                    recall_hits[number] = recall_hits.get(number, 0.0) + gain
                for intent in self.word_intents[candidate]:
                    if gain > best_for_intent.get(intent, 0.0):
                        best_for_intent[intent] = gain
            for intent, gain in best_for_intent.items():
                explained[intent] = explained.get(intent, 0.0) + gain
        if message_weight <= 0.0:
            return {}
        beta2 = self.settings.recall_beta**2
        negated = not self._negations.isdisjoint(words)
        scores: dict[int, float] = {}
        for number, hit in recall_hits.items():
            phrase = self.phrases[number]
            damp = NEGATION_DAMP if phrase.negated and not negated else 1.0
            recall = min(1.0, hit / max(phrase.weight, self.settings.min_phrase_weight))
            weight = message_weight if phrase.intent in self._courtesy else message_weight - courtesy_weight
            precision = min(1.0, explained[phrase.intent] / weight) if weight > 0.0 else 1.0
            scores[number] = damp * 100.0 * (1 + beta2) * precision * recall / (beta2 * precision + recall)
        return scores
