"""Turn a guide file (or _frame.yaml) into model objects, reporting schema errors with their YAML line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import cast

from bot.content_base.languages import LanguageList, shipped_languages
from guides.model import STEP_KINDS, Frame, Guide, Step, StepKind, StepOption, Texts
from guides.problems import Level, Problem
from guides.yamltree import Located, read_yaml

SPEC_VERSIONS = ("1",)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GUIDE_KEYS = ("id", "spec_version", "title", "intents", "first", "steps")
STEP_KEYS = ("id", "kind", "text", "trouble", "next", "options", "image")
OPTION_KEYS = ("key", "label", "target", "synonyms")
FRAME_PHRASES = ("progress", "hint_next", "hint_more", "hint_check", "choose_hint", "yes", "no")
FRAME_NAME = "_frame"


@dataclass
class Report:
    """Collects the problems of one file."""

    file: str
    guide: str
    problems: list[Problem] = field(default_factory=list)
    languages: LanguageList = field(default_factory=shipped_languages)

    def add(
        self, level: Level, line: int, message: str, step: str | None = None, language: str | None = None
    ) -> None:
        self.problems.append(Problem(level, self.file, line, self.guide, step, language, message))

    def error(self, line: int, message: str, step: str | None = None, language: str | None = None) -> None:
        self.add("error", line, message, step, language)


def _unknown_keys(
    report: Report, node: dict[str, Located], allowed: tuple[str, ...], step: str | None
) -> None:
    for key, value in node.items():
        if key not in allowed:
            report.error(value.line, f"unknown key '{key}' (allowed: {', '.join(allowed)})", step)


def _texts(
    report: Report,
    node: Located | None,
    where: str,
    line: int,
    lines: dict[str, int],
    step: str | None = None,
) -> Texts:
    """A mapping of languages to texts; a missing or empty active language is an error, and so is a language
    that is not in the language list. Known languages that are not active are kept when present."""
    known, active = report.languages.codes, report.languages.active
    if node is None:
        report.error(line, f"'{where}' is missing", step)
        return {}
    mapping = node.mapping()
    if mapping is None:
        report.error(node.line, f"'{where}' must have a line for each language: {', '.join(active)}", step)
        return {}
    texts: Texts = {}
    for lang, value in mapping.items():
        if lang not in known:
            hint = " (a comma inside {...} cuts the text: put the text in quotes)" if " " in lang else ""
            report.error(value.line, f"'{where}': unknown language '{lang}'{hint}", step, lang)
    for lang in known:
        entry = mapping.get(lang)
        text = entry.text() if entry is not None else None
        if entry is None or text is None or not text.strip():
            if lang in active:
                report.error(entry.line if entry else node.line, f"'{where}': missing translation", step, lang)
            continue
        texts[lang] = text.strip()
        lines[f"{where}.{lang}"] = entry.line
    return texts


def _synonyms(report: Report, node: Located | None, where: str, step: str) -> dict[str, tuple[str, ...]]:
    """An optional {language: [word or phrase, ...]} mapping; languages may be left out."""
    if node is None:
        return {}
    mapping = node.mapping()
    if mapping is None:
        report.error(node.line, f"'{where}' must map languages to lists of words or phrases", step)
        return {}
    result: dict[str, tuple[str, ...]] = {}
    for lang, value in mapping.items():
        if lang not in report.languages.codes:
            report.error(value.line, f"'{where}': unknown language '{lang}'", step, lang)
            continue
        items = value.items()
        words = [item.text() for item in items or []]
        if items is None or not words or any(word is None or not word.strip() for word in words):
            report.error(value.line, f"'{where}.{lang}' must be a list of words or phrases", step, lang)
            continue
        result[lang] = tuple(word.strip() for word in words if word is not None)
    return result


def _target(report: Report, node: Located | None, where: str, line: int, step: str) -> str | None:
    text = node.text() if node is not None else None
    if text is None or not text.strip():
        report.error(
            node.line if node else line, f"'{where}' must name a step, guide:<id>, flow:<name> or done", step
        )
        return None
    return text.strip()


def _option(
    report: Report, node: Located, position: int, step_id: str, lines: dict[str, int]
) -> StepOption | None:
    mapping = node.mapping()
    if mapping is None:
        report.error(node.line, "an option needs 'label' and 'target'", step_id)
        return None
    _unknown_keys(report, mapping, OPTION_KEYS, step_id)
    where = f"options.{position}"
    label = _texts(report, mapping.get("label"), f"{where}.label", node.line, lines, step_id)
    target = _target(report, mapping.get("target"), f"{where}.target", node.line, step_id)
    if "target" in mapping:
        lines[f"{where}.target"] = mapping["target"].line
    key_node = mapping.get("key")
    key = key_node.text() if key_node is not None else str(position)
    if key is None or not SLUG.match(key) or (key.isdigit() and key != str(position)):
        line = key_node.line if key_node else node.line
        report.error(
            line, f"option key '{key}' must be a short word (a-z, 0-9, -) or its own number", step_id
        )
        return None
    synonyms = _synonyms(report, mapping.get("synonyms"), f"{where}.synonyms", step_id)
    if target is None:
        return None
    return StepOption(key=key, label=label, target=target, synonyms=synonyms)


def _step(report: Report, node: Located) -> Step | None:
    mapping = node.mapping()
    if mapping is None:
        report.error(node.line, "a step must have 'id' and 'text'")
        return None
    id_node = mapping.get("id")
    step_id = id_node.text() if id_node is not None else None
    if step_id is None or not SLUG.match(step_id):
        report.error(
            id_node.line if id_node else node.line, f"step id '{step_id}' must be a slug like 'open-settings'"
        )
        return None
    _unknown_keys(report, mapping, STEP_KEYS, step_id)
    lines: dict[str, int] = {}
    text = _texts(report, mapping.get("text"), "text", node.line, lines, step_id)
    trouble_node = mapping.get("trouble")
    trouble = _texts(report, trouble_node, "trouble", node.line, lines, step_id) if trouble_node else {}
    kind_node = mapping.get("kind")
    kind = (kind_node.text() if kind_node is not None else None) or "step"
    if kind not in STEP_KINDS:
        report.error(
            kind_node.line if kind_node else node.line,
            f"kind must be one of {', '.join(STEP_KINDS)}",
            step_id,
        )
        kind = "step"
    next_target = None
    if "next" in mapping:
        next_target = _target(report, mapping["next"], "next", node.line, step_id)
        lines["next"] = mapping["next"].line
    options: list[StepOption] = []
    options_node = mapping.get("options")
    if options_node is not None:
        items = options_node.items()
        if items is None or not items:
            report.error(options_node.line, "'options' must be a list of choices", step_id)
        else:
            if len(items) > 9:
                report.error(options_node.line, "at most 9 options (one digit each)", step_id)
            for position, item in enumerate(items, start=1):
                option = _option(report, item, position, step_id, lines)
                if option is not None:
                    options.append(option)
            keys = [option.key for option in options]
            for key in sorted({k for k in keys if keys.count(k) > 1}):
                report.error(options_node.line, f"option key '{key}' is used twice", step_id)
    image = mapping.get("image")
    image_url = image.text() if image is not None else None
    if image is not None and (image_url is None or not image_url.startswith("https://")):
        report.error(image.line, "image must be an https:// address", step_id)
        image_url = None
    if kind == "check" and (next_target is not None or options_node is not None):
        report.error(
            node.line, "a check step ends the guide: no 'next' or 'options' (yes/no are implied)", step_id
        )
    elif kind != "check" and next_target is None and options_node is None:
        report.error(node.line, "dead end: give 'next', 'options', or make it 'kind: check'", step_id)
    elif next_target is not None and options_node is not None:
        report.error(node.line, "a step has either 'next' or 'options', not both", step_id)
    return Step(
        id=step_id,
        text=text,
        next=next_target,
        options=tuple(options),
        kind=cast(StepKind, kind),
        image_url=image_url,
        trouble=trouble,
        line=node.line,
        lines=lines,
    )


def _intents(report: Report, node: Located | None, line: int) -> tuple[str, ...]:
    items = node.items() if node is not None else None
    if node is None or (items is None and node.value is not None):
        report.error(node.line if node else line, "'intents' must be a list of intent ids (may be empty: [])")
        return ()
    result = []
    for item in items or []:
        intent = item.text()
        if intent is None or not intent.strip():
            report.error(item.line, "an intent id must be text")
        else:
            result.append(intent.strip())
    return tuple(result)


def _spec_version(report: Report, mapping: dict[str, Located], line: int) -> int:
    node = mapping.get("spec_version")
    value = node.text() if node is not None else None
    if value is None or value not in SPEC_VERSIONS:
        report.error(node.line if node else line, f"spec_version must be one of {', '.join(SPEC_VERSIONS)}")
        return 1
    return int(value)


def parse_guide(
    filename: str, text: str, languages: LanguageList | None = None
) -> tuple[Guide | None, list[Problem]]:
    """The guide in one file's text (None when it cannot be built) and every schema problem."""
    stem = filename.rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml")
    report = Report(filename, stem, languages=languages or shipped_languages())
    tree, issues = read_yaml(text)
    for issue in issues:
        report.error(issue.line, issue.message)
    mapping = tree.mapping() if tree is not None else None
    if tree is None or mapping is None:
        if tree is not None:
            report.error(tree.line, "a guide file must be a mapping with id, title, intents and steps")
        return None, report.problems
    id_node = mapping.get("id")
    guide_id = id_node.text() if id_node is not None else None
    if guide_id is None or not SLUG.match(guide_id):
        report.error(id_node.line if id_node else 1, f"guide id '{guide_id}' must be a slug like 'hotspot'")
        return None, report.problems
    report.guide = guide_id
    if guide_id != stem:
        report.add("warning", id_node.line if id_node else 1, f"file name should be {guide_id}.yaml")
    _unknown_keys(report, mapping, GUIDE_KEYS, None)
    spec_version = _spec_version(report, mapping, 1)
    title = _texts(report, mapping.get("title"), "title", 1, {})
    intents = _intents(report, mapping.get("intents"), 1)
    steps: dict[str, Step] = {}
    steps_node = mapping.get("steps")
    items = steps_node.items() if steps_node is not None else None
    if not items:
        report.error(steps_node.line if steps_node else 1, "'steps' must be a list with at least one step")
        return None, report.problems
    for item in items:
        step = _step(report, item)
        if step is None:
            continue
        if step.id in steps:
            report.error(step.line, f"step id '{step.id}' is used twice", step.id)
            continue
        steps[step.id] = step
    if not steps:
        return None, report.problems
    first_node = mapping.get("first")
    first = (first_node.text() if first_node is not None else None) or next(iter(steps))
    if first not in steps:
        report.error(
            first_node.line if first_node else 1, f"'first' names step '{first}', which does not exist"
        )
        return None, report.problems
    guide = Guide(guide_id, spec_version, title, intents, steps, first, filename, tree.line)
    return guide, report.problems


