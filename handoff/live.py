"""The live organisations and resident sentences, read from the database (staff revisions over the files).

Used where only a Session is at hand (inbox routes, the ticket-opened hook); cached per newest revision id.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session, col, func, select

from bot.settings import ContentPaths, Settings
from bot.texts import Texts
from handoff.organisations import Organisation, load_organisations, parse_organisations
from storage.models import ContentRevision

_lock = threading.Lock()
_texts_cache: dict[int, Texts] = {}
_orgs_cache: dict[int, tuple[Organisation, ...]] = {}


def content_paths() -> ContentPaths:
    """The content folder in use: DIGIBUUR_CONTENT_DIR when set, else the shipped one."""
    return Settings.from_env().content


@lru_cache(maxsize=1)
def shipped_texts() -> Texts:
    return Texts.load(content_paths().texts)


@lru_cache(maxsize=1)
def shipped_organisations() -> tuple[Organisation, ...]:
    return load_organisations(content_paths().organisations)


def _newest(session: Session, kind: str) -> list[ContentRevision]:
    newest = (
        select(ContentRevision.key, func.max(ContentRevision.id).label("top"))
        .where(ContentRevision.kind == kind)
        .group_by(ContentRevision.key)
        .subquery()
    )
    return list(session.exec(select(ContentRevision).join(newest, col(ContentRevision.id) == newest.c.top)))


def live_organisations(session: Session) -> tuple[Organisation, ...]:
    """The organisations staff saved last, or the shipped file."""
    revisions = _newest(session, "organisations")
    if not revisions:
        return shipped_organisations()
    top = max(r.id or 0 for r in revisions)
    with _lock:
        cached = _orgs_cache.get(top)
    if cached is not None:
        return cached
    body = max(revisions, key=lambda r: r.id or 0).body
    organisations = parse_organisations(body, "organisations (revision)") if body else shipped_organisations()
    with _lock:
        _orgs_cache.clear()
        _orgs_cache[top] = organisations
    return organisations


def live_texts(session: Session) -> Texts:
    """digibuur's sentences with staff revisions applied, or the shipped files."""
    revisions = _newest(session, "texts")
    if not revisions:
        return shipped_texts()
    top = max(r.id or 0 for r in revisions)
    with _lock:
        cached = _texts_cache.get(top)
    if cached is not None:
        return cached
    with tempfile.TemporaryDirectory(prefix="digibuur-texts-") as tmp:
        folder = Path(tmp) / "texts"
        shutil.copytree(content_paths().texts, folder)
        for revision in revisions:
            name = Path(revision.key).name
            target = folder / (name if name.endswith(".yaml") else f"{name}.yaml")
            if revision.body:
                target.write_text(revision.body, encoding="utf-8")
        texts = Texts.load(folder)
    with _lock:
        _texts_cache.clear()
        _texts_cache[top] = texts
    return texts
