"""Walking through a guide with pure functions: start, show, advance, back; the cursor is plain JSON."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from guides.loader import GuideBook
from guides.model import CHECK_NO, CHECK_YES, DONE, Guide, is_step_target
from guides.view import StepView, compose, counted, progress

__all__ = ["Cursor", "InvalidChoice", "Outcome", "StepView", "advance", "back", "restore", "show", "start"]

OutcomeKind = Literal["worked", "failed", "done", "switch"]


class InvalidChoice(ValueError):
    """The choice is not one of the current step's options (the engine should ask again)."""


@dataclass(frozen=True)
class Cursor:
    """Where a resident is in a guide. `path` is every step taken, ending with `step_id`."""

    guide_id: str
    step_id: str
    path: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"guide_id": self.guide_id, "step_id": self.step_id, "path": list(self.path)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Cursor:
        guide_id, step_id, path = data.get("guide_id"), data.get("step_id"), data.get("path")
        if not isinstance(guide_id, str) or not isinstance(step_id, str) or not isinstance(path, list):
            raise ValueError(f"not a guide cursor: {data!r}")
        if not path or not all(isinstance(item, str) for item in path) or path[-1] != step_id:
            raise ValueError(f"guide cursor path must end with its step: {data!r}")
        return cls(guide_id, step_id, tuple(path))


@dataclass(frozen=True)
class Outcome:
    """How a guide ended: worked / failed (check step), done, or switch to `target` (guide:<id>, flow:...)."""

    kind: OutcomeKind
    target: str | None = None


def start(guide: Guide) -> Cursor:
    """The cursor at the guide's first step."""
    return Cursor(guide.id, guide.first, (guide.first,))


def restore(book: GuideBook, data: Mapping[str, object]) -> Cursor | None:
    """A saved cursor, or None when it is malformed or its guide or steps no longer exist."""
    try:
        cursor = Cursor.from_dict(data)
    except ValueError:
        return None
    guide = book.get(cursor.guide_id)
    if guide is None or not all(step_id in guide.steps for step_id in cursor.path):
        return None
    return cursor


def show(book: GuideBook, cursor: Cursor, language: str) -> StepView:
    """The current step as it should be sent (HERHAAL shows it again). KeyError if the guide or step is gone
    (use `restore` on saved cursors first)."""
    guide = book.get(cursor.guide_id)
    if guide is None:
        raise KeyError(f"unknown guide {cursor.guide_id!r}")
    number, total = progress(guide, cursor.path)
    step = guide.steps[cursor.step_id]
    return compose(book.frame, step, language, number, total, numbered=counted(guide, cursor.path))


def _go(cursor: Cursor, target: str) -> Cursor | Outcome:
    if target == DONE:
        return Outcome("done")
    if is_step_target(target):
        return Cursor(cursor.guide_id, target, (*cursor.path, target))
    return Outcome("switch", target)


def advance(guide: Guide, cursor: Cursor, choice: str | None) -> Cursor | Outcome:
    """Go on from the current step. `choice` None means "next"/"OK"; otherwise an option key or its number.

    A check step: None, "yes" or "1" -> Outcome("worked"); "no" or "2" -> Outcome("failed").
    Raises InvalidChoice when the choice does not fit the step.
    """
    step = guide.steps[cursor.step_id]
    if step.kind == "check":
        if choice in (None, CHECK_YES, "1"):
            return Outcome("worked")
        if choice in (CHECK_NO, "2"):
            return Outcome("failed")
        raise InvalidChoice(f"{choice!r} is not yes or no")
    if step.next is not None:
        if choice not in (None, "1"):
            raise InvalidChoice(f"step {step.id!r} has no options")
        return _go(cursor, step.next)
    if choice is None:
        raise InvalidChoice(f"step {step.id!r} needs a choice")
    for number, option in enumerate(step.options, start=1):
        if choice in (option.key, str(number)):
            return _go(cursor, option.target)
    raise InvalidChoice(f"{choice!r} is not an option of step {step.id!r}")


def back(guide: Guide, cursor: Cursor) -> Cursor:
    """One step back along the path taken; at the first step it stays there."""
    if len(cursor.path) <= 1:
        return cursor
    path = cursor.path[:-1]
    return Cursor(cursor.guide_id, path[-1], path)