def parse_frame(
    filename: str, text: str, languages: LanguageList | None = None
) -> tuple[Frame | None, list[Problem]]:
    """The frame phrases from _frame.yaml, and every problem with them."""
    report = Report(filename, FRAME_NAME, languages=languages or shipped_languages())
    tree, issues = read_yaml(text)
    for issue in issues:
        report.error(issue.line, issue.message)
    mapping = tree.mapping() if tree is not None else None
    if mapping is None:
        report.error(tree.line if tree else 1, "the frame file must be a mapping of phrases")
        return None, report.problems
    _unknown_keys(report, mapping, ("spec_version", *FRAME_PHRASES), None)
    _spec_version(report, mapping, 1)
    phrases = {name: _texts(report, mapping.get(name), name, 1, {}) for name in FRAME_PHRASES}
    for lang, progress in phrases["progress"].items():
        try:
            filled = progress.format(number=2, total=6)
        except (KeyError, IndexError, ValueError):
            filled = ""
        if not filled or "{number}" not in progress or "{total}" not in progress:
            line = mapping["progress"].line
            report.error(line, "progress must contain {number} and {total} and no other braces", None, lang)
    if any(problem.level == "error" for problem in report.problems):
        return None, report.problems
    return Frame(**phrases, source_file=filename), report.problems
