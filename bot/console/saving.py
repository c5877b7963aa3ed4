"""One validated content save: refuse on any error, else a new revision, an audit line and a live refresh."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.console.auth import audit
from bot.console.revisions import add_revision, check_whole, current_text, oversized, refresh_live
from bot.console.web import Console, Viewer
from guides.problems import Problem
from storage.db import transaction


@dataclass(frozen=True)
class Issue:
    """A problem shown next to the form: error (refuses the save) or warning; line in the YAML if known."""

    level: str
    message: str
    line: int | None = None
    step: str | None = None
    language: str | None = None


@dataclass
class SaveResult:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    revision_id: int | None = None
    unchanged: bool = False

    @property
    def saved(self) -> bool:
        return self.revision_id is not None


def issues_from_problems(problems: Iterable[Problem]) -> list[Issue]:
    return [Issue(p.level, p.message, p.line, p.step, p.language) for p in problems]


def refuse_oversized(console: Console, kind: str, key: str, body: str) -> SaveResult | None:
    """A refusal when the text is larger than CONTENT_MAX_BYTES (check before parsing it)."""
    too_big = oversized({(kind, key): body}, console.deps.settings.content_max_bytes)
    return SaveResult(errors=[Issue("error", problem) for problem in too_big]) if too_big else None


def save_content(
    console: Console,
    viewer: Viewer,
    kind: str,
    key: str,
    body: str,
    *,
    action: str,
    issues: Iterable[Issue] = (),
    comment: str = "",
) -> SaveResult:
    """Validate (size, the given issues, then the whole content with this change) and store a new revision."""
    refused = refuse_oversized(console, kind, key, body)
    if refused is not None:
        return refused
    found = list(issues)
    result = SaveResult(
        errors=[i for i in found if i.level == "error"], warnings=[i for i in found if i.level != "error"]
    )
    if result.errors:
        return result
    deps = console.deps
    paths = deps.settings.content
    with transaction(deps.db) as session:
        if current_text(session, paths, kind, key).body == body:
            result.unchanged = True
            return result
        whole = check_whole(paths, session, {(kind, key): body}, max_bytes=deps.settings.content_max_bytes)
        if whole:
            result.errors = [Issue("error", problem) for problem in whole]
            return result
        revision = add_revision(session, kind, key, body, author=viewer.email, now=console.now(), comment=comment)
        result.revision_id = revision.id
        audit(session, viewer.email, action, f"{kind}:{key} r{revision.id}", console.now())
    refresh_live(deps)
    return result
