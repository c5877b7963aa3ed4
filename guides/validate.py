"""The guide validator: schema, dangling/unreachable steps, translations and SMS length (CLI, CI, console)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import replace
from functools import cache
from pathlib import Path

from bot.content_base.languages import LanguageList, shipped_languages
from guides.model import DONE, FLOWS, Frame, Guide, Step, is_step_target
from guides.parse import FRAME_NAME, SLUG, Report, parse_frame, parse_guide
from guides.problems import Problem
from guides.sms import gsm7_suggestion, invisible, segment_info
from guides.view import compose, counted, progress, sms_body

__all__ = [
    "FRAME_FILE",
    "Problem",
    "check_directory",
    "check_frame_text",
    "check_guide",
    "check_guide_text",
    "parse_and_check",
    "scan_directory",
]

FRAME_FILE = FRAME_NAME + ".yaml"
SHIPPED_DIRECTORY = Path(__file__).resolve().parent / "content"
MAX_PATHS = 5000


def _target_problem(target: str, guide: Guide, known_guides: Collection[str] | None) -> str | None:
    """Why `target` cannot be followed, or None when it is fine."""
    if target == DONE:
        return None
    kind, _, name = target.partition(":")
    if not _:
        return None if target in guide.steps else f"goes to step '{target}', which does not exist"
    if kind == "guide":
        if not SLUG.match(name):
            return f"'{target}' is not a guide:<id>"
        if known_guides is not None and name not in known_guides:
            return f"goes to guide '{name}', which does not exist"
        return None
    if kind == "flow":
        return None if name in FLOWS else f"unknown flow '{name}' (known: {', '.join(FLOWS)})"
    return f"unknown target '{target}' (use a step id, guide:<id>, flow:<name> or done)"


def _target_lines(step: Step) -> Iterator[tuple[str, int]]:
    if step.next is not None:
        yield step.next, step.lines.get("next", step.line)
    for position, option in enumerate(step.options, start=1):
        yield option.target, step.lines.get(f"options.{position}.target", step.line)


def _reachable(guide: Guide) -> set[str]:
    seen, todo = {guide.first}, [guide.first]
    while todo:
        for target in guide.steps[todo.pop()].targets():
            if is_step_target(target) and target in guide.steps and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def _can_finish(guide: Guide) -> set[str]:
    """Steps from which some way leads out of the guide (check step, done, guide:, flow:)."""
    finishing: set[str] = set()
    changed = True
    while changed:
        changed = False
        for step in guide.steps.values():
            if step.id in finishing:
                continue
            if step.kind == "check" or any(not is_step_target(t) or t in finishing for t in step.targets()):
                finishing.add(step.id)
                changed = True
    return finishing


def _positions(guide: Guide) -> tuple[dict[str, set[tuple[int, int, bool]]], list[tuple[str, ...]]]:
    """Every (number, total, counted) a step can show over the simple paths from the first step, and the paths
    along which the total changes ("Stap 3 van 5" then "Stap 4 van 4")."""
    found: dict[str, set[tuple[int, int, bool]]] = {}
    shifting: list[tuple[str, ...]] = []
    budget = [MAX_PATHS]

    def visit(path: tuple[str, ...], total: int | None) -> None:
        if budget[0] <= 0:
            return
        budget[0] -= 1
        shown = counted(guide, path)
        number, now = progress(guide, path)
        found.setdefault(path[-1], set()).add((number, now, shown))
        if shown and total is not None and now != total:
            shifting.append(path)
            return
        for target in guide.steps[path[-1]].targets():
            if target in guide.steps and target not in path:
                visit((*path, target), now if shown else None)

    visit((guide.first,), None)
    return found, shifting


def _source_line(step: Step, char: str, language: str) -> int:
    if char in step.text.get(language, ""):
        return step.lines.get(f"text.{language}", step.line)
    for position, option in enumerate(step.options, start=1):
        if char in option.label.get(language, ""):
            return step.lines.get(f"options.{position}.label.{language}", step.line)
    return step.lines.get(f"text.{language}", step.line)


def _lint_text(report: Report, frame: Frame, step: Step, field: str, positions: set[tuple[int, int, bool]]) -> None:
    """`field` is "text" or "trouble" (the simpler words are measured in the same frame as the step)."""
    texts = step.text if field == "text" else step.trouble
    shown = step if field == "text" else replace(step, text=step.trouble)
    for language in texts:
        policy = report.languages.sms(language)
        line = step.lines.get(f"{field}.{language}", step.line)
        bodies = [sms_body(compose(frame, shown, language, n, t, numbered=c)) for n, t, c in sorted(positions)]
        infos = [segment_info(policy.spell(body)) for body in bodies]
        worst = max(infos, key=lambda info: (info.segments, info.chars))
        sent = f"{worst.segments} SMS segments as sent ({worst.chars} {worst.encoding} characters)"
        what = "" if field == "text" else f"{field}: "
        limit = policy.max_segments
        if worst.segments > limit:
            report.error(line, f"{what}{sent}; the limit is {limit} for {language}: make it shorter", step.id,
                         language)
        elif worst.segments > max(1, limit - 1):
            report.add("warning", line, f"{what}{sent}; {max(1, limit - 1)} would be better", step.id, language)
        hidden = invisible(texts[language])
        if hidden:
            message = f"{what}invisible control characters {', '.join(hidden)}: they cost UCS-2 on SMS; remove them"
            report.error(line, message, step.id, language)
        if policy.encoding != "gsm7":
            continue
        for char in worst.ucs2_chars:
            suggestion = gsm7_suggestion(char)
            advice = f"write '{suggestion}'" if suggestion is not None else "no GSM-7 replacement: rephrase"
            message = f"'{char}' (U+{ord(char):04X}) forces UCS-2 on SMS (70 per segment); {advice}"
            report.add("warning", _source_line(step, char, language), message, step.id, language)


def _lint_sms(report: Report, guide: Guide, frame: Frame) -> None:
    positions, shifting = _positions(guide)
    fallback = sum(1 for step in guide.steps.values() if step.numbered)
    for step in guide.steps.values():
        pairs = positions.get(step.id) or {(fallback, fallback, step.numbered)}
        _lint_text(report, frame, step, "text", pairs)
        if step.trouble:
            _lint_text(report, frame, step, "trouble", pairs)
    for path in shifting[:3]:
        step = guide.steps[path[-1]]
        before, after = progress(guide, path[:-1]), progress(guide, path)
        message = (f"progress changes along {' -> '.join(path)}: step {before[0]} of {before[1]}, then step "
                   f"{after[0]} of {after[1]}; make the branches after a choice equally long")
        report.add("warning", step.line, message, step.id)


def check_guide(
    guide: Guide,
    frame: Frame | None,
    known_guides: Collection[str] | None = None,
    languages: LanguageList | None = None,
) -> list[Problem]:
    """Graph and SMS problems of a parsed guide (`known_guides` None: guide:<id> targets are not checked)."""
    report = Report(guide.source_file, guide.id, languages=languages or shipped_languages())
    for step in guide.steps.values():
        for target, line in _target_lines(step):
            problem = _target_problem(target, guide, known_guides)
            if problem is not None:
                report.error(line, problem, step.id)
            elif target == step.id:
                report.error(line, "goes to itself", step.id)
    reachable = _reachable(guide)
    for step in guide.steps.values():
        if step.id not in reachable:
            report.error(step.line, f"unreachable: no step leads here from '{guide.first}'", step.id)
    finishing = _can_finish(guide)
    for step in guide.steps.values():
        if step.id in reachable and step.id not in finishing:
            report.error(
                step.line, "no way to finish from here: the steps only go round in a circle", step.id
            )
    if frame is not None:
        _lint_sms(report, guide, frame)
    return report.problems


@cache
def _shipped_frame() -> Frame | None:
    path = SHIPPED_DIRECTORY / FRAME_FILE
    frame, _ = parse_frame(str(path), path.read_text(encoding="utf-8")) if path.is_file() else (None, [])
    return frame


def parse_and_check(
    filename: str,
    text: str,
    frame: Frame | None = None,
    known_guides: Collection[str] | None = None,
    languages: LanguageList | None = None,
) -> tuple[Guide | None, list[Problem]]:
    """One guide file's text parsed and checked; the shipped frame is used for SMS length unless given."""
    guide, problems = parse_guide(filename, text, languages)
    if guide is not None:
        problems += check_guide(guide, frame or _shipped_frame(), known_guides, languages)
    return guide, problems


