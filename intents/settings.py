"""Matching thresholds, evaluation thresholds and digital-problem words, read from the catalogue's _settings.yaml."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TypeVar

from yaml.nodes import MappingNode, Node

from intents.normalise import fold
from intents.yamlnodes import (
    Problems,
    check_known_keys,
    check_spec_version,
    compose,
    line_of,
    mapping_items,
    number_value,
    text_list,
)


@dataclass(frozen=True)
class MatchSettings:
    """Knobs of the matcher; the shipped values live in _settings.yaml (section `matching`)."""

    threshold: float = 60.0
    ambiguity_margin: float = 6.0
    min_chars: float = 3.0
    typo_similarity: float = 80.0
    recall_beta: float = 1.5
    unknown_word_weight: float = 1.2
    problem_word_weight: float = 2.4
    min_word_weight: float = 0.15
    min_phrase_weight: float = 2.0
    whole_phrase_similarity: float = 90.0


@dataclass(frozen=True)
class LanguageSettings:
    """How the language of a message is told (section `language`; the words and letters are in
    texts/_languages.yaml). Votes add up per language; the best must reach clear_score and lead by clear_margin."""

    letter_vote: float = 1.5
    pattern_vote: float = 1.0
    word_vote: float = 1.0
    example_vote: float = 0.5
    clear_score: float = 1.0
    clear_margin: float = 1.0
    lone_word_min_letters: float = 6.0
    switch_min_words: float = 3.0


@dataclass(frozen=True)
class Thresholds:
    """What the evaluation on the labelled set must reach (section `evaluation`)."""

    in_scope_accuracy: float = 0.92
    none_kept: float = 0.90


@dataclass(frozen=True)
class DigitalLexicon:
    """Words and phrases that make an unmatched message look like a digital problem (section `digital_problem`)."""

    words: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    # products no guide covers ('itsme', 'gmail'): a message naming one is no guide's request unless that
    # intent's own examples name it too
    without_guide: frozenset[str] = frozenset()

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every single word the lexicon mentions (words and the words of its phrases)."""
        return self.words | {word for phrase in self.phrases for word in phrase}

    def matches(self, tokens: list[str]) -> bool:
        for token in tokens:
            if token in self.words or token.startswith(self.prefixes):
                return True
        joined = f" {' '.join(tokens)} "
        return any(f" {' '.join(phrase)} " in joined for phrase in self.phrases)


@dataclass(frozen=True)
class CatalogSettings:
    """Everything _settings.yaml holds."""

    matching: MatchSettings = field(default_factory=MatchSettings)
    language: LanguageSettings = field(default_factory=LanguageSettings)
    evaluation: Thresholds = field(default_factory=Thresholds)
    digital: DigitalLexicon = field(default_factory=DigitalLexicon)
    courtesy_intents: frozenset[str] = frozenset()


_Section = TypeVar("_Section", MatchSettings, LanguageSettings, Thresholds)

SETTINGS_KEYS = {"spec_version", "matching", "language", "evaluation", "digital_problem", "courtesy_intents"}
DIGITAL_KEYS = {"words", "prefixes", "phrases", "without_guide"}


def _numbers(cls: type[_Section], node: Node | None, section: str, problems: Problems) -> _Section:
    if node is None:
        return cls()
    if not isinstance(node, MappingNode):
        problems.add(line_of(node), f"{section} must be a mapping")
        return cls()
    names = {f.name for f in fields(cls)}
    items = mapping_items(node, f"{section}.", problems)
    check_known_keys(items, names, f"{section}.", problems)
    values: dict[str, float] = {}
    for key, value_node in items.items():
        if key in names:
            value = number_value(value_node, f"{section}.{key}", problems)
            if value is not None:
                values[key] = value
    return cls(**values)


def _digital(node: Node | None, problems: Problems) -> DigitalLexicon:
    if node is None:
        return DigitalLexicon()
    if not isinstance(node, MappingNode):
        problems.add(line_of(node), "digital_problem must be a mapping")
        return DigitalLexicon()
    items = mapping_items(node, "digital_problem.", problems)
    check_known_keys(items, DIGITAL_KEYS, "digital_problem.", problems)
    lists = {
        key: [fold(text) for _, text in text_list(value, f"digital_problem.{key}", problems)]
        for key, value in items.items()
        if key in DIGITAL_KEYS
    }
    return DigitalLexicon(
        words=frozenset(lists.get("words", [])),
        prefixes=tuple(lists.get("prefixes", [])),
        phrases=tuple(tuple(text.split()) for text in lists.get("phrases", []) if text),
        without_guide=frozenset(lists.get("without_guide", [])),
    )


def parse_settings(filename: str, text: str, problems: Problems) -> CatalogSettings:
    """Read a _settings.yaml text; problems (with line numbers) are added to `problems`."""
    root = compose(filename, text, problems)
    if root is None:
        return CatalogSettings()
    items = mapping_items(root, "", problems)
    check_spec_version(items, root, problems)
    check_known_keys(items, SETTINGS_KEYS, "", problems)

    return CatalogSettings(
        matching=_numbers(MatchSettings, items.get("matching"), "matching", problems),
        language=_numbers(LanguageSettings, items.get("language"), "language", problems),
        evaluation=_numbers(Thresholds, items.get("evaluation"), "evaluation", problems),
        digital=_digital(items.get("digital_problem"), problems),
        courtesy_intents=_courtesy(items.get("courtesy_intents"), problems),
    )


def _courtesy(node: Node | None, problems: Problems) -> frozenset[str]:
    """Intents whose words ("hello", "thanks") do not make a message less about something else."""
    if node is None:
        return frozenset()
    return frozenset(text for _, text in text_list(node, "courtesy_intents", problems))
