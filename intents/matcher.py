"""Rank a resident's message against the intent catalogue: keywords first, weighted fuzzy phrases after."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extractOne

from intents.catalog import IntentCatalog
from intents.language import LanguageGuesser
from intents.normalise import Normaliser, is_bare_number
from intents.phrase_index import PhraseIndex

MAX_CANDIDATES = 3


@dataclass(frozen=True)
class Candidate:
    """One intent the message may mean, with its best score and the language of its best example."""

    intent: str
    score: float
    language: str


@dataclass(frozen=True)
class Match:
    """The answer for one message. `intent` is None when nothing fits well or two intents fit equally."""

    intent: str | None
    score: float
    language: str | None
    language_confident: bool
    candidates: tuple[Candidate, ...]
    ambiguous: bool
    keyword: bool
    digital_problem: bool


class Matcher:
    """Classifies messages; everything that does not depend on the message is computed in __init__."""

    def __init__(self, catalog: IntentCatalog) -> None:
        self.catalog = catalog
        self.settings = catalog.settings.matching
        self.normaliser = Normaliser(catalog.spelling)
        self.digital = catalog.settings.digital
        self.keywords: dict[str, tuple[str, str]] = {}
        entries: list[tuple[str, str, list[str]]] = []
        for spec in catalog.intents.values():
            for language, texts in spec.examples.items():
                entries.extend((spec.id, language, self.normaliser.tokens(text)) for text in texts)
            for language, texts in spec.keywords.items():
                for text in texts:
                    words = self.normaliser.tokens(text)
                    self.keywords.setdefault(" ".join(words), (spec.id, language))
                    entries.append((spec.id, language, words))
        self.index = PhraseIndex(entries, self.settings, catalog.spelling.stopwords)
        whole: dict[str, tuple[str, str]] = {}
        for intent, language, words in entries:
            whole.setdefault(" ".join(words), (intent, language))
        self._whole_texts = list(whole)
        self._whole_owners = list(whole.values())
        self.languages = LanguageGuesser(self.index.word_languages, catalog.settings.language)

    def classify(self, text: str, language_hint: str | None = None) -> Match:
        words = self.normaliser.tokens(text)
        normalised = " ".join(words)
        if not normalised or is_bare_number(normalised):
            return self._nothing(text, words, language_hint, digital=False)
        keyword = self.keywords.get(normalised)
        if keyword is not None:
            intent, language = keyword
            guess = self.languages.guess(text, words, language, language_hint)
            confident_language = guess.language if guess.confident else None
            chosen = confident_language or (language_hint if language_hint else language)
            candidate = Candidate(intent, 100.0, chosen)
            return Match(intent, 100.0, chosen, guess.confident, (candidate,), False, True, False)
        if len(normalised.replace(" ", "")) < self.settings.min_chars:
            return self._nothing(text, words, language_hint, digital=False)
        candidates = self._rank(words, language_hint)
        if not candidates or candidates[0].score < self.settings.threshold:
            return self._nothing(text, words, language_hint, candidates=candidates)
        best = candidates[0]
        guess = self.languages.guess(text, words, best.language, language_hint)
        if len(candidates) > 1 and best.score - candidates[1].score < self.settings.ambiguity_margin:
            return Match(None, best.score, guess.language, guess.confident, candidates, True, False, False)
        return Match(best.intent, best.score, guess.language, guess.confident, candidates, False, False, False)

    def _rank(self, words: list[str], language_hint: str | None) -> tuple[Candidate, ...]:
        """Best score per intent (and the language of that example), best first, up to MAX_CANDIDATES."""
        votes = self.languages.votes(words)
        best: dict[str, tuple[float, float, str]] = {}
        nearly_same = extractOne(
            " ".join(words),
            self._whole_texts,
            scorer=ratio,
            processor=None,
            score_cutoff=self.settings.whole_phrase_similarity,
        )
        if nearly_same is not None:
            intent, language = self._whole_owners[nearly_same[2]]
            best[intent] = (float(nearly_same[1]), votes.get(language, 0.0), language)
        for number, score in self.index.score(words).items():
            phrase = self.index.phrases[number]
            preference = votes.get(phrase.language, 0.0) + (0.5 if phrase.language == language_hint else 0.0)
            current = best.get(phrase.intent)
            if current is None or (score, preference) > current[:2]:
                best[phrase.intent] = (score, preference, phrase.language)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], -item[1][1], item[0]))
        return tuple(
            Candidate(intent, round(score, 1), language) for intent, (score, _, language) in ranked[:MAX_CANDIDATES]
        )

    def _nothing(
        self,
        text: str,
        words: list[str],
        language_hint: str | None,
        *,
        digital: bool | None = None,
        candidates: tuple[Candidate, ...] = (),
    ) -> Match:
        fallback = candidates[0].language if candidates else None
        guess = self.languages.guess(text, words, fallback, language_hint) if words else None
        score = candidates[0].score if candidates else 0.0
        looks_digital = self.digital.matches(words) if digital is None else digital
        return Match(
            intent=None,
            score=score,
            language=guess.language if guess else language_hint,
            language_confident=guess.confident if guess else False,
            candidates=candidates,
            ambiguous=False,
            keyword=False,
            digital_problem=looks_digital,
        )
