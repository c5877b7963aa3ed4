"""Problems found in guide files (errors and warnings), and the error raised when guides cannot load."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One finding, located by file, YAML line, guide, step and language."""

    level: Level
    file: str
    line: int
    guide: str
    step: str | None
    language: str | None
    message: str

    def __str__(self) -> str:
        where = self.guide + (f"/{self.step}" if self.step else "")
        lang = f" [{self.language}]" if self.language else ""
        return f"{self.file}:{self.line}: {self.level}: {where}{lang}: {self.message}"


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    """Only the errors."""
    return [problem for problem in problems if problem.level == "error"]


class GuideError(ValueError):
    """Guides could not be loaded; `problems` lists every problem found (errors first)."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.level != "error", p.file, p.line))
        shown = [str(problem) for problem in errors_in(self.problems)]
        super().__init__("invalid guides:\n" + "\n".join(shown))
