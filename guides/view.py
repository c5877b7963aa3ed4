"""What one step looks like when sent: progress prefix, text, hint, options; and the SMS body as sent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from guides.model import CHECK_NO, CHECK_YES, Frame, Guide, Step, is_step_target, pick


@dataclass(frozen=True)
class StepView:
    """A step ready to send. `text` has the progress prefix and hint; options are NOT in the text.

    `footer` (e.g. "Stuur een nummer.") goes after the options, if the channel shows one.
    """

    text: str
    options: tuple[tuple[str, str], ...]
    number: int
    total: int
    kind: str
    image_url: str | None
    footer: str | None = None


def default_next(step: Step) -> str | None:
    """The step that usually follows: `next`, or the first option that leads to a step of this guide."""
    for target in step.targets():
        if is_step_target(target):
            return target
    return None


def counted(guide: Guide, path: Sequence[str]) -> bool:
    """Whether the last step of `path` shows "Stap n van m": a numbered step, or any step once the numbered
    part has begun (an answer on a branch counts too, so every branch of the same length keeps one total)."""
    if not any(guide.steps[step_id].numbered for step_id in path):
        return False
    if guide.steps[path[-1]].numbered or len(path) < 2:
        return True
    # an answer that leaves the steps early ("no video calls on a phone without apps") is said without a
    # number rather than with a total that shrinks ("Step 1 of 3", then "Step 2 of 2")
    return progress(guide, path)[1] == progress(guide, path[:-1])[1]


def progress(guide: Guide, path: Sequence[str]) -> tuple[int, int]:
    """(number, total) for the last step of `path`: the steps taken that count, plus those still ahead on the
    current branch (following `next`, or the first option at a choice)."""
    number, started = 0, False
    for step_id in path:
        started = started or guide.steps[step_id].numbered
        number += 1 if started else 0
    ahead, seen = 0, set(path)
    following = default_next(guide.steps[path[-1]])
    while following is not None and following not in seen and following in guide.steps:
        seen.add(following)
        step = guide.steps[following]
        started = started or step.numbered
        ahead += 1 if started else 0
        following = default_next(step)
    return number, number + ahead


def compose(frame: Frame, step: Step, language: str, number: int, total: int,
            numbered: bool | None = None) -> StepView:
    """The view of `step` in `language` at position `number` of `total` (`numbered` overrides the step's kind)."""
    body = pick(step.text, language)
    if step.numbered if numbered is None else numbered:
        body = pick(frame.progress, language).format(number=number, total=total) + " " + body
    options: tuple[tuple[str, str], ...] = ()
    footer = None
    if step.kind == "check":
        text = body + "\n" + pick(frame.hint_check, language)
        options = ((CHECK_YES, pick(frame.yes, language)), (CHECK_NO, pick(frame.no, language)))
    elif step.options:
        text = body
        options = tuple((option.key, pick(option.label, language)) for option in step.options)
        footer = pick(frame.choose_hint, language)
    else:
        hint = frame.hint_next if step.kind == "step" else frame.hint_more
        text = body + " " + pick(hint, language)
    return StepView(text, options, number, total, step.kind, step.image_url, footer)


def sms_body(view: StepView) -> str:
    """The step as one SMS: text, then the numbered options ("\\n1 iPhone\\n2 Samsung"), then the footer."""
    lines = [view.text, *(f"{n} {label}" for n, (_, label) in enumerate(view.options, start=1))]
    if view.footer:
        lines.append(view.footer)
    return "\n".join(lines)
