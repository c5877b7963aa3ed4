"""The live organisations and resident sentences, read from the database (staff revisions over the files).

Used where only a Session is at hand (inbox routes, the ticket-opened hook); cached per newest revision id.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar, cast

from bot.content.texts import Texts
from bot.settings import ContentPaths, Settings
from handoff.organisations import Organisation, load_organisations, parse_organisations
from storage.models import ContentRevision
from storage.queries import latest_revisions
from storage.session import Session

T = TypeVar("T")

_lock = threading.Lock()
_cache: dict[str, tuple[tuple[int, int], object]] = {}  # kind -> (revision fingerprint, what was built from it)


def content_paths() -> ContentPaths:
    """The content folder in use: DIGIBUUR_CONTENT_DIR when set, else the shipped one."""
    return Settings.from_env().content


@lru_cache(maxsize=1)
def shipped_texts() -> Texts:
    return Texts.load(content_paths().texts)


@lru_cache(maxsize=1)
def shipped_organisations() -> tuple[Organisation, ...]:
    return load_organisations(content_paths().organisations)


def _built(session: Session, kind: str, build: Callable[[list[ContentRevision]], T]) -> T | None:
    """What `build` makes of the newest revisions of `kind`, cached per newest revision; None without any."""
    revisions = latest_revisions(session, kind)
    if not revisions:
        return None
    # the newest id and the bodies themselves: another database (a reset one, a test's) can reuse the id
    top = (max(r.id or 0 for r in revisions), hash(tuple((r.key, r.body) for r in revisions)))
    with _lock:
        cached = _cache.get(kind)
    if cached is not None and cached[0] == top:
        return cast(T, cached[1])
    value = build(revisions)
    with _lock:
        _cache[kind] = (top, value)
    return value


def live_organisations(session: Session) -> tuple[Organisation, ...]:
    """The organisations staff saved last, or the shipped file."""

    def build(revisions: list[ContentRevision]) -> tuple[Organisation, ...]:
        body = max(revisions, key=lambda r: r.id or 0).body
        return parse_organisations(body, "organisations (revision)") if body else shipped_organisations()

    return _built(session, "organisations", build) or shipped_organisations()


def live_texts(session: Session) -> Texts:
    """digibuur's sentences with staff revisions applied, or the shipped files."""

    def build(revisions: list[ContentRevision]) -> Texts:
        with tempfile.TemporaryDirectory(prefix="digibuur-texts-") as tmp:
            folder = Path(tmp) / "texts"
            shutil.copytree(content_paths().texts, folder)
            for revision in revisions:
                name = Path(revision.key).name
                target = folder / (name if name.endswith(".yaml") else f"{name}.yaml")
                if revision.body:
                    target.write_text(revision.body, encoding="utf-8")
            return Texts.load(folder)

    return _built(session, "texts", build) or shipped_texts()
