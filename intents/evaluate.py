"""Evaluate a matcher on a labelled TSV: accuracy per intent, confusions, share of 'none' kept unmatched."""

from __future__ import annotations

import pathlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from intents.catalog import SETTINGS_FILE, CatalogError
from intents.settings import Thresholds, parse_settings
from intents.yamlnodes import Problems

NONE_LABEL = "none"


class _Classifier(Protocol):
    def classify(self, text: str, language_hint: str | None = None) -> _Result: ...


class _Result(Protocol):
    @property
    def intent(self) -> str | None: ...


@dataclass(frozen=True)
class LabelledMessage:
    """One line of the labelled set; `expected` is None for messages that must stay unmatched."""

    language: str
    expected: str | None
    text: str
    line: int = 0


@dataclass(frozen=True)
class IntentScore:
    """How often one expected intent was found."""

    total: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class LanguageScore:
    """In-scope accuracy and unrelated messages kept unmatched, for one language of the labelled set."""

    in_scope_total: int
    in_scope_correct: int
    none_total: int
    none_kept_count: int

    @property
    def in_scope_accuracy(self) -> float:
        return self.in_scope_correct / self.in_scope_total if self.in_scope_total else 0.0

    @property
    def none_kept(self) -> float:
        return self.none_kept_count / self.none_total if self.none_total else 0.0


@dataclass(frozen=True)
class EvalReport(LanguageScore):
    """The outcome of one evaluation run: the scores over all languages, then per intent and per language."""

    per_intent: dict[str, IntentScore] = field(default_factory=dict)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[tuple[LabelledMessage, str | None]] = field(default_factory=list)
    per_language: dict[str, LanguageScore] = field(default_factory=dict)

    def passes(self, thresholds: Thresholds) -> bool:
        return self.in_scope_accuracy >= thresholds.in_scope_accuracy and self.none_kept >= thresholds.none_kept


HEADER_COLUMNS = ("language", "intent", "text")


def _header(parts: list[str]) -> tuple[int, int, int] | None:
    """Column positions of language, intent and text when `parts` is a header row naming them, else None."""
    names = [part.strip().lower() for part in parts]
    if sorted(names) != sorted(HEADER_COLUMNS):
        return None
    language, intent, text = (names.index(name) for name in HEADER_COLUMNS)
    return language, intent, text


def load_labelled(path: str | pathlib.Path) -> list[LabelledMessage]:
    """Read 'language<TAB>expected id or none<TAB>text' lines; '#' lines and blank lines are skipped.

    A first row naming the columns ("text<TAB>intent<TAB>language", in any order) sets their order instead.
    """
    path = pathlib.Path(path)
    rows: list[LabelledMessage] = []
    columns = (0, 1, 2)
    first = True
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        parts = raw.split("\t")
        header = _header(parts) if first and len(parts) == 3 else None
        first = False
        if header is not None:
            columns = header
            continue
        if len(parts) != 3 or not parts[columns[2]].strip():
            raise ValueError(f"{path}:{number}: expected language<TAB>intent or none<TAB>text")
        language, expected, text = (parts[column].strip() for column in columns)
        rows.append(LabelledMessage(language, None if expected == NONE_LABEL else expected, text, number))
    return rows


def evaluate(matcher: _Classifier, rows: list[LabelledMessage]) -> EvalReport:
    """Classify every row (without a language hint) and count what went right and wrong."""
    totals: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    misses: list[tuple[LabelledMessage, str | None]] = []
    by_language: dict[str, Counter[str]] = {}
    for row in rows:
        got = matcher.classify(row.text).intent
        label = row.expected or NONE_LABEL
        totals[label] += 1
        counts = by_language.setdefault(row.language, Counter())
        scope = "none" if row.expected is None else "in_scope"
        counts[f"{scope}_total"] += 1
        if got == row.expected:
            correct[label] += 1
            counts[f"{scope}_correct"] += 1
        else:
            confusions[(label, got or NONE_LABEL)] += 1
            misses.append((row, got))
    per_intent = {label: IntentScore(totals[label], correct[label]) for label in sorted(totals)}
    none = per_intent.get(NONE_LABEL, IntentScore(0, 0))
    return EvalReport(
        per_intent=per_intent,
        confusions=confusions,
        in_scope_total=sum(s.total for label, s in per_intent.items() if label != NONE_LABEL),
        in_scope_correct=sum(s.correct for label, s in per_intent.items() if label != NONE_LABEL),
        none_total=none.total,
        none_kept_count=none.correct,
        misses=misses,
        per_language={
            language: LanguageScore(
                counts["in_scope_total"], counts["in_scope_correct"], counts["none_total"], counts["none_correct"]
            )
            for language, counts in sorted(by_language.items())
        },
    )


def format_report(report: EvalReport, *, show_misses: bool = True) -> str:
    """A plain-text report: one line per intent, the confusions, the misses, and the totals."""
    lines = ["intent                 correct/total  accuracy"]
    for label, score in report.per_intent.items():
        lines.append(f"{label:<22} {score.correct:>5}/{score.total:<6}  {score.accuracy:6.1%}")
    if report.confusions:
        lines.append("")
        lines.append("confusions (expected -> got): count")
        for (expected, got), count in report.confusions.most_common():
            lines.append(f"  {expected} -> {got}: {count}")
    if show_misses and report.misses:
        lines.append("")
        lines.append("misses:")
        for row, answer in report.misses:
            lines.append(
                f"  line {row.line}: {row.text!r} expected {row.expected or NONE_LABEL}, got {answer or NONE_LABEL}"
            )
    if report.per_language:
        lines.append("")
        lines.append("language  in-scope accuracy      none kept")
        for language, part in report.per_language.items():
            lines.append(
                f"{language:<8}  {part.in_scope_accuracy:6.1%} ({part.in_scope_correct:>3}/{part.in_scope_total:<3})"
                f"   {part.none_kept:6.1%} ({part.none_kept_count:>3}/{part.none_total:<3})"
            )
    lines.append("")
    lines.append(
        f"in-scope top-1 accuracy: {report.in_scope_accuracy:.1%} ({report.in_scope_correct}/{report.in_scope_total})"
    )
    lines.append(f"none kept unmatched: {report.none_kept:.1%} ({report.none_kept_count}/{report.none_total})")
    return "\n".join(lines)


def load_thresholds(path: str | pathlib.Path) -> Thresholds:
    """The `evaluation` section of _settings.yaml; `path` is that file or the catalogue directory."""
    path = pathlib.Path(path)
    if path.is_dir():
        path = path / SETTINGS_FILE
    problems = Problems(str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogError(f"{path}:1: cannot read: {exc.strerror}") from exc
    settings = parse_settings(str(path), text, problems)
    if problems.items:
        raise CatalogError("\n".join(problems.items))
    return settings.evaluation
