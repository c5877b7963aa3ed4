"""The guide model: a guide is a small graph of steps, every text in every active language side by side."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.content_base.languages import shipped_languages

STEP_KINDS: tuple[str, ...] = ("step", "check", "answer")
FLOWS: tuple[str, ...] = ("digipunt", "handoff", "menu")
DONE = "done"
CHECK_YES, CHECK_NO = "yes", "no"

StepKind = Literal["step", "check", "answer"]
Texts = dict[str, str]


def pick(texts: Texts, language: str) -> str:
    """The text in `language`, falling back to the source language (then to any text there is)."""
    return texts.get(language) or texts.get(shipped_languages().source) or next(iter(texts.values()), "")


def is_step_target(target: str) -> bool:
    """True when a target names a step of the same guide (not done, guide:..., flow:...)."""
    return target != DONE and ":" not in target


@dataclass(frozen=True)
class StepOption:
    """One numbered choice of a step; `target` is a step id, guide:<id>, flow:<name> or done.

    `synonyms` are free words or phrases per language that also pick it ("nokia met knopjes", "galaxy").
    """

    key: str
    label: Texts
    target: str
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Step:
    """One message of a guide. kind "step" and "check" are numbered ("Stap 2 van 6"); "answer" is not.

    A "check" step asks whether it worked: yes ends the guide as worked, no as failed (handoff).
    `trouble` is the same step said more simply (shown when the resident says it does not work).
    `line` is the YAML line of the step; `lines` maps "text.nl", "next", "options.1.target"... to lines.
    """

    id: str
    text: Texts
    next: str | None = None
    options: tuple[StepOption, ...] = ()
    kind: StepKind = "step"
    image_url: str | None = None
    trouble: Texts = field(default_factory=dict)
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def numbered(self) -> bool:
        return self.kind != "answer"

    def targets(self) -> tuple[str, ...]:
        """Where this step can lead (the check step's implied yes/no are not targets)."""
        if self.next is not None:
            return (self.next,)
        return tuple(option.target for option in self.options)


@dataclass(frozen=True)
class Guide:
    """A guide: id (slug), title, the intents that start it, its steps and the first step."""

    id: str
    spec_version: int
    title: Texts
    intents: tuple[str, ...]
    steps: dict[str, Step]
    first: str
    source_file: str
    line: int = 1

    def languages(self) -> tuple[str, ...]:
        """The languages every text of this guide has (in the order of its title)."""
        texts = [self.title, *(step.text for step in self.steps.values())]
        texts += [option.label for step in self.steps.values() for option in step.options]
        return tuple(lang for lang in self.title if all(t.get(lang) for t in texts))


@dataclass(frozen=True)
class Frame:
    """The phrases around every step: progress prefix, hints, yes/no labels (from _frame.yaml)."""

    progress: Texts
    hint_next: Texts
    hint_more: Texts
    hint_check: Texts
    choose_hint: Texts
    yes: Texts
    no: Texts
    source_file: str = ""


@dataclass
class GuideBook:
    """All loaded guides plus the frame phrases, with lookup by id and by intent."""

    guides: dict[str, Guide]
    frame: Frame
    directory: Path | None = None

    def get(self, id: str) -> Guide | None:
        """The guide with this id; "guide:<id>" is accepted too."""
        return self.guides.get(id.removeprefix("guide:"))

