"""digibuur's own sentences, menus and global words, loaded from per-language YAML and validated."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.fold import fold
from bot.yamlio import ContentError, load_yaml_file


@dataclass(frozen=True)
class MenuItem:
    action: str
    label: dict[str, str]


@dataclass(frozen=True)
class Menu:
    name: str
    prompt: str
    items: tuple[MenuItem, ...]


@dataclass(frozen=True)
class Deployment:
    city: str
    phone_region: str
    timezone: str
    default_language: str
    languages: tuple[str, ...]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@dataclass(frozen=True)
class Texts:
    """Sentences per language, the menus, the global words and the deployment facts."""

    sentences: dict[str, dict[str, str]]
    menus: dict[str, Menu]
    keywords: dict[str, tuple[str, ...]]
    language_names: dict[str, tuple[str, ...]]
    deployment: Deployment

    @property
    def languages(self) -> tuple[str, ...]:
        return self.deployment.languages

    def get(self, language: str, key: str, **values: Any) -> str:
        table = self.sentences.get(language) or self.sentences[self.deployment.default_language]
        template = table.get(key)
        if template is None:
            template = self.sentences[self.deployment.default_language][key]
        values.setdefault("city", self.deployment.city)
        return template.format(**values)

    @classmethod
    def load(cls, directory: Path) -> Texts:
        deployment_raw = load_yaml_file(directory / "_deployment.yaml")
        deployment = Deployment(
            city=str(deployment_raw["city"]),
            phone_region=str(deployment_raw.get("phone_region", "BE")),
            timezone=str(deployment_raw.get("timezone", "Europe/Brussels")),
            default_language=str(deployment_raw.get("default_language", "nl")),
            languages=tuple(str(x) for x in deployment_raw.get("languages", ["nl", "en", "fr"])),
        )
        sentences: dict[str, dict[str, str]] = {}
        for language in deployment.languages:
            path = directory / f"{language}.yaml"
            raw = load_yaml_file(path)
            sentences[language] = {str(k): str(v) for k, v in raw.items() if k != "spec_version"}
        problems = check_sentences(sentences, deployment.default_language)
        if problems:
            raise ContentError("\n".join(problems))
        menus_raw = load_yaml_file(directory / "_menu.yaml")["menus"]
        menus: dict[str, Menu] = {}
        for name, body in menus_raw.items():
            items = tuple(
                MenuItem(action=str(item["action"]), label={k: str(v) for k, v in item["label"].items()})
                for item in body["items"]
            )
            for item in items:
                missing = [lang for lang in deployment.languages if lang not in item.label]
                if missing:
                    raise ContentError(f"_menu.yaml: menu {name}: {item.action} has no label in {missing}")
            menus[str(name)] = Menu(name=str(name), prompt=str(body["prompt"]), items=items)
        words_raw = load_yaml_file(directory / "_keywords.yaml")
        keywords = _word_lists(words_raw.get("keywords"), "keywords")
        names = _word_lists(words_raw.get("language_names"), "language_names")
        return cls(sentences=sentences, menus=menus, keywords=keywords, language_names=names, deployment=deployment)


def _word_lists(raw: Any, section: str) -> dict[str, tuple[str, ...]]:
    """Word lists must be strings: YAML reads unquoted yes/no/on/off as true/false, which would never match.

    Each word is folded like a message is (bot/fold.py), so words may be written in any script and spelling."""
    if not isinstance(raw, dict):
        raise ContentError(f"_keywords.yaml: '{section}' must be a mapping of name -> list of words")
    result: dict[str, tuple[str, ...]] = {}
    for name, words in raw.items():
        if not isinstance(name, str):
            raise ContentError(f"_keywords.yaml: {section}: the name {name!r} is not text; put it in quotes")
        if not isinstance(words, list):
            raise ContentError(f"_keywords.yaml: {section}.{name} must be a list of words")
        for word in words:
            if not isinstance(word, str):
                raise ContentError(f"_keywords.yaml: {section}.{name}: {word!r} is not text; put it in quotes")
        result[name] = tuple(dict.fromkeys(folded for folded in map(fold, words) if folded))
    return result


def check_sentences(sentences: dict[str, dict[str, str]], reference: str) -> list[str]:
    """Every language has every key of the reference language, with the same placeholders."""
    problems: list[str] = []
    base = sentences[reference]
    for language, table in sentences.items():
        for key, text in base.items():
            if key not in table:
                problems.append(f"{language}.yaml: missing key {key!r} (present in {reference}.yaml)")
            elif _placeholders(table[key]) != _placeholders(text):
                problems.append(
                    f"{language}.yaml: {key}: placeholders {sorted(_placeholders(table[key]))} "
                    f"differ from {reference}.yaml {sorted(_placeholders(text))}"
                )
        for key in table:
            if key not in base:
                problems.append(f"{language}.yaml: key {key!r} is not in {reference}.yaml")
    return problems


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
