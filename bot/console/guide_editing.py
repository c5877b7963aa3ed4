"""Guide editing for the console: step fields with their SMS frame, step-text edits to YAML, channel previews."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from bot.content_base.languages import LanguageList
from bot.content_base.yamlio import compose_yaml, load_yaml
from bot.messages import Option, Reply
from bot.render import render
from guides.model import Frame, Guide, Step
from guides.problems import Problem
from guides.validate import check_guide_text, parse_and_check
from guides.view import compose, sms_body

CHANNELS = ("sms", "whatsapp", "telegram")
_MARK = "\u0007"


class GuideEditError(ValueError):
    """The edit cannot be applied to the YAML (for example the file no longer has that step)."""


@dataclass(frozen=True)
class TextField:
    """One editable step text in one language, with the frame text around it as sent by SMS."""

    name: str
    language: str
    value: str
    sms_before: str
    sms_after: str
    sms_max: int = 2
    sms_spelling: str = "{}"
    sms_encoding: str = "gsm7"
    direction: str = "ltr"


@dataclass(frozen=True)
class StepRow:
    id: str
    kind: str
    fields: tuple[TextField, ...]


@dataclass(frozen=True)
class ChannelView:
    channel: str
    text: str
    buttons: tuple[str, ...]
    segments: int
    encoding: str


def guide_key(guide_id: str) -> str:
    return f"{guide_id}.yaml"


def field_name(step_id: str, language: str) -> str:
    return f"text__{step_id}__{language}"


def _position(guide: Guide) -> tuple[int, int]:
    """The widest progress ("Stap 6 van 6") a step can show: digits count towards the SMS length."""
    numbered = sum(1 for step in guide.steps.values() if step.numbered)
    return numbered, numbered


def sms_frame(frame: Frame, step: Step, language: str, position: tuple[int, int]) -> tuple[str, str]:
    """The SMS text before and after the step text (progress prefix; hint or numbered options after)."""
    marked = replace(step, text={**step.text, language: _MARK})
    body = sms_body(compose(frame, marked, language, *position))
    before, _, after = body.partition(_MARK)
    return before, after


def shown_languages(languages: LanguageList, chosen: str) -> tuple[str, ...]:
    """The source language beside one chosen language (only the source when that is the one chosen)."""
    return (languages.source,) if chosen == languages.source else (languages.source, chosen)


def step_rows(guide: Guide, frame: Frame, languages: LanguageList, shown: tuple[str, ...]) -> list[StepRow]:
    """Per step: an editable field for each shown language, with its SMS frame, budget and spelling for the lint."""
    position = _position(guide)
    rows = []
    for step in guide.steps.values():
        fields = []
        for language in shown:
            before, after = sms_frame(frame, step, language, position)
            policy = languages.sms(language)
            found = languages.get(language)
            fields.append(
                TextField(
                    field_name(step.id, language),
                    language,
                    step.text.get(language, ""),
                    before,
                    after,
                    sms_max=policy.max_segments,
                    sms_spelling=json.dumps(dict(policy.spelling), ensure_ascii=False),
                    sms_encoding=policy.encoding,
                    direction=found.direction if found else "ltr",
                )
            )
        rows.append(StepRow(step.id, step.kind, tuple(fields)))
    return rows


def completeness(guide: Guide, languages: LanguageList) -> list[tuple[str, str, int, int, bool]]:
    """Per known language: (code, own name, texts present, texts in all, active) over title, steps, options."""
    texts = [guide.title, *(step.text for step in guide.steps.values())]
    texts += [option.label for step in guide.steps.values() for option in step.options]
    return [
        (lang.code, lang.name, sum(1 for t in texts if t.get(lang.code, "").strip()), len(texts), lang.active)
        for lang in languages.languages
    ]


def previews(guide: Guide, frame: Frame, language: str, languages: LanguageList) -> dict[str, list[ChannelView]]:
    """How every step shows on SMS, WhatsApp and Telegram (options numbered; SMS spelled and in GSM-7)."""
    position = _position(guide)
    shown: dict[str, list[ChannelView]] = {}
    for step in guide.steps.values():
        view = compose(frame, step, language, *position)
        reply = Reply(
            text=view.text,
            footer=view.footer or None,
            options=tuple(Option(key=str(n), label=label) for n, (_, label) in enumerate(view.options, start=1)),
            language=language,
            sms_spelling=languages.sms(language).spelling,
        )
        views = []
        for channel in CHANNELS:
            rendered = render(reply, channel)
            buttons = tuple(o.label for o in rendered.options) if channel == "telegram" else ()
            views.append(ChannelView(channel, rendered.text, buttons, rendered.segments, rendered.encoding))
        shown[step.id] = views
    return shown


def _clean_text(raw: str) -> str:
    """Browser line endings to \\n; a one-line text has its runs of spaces folded."""
    text = raw.replace("\r\n", "\n").strip()
    return text if "\n" in text else " ".join(text.split())


def _text_nodes(yaml_text: str) -> dict[tuple[str, str], ScalarNode]:
    """(step id, language) -> the scalar node of that step text in the composed YAML."""
    root = compose_yaml(yaml_text)
    found: dict[tuple[str, str], ScalarNode] = {}
    if not isinstance(root, MappingNode):
        return found
    steps = next((v for k, v in root.value if isinstance(k, ScalarNode) and k.value == "steps"), None)
    if not isinstance(steps, SequenceNode):
        return found
    for step in steps.value:
        if not isinstance(step, MappingNode):
            continue
        fields = {k.value: v for k, v in step.value if isinstance(k, ScalarNode)}
        step_id, texts = fields.get("id"), fields.get("text")
        if isinstance(step_id, ScalarNode) and isinstance(texts, MappingNode):
            for key, value in texts.value:
                if isinstance(key, ScalarNode) and isinstance(value, ScalarNode):
                    found[(str(step_id.value), str(key.value))] = value
    return found


def _splice(yaml_text: str, edits: dict[tuple[str, str], str]) -> str | None:
    """Replace only the edited scalars in the source text (comments and layout stay); None if not possible."""
    nodes = _text_nodes(yaml_text)
    if any(key not in nodes for key in edits):
        return None
    result = yaml_text
    for key in sorted(edits, key=lambda k: nodes[k].start_mark.index, reverse=True):
        node = nodes[key]
        start, end = node.start_mark.index, node.end_mark.index
        original = result[start:end]
        trailing = original[len(original.rstrip()) :]
        result = result[:start] + json.dumps(edits[key], ensure_ascii=False) + trailing + result[end:]
    return result


def apply_step_texts(yaml_text: str, edits: Mapping[tuple[str, str], str]) -> str:
    """The guide YAML with step texts replaced; (step id, language) -> text.

    Changed texts are spliced into the source as double-quoted scalars, so comments and layout stay; when a
    text is new (no such language yet) the file is rewritten from its data (comments are then lost).
    """
    data: Any = load_yaml(yaml_text)
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise GuideEditError("het bestand van dit stappenplan heeft geen lijst met stappen; bewerk het als YAML")
    by_id = {str(step.get("id")): step for step in data["steps"] if isinstance(step, dict)}
    changed: dict[tuple[str, str], str] = {}
    for (step_id, language), new_text in edits.items():
        step = by_id.get(step_id)
        if step is None:
            raise GuideEditError(f"stap '{step_id}' staat niet meer in het stappenplan; laad de pagina opnieuw")
        raw_texts = step.get("text")
        texts: dict[str, Any] = raw_texts if isinstance(raw_texts, dict) else {}
        cleaned = _clean_text(new_text)
        if str(texts.get(language, "")) != cleaned:
            changed[(step_id, language)] = cleaned
    if not changed:
        return yaml_text
    if all(changed.values()):
        spliced = _splice(yaml_text, changed)
        if spliced is not None:
            return spliced
    for (step_id, language), cleaned in changed.items():
        step = by_id[step_id]
        texts = dict(step.get("text") or {})
        if cleaned:
            texts[language] = cleaned
        else:
            texts.pop(language, None)
        step["text"] = texts
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100))


def guide_problems(
    guide_id: str, text: str, frame: Frame, known: Collection[str], languages: LanguageList | None = None
) -> list[Problem]:
    """Every problem the CI validator finds, plus: the file must still hold the guide it is named after."""
    filename = guide_key(guide_id)
    problems = check_guide_text(filename, text, frame, set(known) | {guide_id}, languages)
    if not any(p.level == "error" for p in problems):
        guide, _ = parse_and_check(filename, text, frame, set(known) | {guide_id}, languages)
        if guide is not None and guide.id != guide_id:
            problems.append(
                Problem(
                    "error",
                    filename,
                    guide.line,
                    guide.id,
                    None,
                    None,
                    f"de id moet '{guide_id}' blijven (dit bestand heet {filename})",
                )
            )
    return problems


def parse_for_preview(
    guide_id: str, text: str, frame: Frame, known: Collection[str], languages: LanguageList | None = None
) -> Guide | None:
    guide, _ = parse_and_check(guide_key(guide_id), text, frame, set(known) | {guide_id}, languages)
    return guide
