"""The intent catalogue: one YAML file per intent plus _spelling.yaml and _settings.yaml, checked with line numbers."""

from __future__ import annotations

import pathlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import yaml
from yaml.nodes import MappingNode, Node

from bot.content_base.languages import shipped_languages
from intents.normalise import Normaliser, SpellingTable, fold, parse_spelling
from intents.settings import CatalogSettings, parse_settings
from intents.yamlnodes import (
    Problems,
    check_known_keys,
    check_spec_version,
    compose,
    line_of,
    mapping_items,
    text_list,
    text_value,
)

SPELLING_FILE = "_spelling.yaml"
SETTINGS_FILE = "_settings.yaml"
INTENT_KEYS = {"spec_version", "id", "action", "description", "label", "examples", "keywords"}
_ID = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)*")
_ACTION = re.compile(r"(flow|guide|menu):[a-z0-9][a-z0-9-]*")


class CatalogError(ValueError):
    """The catalogue cannot be used; the message names the file, the line and the reason."""


def known_languages(languages: Iterable[str] | None = None) -> tuple[str, ...]:
    """The language codes examples may use: the given ones, else every language of the shipped list."""
    return tuple(languages) if languages is not None else shipped_languages().codes


@dataclass(frozen=True)
class IntentSpec:
    """One intent: what it leads to, example phrases and exact keywords per language."""

    id: str
    action: str
    examples: dict[str, tuple[str, ...]]
    keywords: dict[str, tuple[str, ...]]
    labels: dict[str, str] = field(default_factory=dict)
    description: str = ""


def _language_lists(
    node: Node | None, where: str, problems: Problems, languages: tuple[str, ...]
) -> dict[str, tuple[str, ...]]:
    if node is None:
        return {}
    if not isinstance(node, MappingNode):
        problems.add(line_of(node), f"{where} must be a mapping of languages ({', '.join(languages)})")
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for language, value in mapping_items(node, f"{where}.", problems).items():
        if language not in languages:
            problems.add(line_of(value), f"{where}.{language}: unknown language (use {', '.join(languages)})")
            continue
        texts = text_list(value, f"{where}.{language}", problems)
        for line, text in texts:
            if not fold(text):
                problems.add(line, f"{where}.{language}: {text!r} has no letters or digits")
        result[language] = tuple(text for _, text in texts if fold(text))
    return result


def _labels(node: Node | None, problems: Problems, languages: tuple[str, ...]) -> dict[str, str]:
    if node is None:
        return {}
    if not isinstance(node, MappingNode):
        problems.add(line_of(node), f"label must be a mapping of languages ({', '.join(languages)})")
        return {}
    labels: dict[str, str] = {}
    for language, value in mapping_items(node, "label.", problems).items():
        if language not in languages:
            problems.add(line_of(value), f"label.{language}: unknown language (use {', '.join(languages)})")
            continue
        text = text_value(value, f"label.{language}", problems)
        if text is not None:
            labels[language] = text
    return labels


def parse_intent(
    filename: str, text: str, problems: Problems, languages: Iterable[str] | None = None
) -> IntentSpec | None:
    """Read one intent file; problems (with line numbers) are added to `problems`."""
    known = known_languages(languages)
    before = len(problems.items)
    root = compose(filename, text, problems)
    if root is None:
        return None
    items = mapping_items(root, "", problems)
    check_spec_version(items, root, problems)
    check_known_keys(items, INTENT_KEYS, "", problems)
    values: dict[str, str] = {}
    for key, pattern, hint in (
        ("id", _ID, "lower-case words joined by dots, e.g. guide.hotspot"),
        ("action", _ACTION, "flow:<name>, guide:<slug> or menu:<name>, e.g. guide:hotspot"),
    ):
        node = items.get(key)
        if node is None:
            problems.add(line_of(root), f"{key} is missing")
            continue
        value = text_value(node, key, problems)
        if value is not None and not pattern.fullmatch(value):
            problems.add(line_of(node), f"{key} {value!r} must be {hint}")
        elif value is not None:
            values[key] = value
    description_node = items.get("description")
    description = "" if description_node is None else text_value(description_node, "description", problems)
    examples_node = items.get("examples")
    if examples_node is None:
        problems.add(line_of(root), "examples is missing")
    examples = _language_lists(examples_node, "examples", problems, known)
    if examples_node is not None and isinstance(examples_node, MappingNode) and not any(examples.values()):
        problems.add(line_of(examples_node), "examples must hold at least one phrase")
    keywords = _language_lists(items.get("keywords"), "keywords", problems, known)
    labels = _labels(items.get("label"), problems, known)
    if len(problems.items) > before or "id" not in values or "action" not in values:
        return None
    return IntentSpec(
        id=values["id"],
        action=values["action"],
        examples=examples,
        keywords=keywords,
        labels=labels,
        description=description or "",
    )


