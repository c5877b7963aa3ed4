"""digibuur's own sentences, menus and global words, loaded from per-language YAML and validated."""

from __future__ import annotations

import string
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.content.sms_budget import budget_problems
from bot.content_base.languages import LanguageList, load_languages
from bot.content_base.yamlio import ContentError, line_index, load_yaml_file
from bot.fold import fold
from bot.messages import Reply


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
    languages: tuple[str, ...] = ()


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
    language_list: LanguageList | None = None
    offered: tuple[str, ...] | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages offered to residents: the active ones (minus drafts when the deployment says so)."""
        return self.offered if self.offered is not None else self.deployment.languages

    @property
    def catalogue(self) -> LanguageList:
        """The whole language list (names, scripts, SMS policies), also for languages not offered."""
        if self.language_list is None:
            raise ContentError("no language list loaded")
        return self.language_list

    def sms_spelling(self, language: str) -> tuple[tuple[str, str], ...]:
        """Letters the language replaces when a text is sent by SMS (Turkish ş -> s ...)."""
        return self.language_list.sms(language).spelling if self.language_list is not None else ()

    def sms_max_segments(self, language: str) -> int:
        """The SMS budget of one message in this language (segments)."""
        return self.language_list.sms(language).max_segments if self.language_list is not None else 2

    def stamp(self, reply: Reply, language: str) -> Reply:
        """The reply marked as written in `language`: its code, SMS spelling and SMS budget travel with it."""
        return replace(reply, language=language, sms_spelling=self.sms_spelling(language),
                       sms_max_segments=self.sms_max_segments(language))

    def reply(self, language: str, text: str) -> Reply:
        """A plain reply in `language`."""
        return self.stamp(Reply(text=text), language)

    def get(self, language: str, key: str, **values: Any) -> str:
        table = self.sentences.get(language) or self.sentences[self.deployment.default_language]
        template = table.get(key)
        if template is None:
            template = self.sentences[self.deployment.default_language][key]
        values.setdefault("city", self.deployment.city)
        return template.format(**values)

    @classmethod
    def load(cls, directory: Path) -> Texts:
        catalogue = load_languages(directory)
        deployment_path = directory / "_deployment.yaml"
        deployment_raw = load_yaml_file(deployment_path)
        if "languages" in deployment_raw:
            line = line_index(deployment_path.read_text(encoding="utf-8")).get(("languages",), 1)
            raise ContentError(f"{deployment_path}:{line}: languages are listed in _languages.yaml, not here")
        deployment = Deployment(
            city=str(deployment_raw["city"]),
            phone_region=str(deployment_raw.get("phone_region", "BE")),
            timezone=str(deployment_raw.get("timezone", "Europe/Brussels")),
            default_language=catalogue.source,
            languages=catalogue.active,
        )
        sentences, problems = read_sentences(directory, catalogue)
        if problems:
            raise ContentError("\n".join(problems))
        menus = _menus(directory / "_menu.yaml", catalogue)
        words_path = directory / "_keywords.yaml"
        words_raw = load_yaml_file(words_path)
        keywords = _word_lists(words_raw.get("keywords"), "keywords")
        names = _word_lists(words_raw.get("language_names"), "language_names")
        unknown = [code for code in names if code not in catalogue.codes]
        if unknown:
            lines = line_index(words_path.read_text(encoding="utf-8"))
            raise ContentError("\n".join(
                f"{words_path}:{lines.get(('language_names', code), 1)}: language_names.{code}: not a language "
                f"of _languages.yaml" for code in unknown))
        merged = {
            language.code: tuple(dict.fromkeys(
                [fold(word) for word in (*language.switch, *names.get(language.code, ())) if fold(word)]))
            for language in catalogue.languages
        }
        return cls(sentences=sentences, menus=menus, keywords=keywords, language_names=merged,
                   deployment=deployment, language_list=catalogue)


def _menus(path: Path, catalogue: LanguageList) -> dict[str, Menu]:
    """The menus; every item needs a label in every active language (file and line when one is missing)."""
    menus_raw = load_yaml_file(path)["menus"]
    lines = line_index(path.read_text(encoding="utf-8"))
    menus: dict[str, Menu] = {}
    problems: list[str] = []
    for name, body in menus_raw.items():
        items = tuple(
            MenuItem(action=str(item["action"]), label={k: str(v) for k, v in item["label"].items()})
            for item in body["items"]
        )
        for position, item in enumerate(items):
            where = ("menus", name, "items", position, "label")
            for language in catalogue.active:
                if not item.label.get(language, "").strip():
                    problems.append(f"{path}:{lines.get(where, 1)}: menu {name}: {item.action} has no label in "
                                    f"{language} (missing translation)")
            for language in item.label:
                if language not in catalogue.codes:
                    problems.append(f"{path}:{lines.get((*where, language), 1)}: menu {name}: unknown language "
                                    f"{language!r}")
        menus[str(name)] = Menu(name=str(name), prompt=str(body["prompt"]), items=items)
    if problems:
        raise ContentError("\n".join(problems))
    return menus


def read_sentences(directory: Path, catalogue: LanguageList) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Every language file that exists (all active ones must), checked against the source language.

    A problem names the file and line: a missing or empty translation, other placeholders, a key the source
    does not have, a text over the language's SMS budget (counted as sent, after its SMS spelling).
    """
    sentences: dict[str, dict[str, str]] = {}
    line_maps: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    for language in catalogue.codes:
        path = directory / f"{language}.yaml"
        if not path.is_file():
            if language in catalogue.active:
                problems.append(f"{path}:1: missing file: {language} is active in _languages.yaml")
            continue
        raw = load_yaml_file(path)
        lines = line_index(path.read_text(encoding="utf-8"))
        line_maps[language] = {str(key[0]): line for key, line in lines.items() if len(key) == 1}
        table: dict[str, str] = {}
        for key, value in raw.items():
            if key == "spec_version":
                continue
            if not isinstance(value, str):
                problems.append(f"{path}:{lines.get((str(key),), 1)}: {key}: {value!r} is not text; put it in quotes")
                continue
            table[str(key)] = value
        sentences[language] = table
    if catalogue.source not in sentences:
        return sentences, problems
    problems += check_sentences(sentences, catalogue.source, line_maps, str(directory))
    for language, table in sentences.items():
        policy = catalogue.sms(language)
        for key, text in table.items():
            for reason in budget_problems(text, policy):
                line = line_maps.get(language, {}).get(key, 1)
                problems.append(f"{directory / f'{language}.yaml'}:{line}: {key}: {reason}")
    return sentences, problems


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