def check_guide_text(
    filename: str,
    text: str,
    frame: Frame | None = None,
    known_guides: Collection[str] | None = None,
    languages: LanguageList | None = None,
) -> list[Problem]:
    """Every problem in one guide file's text (the console's save)."""
    return parse_and_check(filename, text, frame, known_guides, languages)[1]


def check_frame_text(filename: str, text: str, languages: LanguageList | None = None) -> list[Problem]:
    """Every problem in the text of _frame.yaml (the console's save of the frame phrases)."""
    return parse_frame(filename, text, languages)[1]


def scan_directory(
    directory: Path, languages: LanguageList | None = None
) -> tuple[Frame | None, dict[str, Guide], list[Problem]]:
    """Parse and check every guide in `directory` (files starting with '_' are not guides)."""
    problems: list[Problem] = []
    frame_path = directory / FRAME_FILE
    frame: Frame | None = None
    if frame_path.is_file():
        frame, frame_problems = parse_frame(str(frame_path), frame_path.read_text(encoding="utf-8"), languages)
        problems += frame_problems
    else:
        problems.append(Problem("error", str(frame_path), 1, FRAME_NAME, None, None, "frame file is missing"))
    guides: dict[str, Guide] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        guide, guide_problems = parse_guide(str(path), path.read_text(encoding="utf-8"), languages)
        problems += guide_problems
        if guide is None:
            continue
        if guide.id in guides:
            message = f"guide id '{guide.id}' is also used in {guides[guide.id].source_file}"
            problems.append(Problem("error", str(path), guide.line, guide.id, None, None, message))
            continue
        guides[guide.id] = guide
    owners: dict[str, str] = {}
    for guide in guides.values():
        problems += check_guide(guide, frame, known_guides=guides.keys(), languages=languages)
        for intent in guide.intents:
            if intent in owners:
                message = f"intent '{intent}' also starts guide '{owners[intent]}'"
                problems.append(
                    Problem("error", guide.source_file, guide.line, guide.id, None, None, message)
                )
            owners.setdefault(intent, guide.id)
    return frame, guides, problems


def check_directory(directory: Path, languages: LanguageList | None = None) -> list[Problem]:
    """Every problem in a guide directory, errors and warnings."""
    return scan_directory(Path(directory), languages)[2]
