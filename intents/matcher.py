"""Rank a resident's message against the intent catalogue: keywords first, weighted fuzzy phrases after."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rapidfuzz.fuzz import ratio
from rapidfuzz.process import extractOne

from bot.content_base.languages import LanguageList, shipped_languages
from intents.catalog import IntentCatalog
from intents.language import LanguageGuesser
from intents.normalise import Normaliser, is_bare_number
from intents.phrase_index import PhraseIndex

MAX_CANDIDATES = 3
CLASSIFY_CACHE = 10_000


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
    other_language: str | None = None  # clearly written in a language digibuur does not offer (picker)


class Matcher:
    """Classifies messages; everything that does not depend on the message is computed in __init__."""

    def __init__(self, catalog: IntentCatalog, languages: LanguageList | None = None) -> None:
        self.catalog = catalog
        self.settings = catalog.settings.matching
        self.normaliser = Normaliser(catalog.spelling, languages or shipped_languages())
        self.digital = catalog.settings.digital
        self.keywords: dict[str, tuple[str, str]] = {}
        entries: list[tuple[str, str, list[str]]] = []
        for spec in catalog.intents.values():
            for language, texts in spec.examples.items():
                for text in texts:
                    entries.extend((spec.id, language, words) for words in self._readings(text, language))
            for language, texts in spec.keywords.items():
                for text in texts:
                    for words in self._readings(text, language):
                        self.keywords.setdefault(" ".join(words), (spec.id, language))
                        entries.append((spec.id, language, words))
        self.index = PhraseIndex(
            entries,
            self.settings,
            catalog.spelling.stopwords,
            self.digital.vocabulary,
            catalog.settings.courtesy_intents,
            catalog.spelling.negations,
        )
        self._exact: dict[str, tuple[str, str]] = {}
        for intent, language, words in entries:
            self._exact.setdefault(" ".join(words), (intent, language))
        # Examples made only of function words ("what can you do") are invisible to the weighted index:
        # they are compared whole, with rapidfuzz.
        function_only = [
            (text, owner) for text, owner in self._exact.items() if not self.index.has_weight(text.split())
        ]
        self._function_texts = [text for text, _ in function_only]
        self._function_owners = [owner for _, owner in function_only]
        self.languages = LanguageGuesser(self.index.word_languages, catalog.settings.language, languages)
        self._intent_words: dict[str, frozenset[str]] = {}
        self._classified: dict[tuple[str, str | None], Match] = {}
        for intent, _language, words in entries:
            self._intent_words[intent] = self._intent_words.get(intent, frozenset()) | frozenset(words)

    def _readings(self, text: str, language: str) -> list[list[str]]:
        """An example as its language spells it, and as a message with the same letters is read.

        A Ukrainian message without і ї є ґ is read with the default Cyrillic spelling ("людиною" ->
        "lyudinoyu"), so a Ukrainian example also counts in that spelling; other examples read the same both ways.
        """
        own = self.normaliser.tokens(text, language)
        plain = self.normaliser.tokens(text)
        return [own] if plain == own else [own, plain]

    def classify(self, text: str, language_hint: str | None = None) -> Match:
        """The intent of a message (remembered per text and hint, bounded: a pure function of both and the
        catalogue; "ok", "1", "menu" come again and again)."""
        key = (text, language_hint)
        known = self._classified.get(key)
        if known is None:
            if len(self._classified) >= CLASSIFY_CACHE:
                self._classified.clear()
            known = self._classified[key] = self._classify(text, language_hint)
        return known

    def _classify(self, text: str, language_hint: str | None) -> Match:
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
            return Match(intent, 100.0, chosen, guess.confident, (candidate,), False, True, False, guess.other)
        if len(normalised.replace(" ", "")) < self.settings.min_chars:
            return self._nothing(text, words, language_hint, digital=False)
        candidates = self._rank(words, language_hint)
        if not candidates or candidates[0].score < self.settings.threshold:
            return self._nothing(text, words, language_hint, candidates=candidates)
        best = candidates[0]
        if self._unguided(words, best.intent):
            # 'mijn itsme werkt ni meer op mijn nieuwe gsm' is no WhatsApp question: a problem without a guide
            return self._nothing(text, words, language_hint, digital=True, candidates=candidates)
        guess = self.languages.guess(text, words, best.language, language_hint)
        exact = self._exact.get(normalised)
        exact_example = exact is not None and exact[0] == best.intent
        close = len(candidates) > 1 and best.score - candidates[1].score < self.settings.ambiguity_margin
        if close and not exact_example:  # a message that IS an example of one intent is not ambiguous
            return Match(None, best.score, guess.language, guess.confident, candidates, True, False, False,
                         guess.other)
        return Match(best.intent, best.score, guess.language, guess.confident, candidates, False, False, False,
                     guess.other)

    def _unguided(self, words: list[str], intent: str) -> bool:
        """A guide's intent for a message naming a product that guide's examples never name."""
        named = self.digital.without_guide.intersection(words)
        spec = self.catalog.intents.get(intent)
        guide = spec is not None and spec.action.startswith("guide:")
        return guide and bool(named) and not named <= self._intent_words.get(intent, frozenset())

    def unguided(self, text: str, intent: str) -> bool:
        """The intent leads to a guide, and the text names a product no guide covers ('itsme') that this
        intent's examples never name."""
        return self._unguided(self.normaliser.tokens(text), intent)

    def _rank(self, words: list[str], language_hint: str | None) -> tuple[Candidate, ...]:
        """Best score per intent (and the language of that example), best first, up to MAX_CANDIDATES."""
        preference = self.languages.votes(words)
        if language_hint:
            preference[language_hint] = preference.get(language_hint, 0.0) + 0.5
        phrase_scores = self.index.score(words)
        best = self.index.best_per_intent(phrase_scores, preference)
        text = " ".join(words)
        whole = self._exact.get(text)
        if whole is None and self._function_texts:
            found = extractOne(
                text,
                self._function_texts,
                scorer=ratio,
                processor=None,
                score_cutoff=self.settings.whole_phrase_similarity,
            )
            if found is not None:
                whole = self._function_owners[found[2]]
                best[whole[0]] = max(best.get(whole[0], (0.0, "")), (float(found[1]), whole[1]))
        elif whole is not None:
            best[whole[0]] = (100.0, whole[1])
        same_score = Counter(score for score, _ in best.values())
        tied = {intent for intent, (score, _) in best.items() if same_score[score] > 1}
        support = self.index.support(phrase_scores, sorted(tied)) if tied else {}
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], -support.get(item[0], 0.0), item[0]))
        return tuple(
            Candidate(intent, round(score, 1), language) for intent, (score, language) in ranked[:MAX_CANDIDATES]
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
            other_language=guess.other if guess else None,
        )
