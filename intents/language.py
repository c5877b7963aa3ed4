"""Know the language of a short message: script, telling letters, word lists (data), the matched examples."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from anyascii import anyascii

from bot.content_base.languages import Identify, LanguageList
from bot.scripts import lower, script_counts, unify_arabic
from intents.settings import LanguageSettings

OWN_SCRIPT_MIN_LETTERS = 2  # a script only one language uses decides alone from this many letters
MIN_EVIDENCE = 2  # a Latin-script message is taken for a language we do not offer on two signs, not one
_SPLIT = re.compile(r"[^\w']+|_")
_HYPHEN = re.compile(r"(?<=\w)-(?=\w)")  # "wi-free", "chez-moi": one word, as the normaliser reads them


def _latin_key(word: str) -> str:
    """A Latin word without accents ('teşekkürler' -> 'tesekkurler'); other scripts keep their letters."""
    return anyascii(word).lower() if all(ord(ch) < 0x250 for ch in word) else word


def identity_tokens(text: str) -> list[str]:
    """Words for identification: lower case (Turkish İ as i), Arabic without marks and letter variants,
    punctuation and emoji removed; letters with their accents are kept (they tell the language)."""
    joined = unify_arabic(lower(_HYPHEN.sub("", text)))
    cleaned = "".join(ch for ch in joined if unicodedata.category(ch)[0] not in "CS")
    return [word.strip("'") for word in _SPLIT.split(cleaned) if word.strip("'")]


@dataclass(frozen=True)
class Candidate:
    """A language the identifier can answer: its code, script, telling letters, words and patterns."""

    code: str
    script: str
    letters: frozenset[str]
    words: frozenset[str]
    patterns: tuple[re.Pattern[str], ...] = ()
    known: bool = True
    phrases: frozenset[tuple[str, ...]] = frozenset()


@dataclass(frozen=True)
class Identification:
    """What the message is written in. `language` is a code of the list (known or other) or None.

    `clear`: the message itself decides (script, telling letters, patterns or words), not a guess.
    `scores`: every candidate's score, for tests and the measurement.
    """

    language: str | None
    clear: bool
    script: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict)


def _candidate(code: str, script: str, identify: Identify, known: bool) -> Candidate:
    words: set[str] = set()
    phrases: set[tuple[str, ...]] = set()
    for word in identify.words:
        tokens = identity_tokens(word)
        if len(tokens) > 1 and " " in word:
            phrases.add(tuple(tokens))
            phrases.add(tuple(_latin_key(token) for token in tokens))
            continue
        for token in tokens:
            words.add(token)
            words.add(_latin_key(token))
    letters = {ch for ch in identify.letters + identify.letters.lower() if not ch.isascii() and ch.isalpha()}
    patterns = tuple(re.compile(pattern) for pattern in identify.patterns)
    return Candidate(code, script, frozenset(letters), frozenset(words), patterns, known, frozenset(phrases))


def _is_latin(word: str) -> bool:
    return all(ord(ch) < 0x250 for ch in word)


def _without_latin_clashes(candidates: list[Candidate]) -> list[Candidate]:
    """A language in another script, typed in Latin letters, does not claim a word that a Latin-script
    language lists ('moi', 'telephone', 'me'): that word tells the Latin language, not the transliteration."""
    latin_words = frozenset(w for c in candidates if c.script == "Latn" for w in c.words)
    return [
        c if c.script == "Latn"
        else replace(c, words=frozenset(w for w in c.words if not (_is_latin(w) and w in latin_words)))
        for c in candidates
    ]


class LanguageIdentifier:
    """Built once from the language list; `identify(text)` is cheap (no models, no network)."""

    def __init__(
        self,
        languages: LanguageList,
        settings: LanguageSettings | None = None,
        example_languages: frozenset[str] = frozenset(),
    ) -> None:
        self.languages = languages
        self.settings = settings or LanguageSettings()
        self.example_languages = example_languages  # the languages the intent catalogue has examples in
        self.candidates = [_candidate(x.code, x.script, x.identify, True) for x in languages.languages]
        self.candidates += [_candidate(x.code, x.script, x.identify, False) for x in languages.others]
        self.candidates = _without_latin_clashes(self.candidates)
        self._by_script: dict[str, list[Candidate]] = {}
        for candidate in self.candidates:
            self._by_script.setdefault(candidate.script, []).append(candidate)

    def _scores(
        self, text: str, tokens: Sequence[str], script: str, examples: Mapping[str, float]
    ) -> dict[str, float]:
        """Letter, pattern, word and example votes of the candidates written in `script` (Latin: every
        candidate may be typed in Latin letters, so every Latin word list counts)."""
        pool = self._by_script.get(script, []) if script != "Latn" else self.candidates
        scores = {candidate.code: 0.0 for candidate in pool}
        word_vote, pattern_vote = self.settings.word_vote, self.settings.pattern_vote
        letter_vote, example_vote = self.settings.letter_vote, self.settings.example_vote
        for token in dict.fromkeys(tokens):
            keys = {token, _latin_key(token)}
            owners = [c for c in pool if keys & c.words]
            for owner in owners:
                scores[owner.code] += word_vote / len(owners)
            hits = [c for c in pool if any(p.search(token) for p in c.patterns)]
            for owner in hits:
                scores[owner.code] += pattern_vote / len(hits)
        pairs = set(itertools.pairwise(tokens))
        pairs |= {(_latin_key(a), _latin_key(b)) for a, b in pairs}
        for candidate in pool:
            scores[candidate.code] += word_vote * len(pairs & candidate.phrases)
        for char in dict.fromkeys(lower(text)):
            telling = [c for c in pool if char in c.letters]
            for owner in telling:
                scores[owner.code] += letter_vote / len(telling)
        for code, votes in examples.items():
            if code in scores:
                scores[code] += example_vote * votes
        return scores

    def evidence(self, text: str, tokens: Sequence[str], code: str) -> int:
        """How many signs point to `code`: its listed words and patterns (one per word, phrases count once),
        and two for each of its telling letters."""
        candidate = next((c for c in self.candidates if c.code == code), None)
        if candidate is None:
            return 0
        found = sum(
            1 for token in dict.fromkeys(tokens)
            if {token, _latin_key(token)} & candidate.words or any(p.search(token) for p in candidate.patterns)
        )
        pairs = set(itertools.pairwise(tokens))
        found += len(pairs & candidate.phrases)
        return found + 2 * len(set(lower(text)) & candidate.letters)

    def _listed(self, token: str, code: str) -> bool:
        candidate = next((c for c in self.candidates if c.code == code), None)
        return candidate is not None and bool({token, _latin_key(token)} & candidate.words)

    def telling(self, text: str, code: str) -> bool:
        """True when the text has a letter that points to this language."""
        candidate = next((c for c in self.candidates if c.code == code), None)
        return candidate is not None and any(char in candidate.letters for char in lower(text))

    def identify(self, text: str, examples: Mapping[str, float] | None = None) -> Identification:
        """The language of `text`; `examples`: per language, how many of the message's words its catalogue
        examples use (shared words split), as the matcher counts them."""
        counts = script_counts(text)
        if not counts:
            return Identification(None, False)
        script = max(counts.items(), key=lambda item: (item[1], item[0] == "Latn"))[0]
        tokens = identity_tokens(text)
        own = self._scores(text, tokens, script, {})
        decided = self._decide(text, counts, script, tokens, own)
        if decided.clear and decided.language not in self.example_languages:
            # a language without intent examples is told by its own words, not outvoted by the examples' words
            return decided
        return self._decide(text, counts, script, tokens, self._scores(text, tokens, script, examples or {}))

    def _decide(
        self, text: str, counts: Mapping[str, int], script: str, tokens: Sequence[str], scores: dict[str, float]
    ) -> Identification:
        ranked = sorted(scores.items(), key=lambda item: -item[1])
        native = self._by_script.get(script, [])
        if len(native) == 1 and counts[script] >= OWN_SCRIPT_MIN_LETTERS:
            return Identification(native[0].code, True, script, scores)
        top = ranked[0][1] if ranked else 0.0
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        settings = self.settings
        if script != "Latn" and top - second < settings.clear_margin:
            # no telling letter or word: a script with one listed language of ours is that language
            # (Arabic script without Persian letters is Arabic)
            ours = [c for c in native if c.known]
            if len(ours) == 1 and not any(scores.get(c.code, 0.0) > scores[ours[0].code] for c in native):
                return Identification(ours[0].code, counts[script] >= OWN_SCRIPT_MIN_LETTERS, script, scores)
        if top <= 0.0:
            return Identification(None, False, script, scores)
        best = ranked[0][0]
        clear = top >= settings.clear_score and top - second >= settings.clear_margin
        if clear and len(tokens) == 1 and not self.telling(tokens[0], best):
            # one word decides only when it is long and a listed word of one language (not a pattern: "qwerty")
            listed = self._listed(tokens[0], best)
            clear = listed and len(tokens[0]) >= settings.lone_word_min_letters and second <= 0.0
        if not clear and top > second:
            return Identification(best, False, script, scores)
        return Identification(best if clear else None, clear, script, scores)


@dataclass(frozen=True)
class LanguageGuess:
    """A language code (or None) and whether the message itself made it clear.

    `other`: a clearly identified language that is not offered (not in the list, or not active).
    """

    language: str | None
    confident: bool
    other: str | None = None


class LanguageGuesser:
    """The identifier on the message, the matched example's language and the contact's known language."""

    def __init__(
        self,
        word_languages: Mapping[str, frozenset[str]],
        settings: LanguageSettings,
        languages: LanguageList | None = None,
    ) -> None:
        from bot.content_base.languages import shipped_languages

        self._word_languages = word_languages
        self._settings = settings
        self.languages = languages or shipped_languages()
        with_examples = frozenset(code for codes in word_languages.values() for code in codes)
        self.identifier = LanguageIdentifier(self.languages, settings, with_examples)

    def _typed_in_latin(self, code: str) -> bool:
        return any(c.code == code and c.script != "Latn" for c in self.identifier.candidates)

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
        found = self.identifier.identify(text, self.votes(words))
        active = self.languages.active
        if hint is not None and found.language != hint and found.script == "Latn":
            # a known contact switches on a real sentence, not on one or two words ("merci", "ok thanks")
            tokens = identity_tokens(text)
            letters = found.language is not None and any(self.identifier.telling(t, found.language) for t in tokens)
            # 'found her chat' (en, 'her' is Turkish too): the known language as well supported keeps it
            known = found.language is not None and not letters and self.identifier.evidence(text, tokens, hint) \
                >= self.identifier.evidence(text, tokens, found.language)
            if (len(tokens) < self._settings.switch_min_words and not letters) or known:
                found = Identification(found.language, False, found.script, found.scores)
        transliterated = found.language is not None and found.script == "Latn" and self._typed_in_latin(found.language)
        if found.clear and found.language is not None and transliterated and (
                self.identifier.evidence(text, identity_tokens(text), found.language) < MIN_EVIDENCE):
            # Arabic or Bulgarian typed in Latin letters: one listed word ("salam", "da") is not a sentence
            found = Identification(found.language, False, found.script, found.scores)
        if found.clear and found.language is not None:
            if found.language in active:
                return LanguageGuess(found.language, True)
            tokens = identity_tokens(text)
            sure = found.script != "Latn" or self.identifier.evidence(text, tokens, found.language) >= MIN_EVIDENCE
            # one sign ("heyy", "bla bla", "helloooo") is not enough to answer with a language picker
            return LanguageGuess(hint or fallback, False, other=found.language if sure else None)
        if found.language in active and hint is None:
            return LanguageGuess(found.language, False)
        if found.language is None and found.script == "Latn":
            # nothing in the message tells a language ("digipunt drongen"): not the language of whichever
            # example happened to match best
            return LanguageGuess(hint, False)
        return LanguageGuess(hint or fallback or (found.language if found.language in active else None), False)
