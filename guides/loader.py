"""Load the guide directory into a GuideBook; any error stops the load with every problem listed."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from bot.content_base.languages import LanguageList
from guides.model import Frame, Guide, GuideBook
from guides.problems import GuideError, errors_in
from guides.validate import parse_and_check, scan_directory

__all__ = ["GuideBook", "GuideError", "load_guides", "parse_guide_text"]


def load_guides(directory: Path, languages: LanguageList | None = None) -> GuideBook:
    """All guides in `directory` plus its _frame.yaml; raises GuideError when anything is an error."""
    frame, guides, problems = scan_directory(Path(directory), languages)
    if errors_in(problems) or frame is None:
        raise GuideError(problems)
    return GuideBook(guides=guides, frame=frame, directory=Path(directory))


def parse_guide_text(
    filename: str,
    text: str,
    frame: Frame | None = None,
    known_guides: Collection[str] | None = None,
    languages: LanguageList | None = None,
) -> Guide:
    """One guide from text (the console's save), fully validated; raises GuideError on any error."""
    guide, problems = parse_and_check(filename, text, frame, known_guides, languages)
    if errors_in(problems) or guide is None:
        raise GuideError(problems)
    return guide
