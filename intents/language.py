"""Guess the language of a message: catalogue words first, lingua (NL/EN/FR only) for longer messages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from intents.settings import LanguageSettings

LINGUA_CODES = {"DUTCH": "nl", "ENGLISH": "en", "FRENCH": "fr"}
VOTE_MARGIN = 1.0


@cache
def _detector() -> Any:
    """The lingua detector for Dutch, English and French, built once per process."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.DUTCH, Language.ENGLISH, Language.FRENCH).build()


@dataclass(frozen=True)
class LanguageGuess:
    """A language code (or None) and whether the message itself made it clear."""

    language: str | None
    confident: bool


def lingua_language(text: str) -> tuple[str, float] | None:
    """lingua's most likely language among nl/en/fr for `text` and its confidence, or None."""
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None
    top = values[0]
    return LINGUA_CODES[top.language.name], float(top.value)


class LanguageGuesser:
    """Combines which languages' examples use the message's words with lingua for longer messages."""

    def __init__(self, word_languages: Mapping[str, frozenset[str]], settings: LanguageSettings) -> None:
        self._word_languages = word_languages
        self._settings = settings

    def votes(self, words: Sequence[str]) -> dict[str, float]:
        """Each known word gives one vote, shared by the languages whose examples use it."""
        tally: dict[str, float] = {}
        for word in dict.fromkeys(words):
            languages = self._word_languages.get(word)
            if languages:
                for language in languages:
                    tally[language] = tally.get(language, 0.0) + 1.0 / len(languages)
        return tally

    def guess(self, text: str, words: Sequence[str], fallback: str | None, hint: str | None) -> LanguageGuess:
        """`fallback` is the language of the best matching example; `hint` the contact's known language."""
        tally = self.votes(words)
        ranked = sorted(tally.items(), key=lambda item: -item[1])
        voted = ranked[0][0] if ranked else None
        margin = ranked[0][1] - (ranked[1][1] if len(ranked) > 1 else 0.0) if ranked else 0.0
        clear_vote = voted is not None and margin >= VOTE_MARGIN
        if len(words) >= 2 and clear_vote and margin >= 2 * VOTE_MARGIN:
            return LanguageGuess(voted, True)
        if len(words) >= self._settings.lingua_min_words:
            detected = lingua_language(text)
            if detected is not None and detected[1] >= self._settings.lingua_min_confidence:
                language, _ = detected
                if not clear_vote or voted == language:
                    return LanguageGuess(language, True)
                return LanguageGuess(voted if margin >= 2 * VOTE_MARGIN else language, False)
        if len(words) >= 2 and clear_vote:
            return LanguageGuess(voted, True)
        return LanguageGuess(hint or fallback or voted, False)
