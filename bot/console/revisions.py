"""Content revisions: the current text of a content file, validated saves, history, restore, live refresh."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from bot.content.library import Library
from bot.content.live import KIND_DIRS, LiveContent, materialise
from bot.content_base.languages import load_languages
from bot.runtime import Deps
from bot.settings import ContentPaths
from handoff.organisations import load_organisations
from places.check import check as check_places
from storage import content_revisions
from storage.models import ContentRevision
from storage.queries import latest_revisions
from storage.session import Session

KINDS = ("guide", "intent", "places", "texts", "organisations")
ORGANISATIONS_KEY = "organisations.yaml"
RevisionKey = tuple[str, str]


@dataclass(frozen=True)
class CurrentText:
    """The live text of one content file: the newest revision, else the shipped file (None = does not exist)."""

    body: str | None
    revision_id: int | None


def shipped_file(paths: ContentPaths, kind: str, key: str) -> Path | None:
    if kind == "organisations":
        return paths.organisations
    folder = {"guide": paths.guides, "intent": paths.intents, "places": paths.places, "texts": paths.texts}.get(kind)
    if folder is None:
        return None
    name = Path(key).name
    return folder / name


def check_key(kind: str, key: str) -> None:
    """Refuse kinds and keys that LiveContent would not place inside the content tree."""
    if kind not in KINDS:
        raise ValueError(f"unknown content kind {kind!r}")
    if kind == "organisations":
        if key != ORGANISATIONS_KEY:
            raise ValueError(f"the organisations file is {ORGANISATIONS_KEY}")
        return
    if Path(key).name != key or key.startswith(".") or not key.endswith((".yaml", ".geojson", ".csv")):
        raise ValueError(f"{key!r} is not a plain content file name")


def current_text(session: Session, paths: ContentPaths, kind: str, key: str) -> CurrentText:
    newest = content_revisions.newest_revision(session, kind, key)
    if newest is not None:
        return CurrentText(newest.body or None, newest.id)
    path = shipped_file(paths, kind, key)
    if path is not None and path.is_file():
        return CurrentText(path.read_text(encoding="utf-8"), None)
    return CurrentText(None, None)


def history(session: Session, kind: str, key: str) -> list[ContentRevision]:
    """Every revision of one file, newest first."""
    return content_revisions.revisions_of(session, kind, key)


def oversized(changes: Mapping[RevisionKey, str], max_bytes: int) -> list[str]:
    """Changed files larger than CONTENT_MAX_BYTES (checked before anything parses them)."""
    return [
        f"{key}: {size} bytes; a content file may be at most {max_bytes} bytes (CONTENT_MAX_BYTES)"
        for (_kind, key), body in sorted(changes.items())
        if (size := len(body.encode("utf-8"))) > max_bytes
    ]


def check_whole(
    paths: ContentPaths, session: Session, changes: Mapping[RevisionKey, str], *, max_bytes: int | None = None
) -> list[str]:
    """Problems of the whole live content with `changes` applied (everything must still load together)."""
    if max_bytes is not None and (too_big := oversized(changes, max_bytes)):
        return too_big
    revisions = {(r.kind, r.key): r for r in latest_revisions(session)}
    for (kind, key), body in changes.items():
        revisions[(kind, key)] = ContentRevision(kind=kind, key=key, body=body)
    with tempfile.TemporaryDirectory(prefix="digibuur-check-") as tmp:
        layout = materialise(paths, list(revisions.values()), Path(tmp))
        problems: list[str] = []
        if any(kind == "places" for kind, _ in changes):
            try:
                problems += check_places(layout.places, load_languages(layout.texts))
            except ValueError as exc:
                problems += [line for line in str(exc).splitlines() if line.strip()]
        def organisations() -> object:
            return load_organisations(layout.organisations, load_languages(layout.texts).codes)

        for load in (lambda: Library.load(layout), organisations):
            try:
                load()
            except (ValueError, OSError, yaml.YAMLError) as exc:
                problems += [line for line in str(exc).splitlines() if line.strip()]
    return [_shorten(problem, tmp) for problem in problems]


def _shorten(problem: str, tmp: str) -> str:
    return problem.replace(tmp + "/", "")


def add_revision(
    session: Session, kind: str, key: str, body: str, *, author: str, now: datetime, comment: str = ""
) -> ContentRevision:
    check_key(kind, key)
    revision = ContentRevision(
        kind=kind, key=key, body=body, author=author[:254], comment=comment[:500] or None, created_at=now
    )
    return content_revisions.store_revision(session, revision)


def refresh_live(deps: Deps) -> None:
    """Make this process use the new content now (other processes notice within two seconds)."""
    owner = getattr(deps.library, "__self__", None)
    if isinstance(owner, LiveContent):
        owner.refresh(force=True)


def content_dir(kind: str) -> str:
    return "" if kind == "organisations" else KIND_DIRS[kind]