def check_sentences(
    sentences: dict[str, dict[str, str]],
    reference: str,
    line_maps: dict[str, dict[str, int]] | None = None,
    directory: str = "",
) -> list[str]:
    """Every language has every key of the reference language (not empty), with the same placeholders.

    Problems read 'file:line: reason'; a missing key is reported at the line after the key that precedes it
    in the reference order (where it belongs).
    """
    problems: list[str] = []
    base = sentences[reference]
    maps = line_maps or {}
    prefix = f"{directory}/" if directory else ""
    for language, table in sentences.items():
        lines = maps.get(language, {})
        where = f"{prefix}{language}.yaml"
        previous_line = 1
        for key, text in base.items():
            if key in table and lines.get(key):
                previous_line = lines[key]
            if key not in table or not table[key].strip():
                line = lines.get(key, previous_line + 1 if key not in table else previous_line)
                source_line = maps.get(reference, {}).get(key)
                source = f"{reference}.yaml:{source_line}" if source_line else f"{reference}.yaml"
                problems.append(f"{where}:{line}: {key}: missing translation (see {source})")
            elif _placeholders(table[key]) != _placeholders(text):
                problems.append(
                    f"{where}:{lines.get(key, 1)}: {key}: placeholders {sorted(_placeholders(table[key]))} "
                    f"differ from {reference}.yaml {sorted(_placeholders(text))}"
                )
        for key in table:
            if key not in base:
                problems.append(f"{where}:{lines.get(key, 1)}: key {key!r} is not in {reference}.yaml")
    return problems