def validate_catalog_text(filename: str, text: str, languages: Iterable[str] | None = None) -> list[str]:
    """Problems of one catalogue file as 'filename:line: reason'; [] when the file is fine."""
    problems = Problems(filename)
    name = pathlib.PurePath(filename).name
    if name == SPELLING_FILE:
        parse_spelling(filename, text, problems, known_languages(languages))
    elif name == SETTINGS_FILE:
        parse_settings(filename, text, problems)
    elif name.startswith("_"):
        problems.add(1, f"unknown special file (known: {SPELLING_FILE}, {SETTINGS_FILE})")
    else:
        parse_intent(filename, text, problems, languages)
    return problems.items


def _read(path: pathlib.Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"{path}:1: cannot read: {exc.strerror}") from exc


@dataclass(frozen=True)
class IntentCatalog:
    """All intents, the spelling table and the matching settings, validated."""

    intents: dict[str, IntentSpec]
    spelling: SpellingTable = field(default_factory=SpellingTable)
    settings: CatalogSettings = field(default_factory=CatalogSettings)
    languages: tuple[str, ...] = field(default_factory=known_languages)

    @classmethod
    def load(cls, directory: pathlib.Path, languages: Iterable[str] | None = None) -> IntentCatalog:
        """Read every *.yaml file in `directory`; raises CatalogError naming file, line and reason.

        `languages`: the codes examples may use (the content's language list; default the shipped one).
        """
        known = known_languages(languages)
        directory = pathlib.Path(directory)
        if not directory.is_dir():
            raise CatalogError(f"{directory}:0: the intent catalogue directory does not exist")
        spelling = SpellingTable()
        settings = CatalogSettings()
        intents: dict[str, IntentSpec] = {}
        origins: dict[str, str] = {}
        errors: list[str] = []
        for path in sorted(directory.glob("*.yaml")):
            problems = Problems(str(path))
            text = _read(path)
            if path.name == SPELLING_FILE:
                spelling = parse_spelling(str(path), text, problems, known)
            elif path.name == SETTINGS_FILE:
                settings = parse_settings(str(path), text, problems)
            elif path.name.startswith("_"):
                problems.add(1, f"unknown special file (known: {SPELLING_FILE}, {SETTINGS_FILE})")
            else:
                spec = parse_intent(str(path), text, problems, known)
                if spec is not None and spec.id in intents:
                    problems.add(1, f"id {spec.id!r} is already used by {origins[spec.id]}")
                elif spec is not None:
                    intents[spec.id] = spec
                    origins[spec.id] = str(path)
            errors.extend(problems.items)
        if not errors:
            errors.extend(_keyword_clashes(intents, spelling, origins))
        if errors:
            raise CatalogError("\n".join(errors))
        if not intents:
            raise CatalogError(f"{directory}:0: no intent files (*.yaml) found")
        return cls(intents=intents, spelling=spelling, settings=settings, languages=known)

    def with_examples(self, extra: Iterable[tuple[str, str, str]]) -> IntentCatalog:
        """A copy with (intent_id, language, text) examples added, e.g. by staff at run time."""
        added: dict[str, dict[str, list[str]]] = {}
        for intent_id, language, text in extra:
            if intent_id not in self.intents:
                raise CatalogError(f"example {text!r}: unknown intent {intent_id!r}")
            if language not in self.languages:
                raise CatalogError(
                    f"example {text!r}: unknown language {language!r} (use {', '.join(self.languages)})")
            if not fold(text):
                raise CatalogError(f"example {text!r}: has no letters or digits")
            added.setdefault(intent_id, {}).setdefault(language, []).append(text.strip())
        intents = dict(self.intents)
        for intent_id, by_language in added.items():
            spec = intents[intent_id]
            examples = dict(spec.examples)
            for language, texts in by_language.items():
                current = examples.get(language, ())
                examples[language] = current + tuple(t for t in dict.fromkeys(texts) if t not in current)
            intents[intent_id] = replace(spec, examples=examples)
        return replace(self, intents=intents)

    def to_yaml(self, intent_id: str) -> str:
        """The YAML file text for one intent (for export); it validates and loads back the same."""
        spec = self.intents[intent_id]
        document: dict[str, object] = {"spec_version": 1, "id": spec.id, "action": spec.action}
        if spec.description:
            document["description"] = spec.description
        if spec.labels:
            document["label"] = {lang: spec.labels[lang] for lang in self.languages if lang in spec.labels}
        document["examples"] = {
            lang: list(spec.examples[lang]) for lang in self.languages if spec.examples.get(lang)
        }
        if any(spec.keywords.values()):
            document["keywords"] = {
                lang: list(spec.keywords[lang]) for lang in self.languages if spec.keywords.get(lang)
            }
        return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=110)


def _keyword_clashes(intents: dict[str, IntentSpec], spelling: SpellingTable, origins: dict[str, str]) -> list[str]:
    """A keyword that means two intents would make exact matching a coin toss."""
    normaliser = Normaliser(spelling)
    owner: dict[str, str] = {}
    errors: list[str] = []
    for spec in intents.values():
        for words in spec.keywords.values():
            for word in words:
                key = normaliser.normalise(word)
                other = owner.setdefault(key, spec.id)
                if other != spec.id:
                    errors.append(f"{origins[spec.id]}:1: keyword {word!r} is also a keyword of {other}")
    return errors
