"""Live content: shipped YAML files overlaid with staff revisions from the database, cached per revision."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from bot.library import Library
from bot.reviews import draft_languages
from bot.settings import ContentPaths, Settings
from handoff.organisations import Organisation, load_organisations
from places.model import Closure
from storage.db import reader
from storage.models import ContentRevision, PlaceClosure
from storage.queries import latest_revisions
from storage.reviews import latest_reviews, newest_review_id

KIND_DIRS = {"guide": "guides", "intent": "intents", "places": "places", "texts": "texts"}
CHECK_EVERY_SECONDS = 2.0


def materialise(paths: ContentPaths, revisions: list[ContentRevision], target: Path) -> ContentPaths:
    """Copy the shipped content to `target` and write the staff revisions over it."""
    layout = ContentPaths.under(target)
    shutil.copytree(paths.intents, layout.intents)
    shutil.copytree(paths.guides, layout.guides)
    shutil.copytree(paths.places, layout.places)
    shutil.copytree(paths.texts, layout.texts)
    shutil.copyfile(paths.organisations, layout.organisations)
    for revision in revisions:
        if revision.kind == "organisations":
            layout.organisations.write_text(revision.body, encoding="utf-8")
            continue
        folder = KIND_DIRS.get(revision.kind)
        if folder is None:
            continue
        name = Path(revision.key).name
        if not name.endswith((".yaml", ".geojson", ".csv")):
            name = f"{name}.yaml"
        destination = target / folder / name
        if revision.body == "":
            destination.unlink(missing_ok=True)
        else:
            destination.write_text(revision.body, encoding="utf-8")
    return layout


def closures(session: Session) -> list[Closure]:
    result: list[Closure] = []
    for row in session.exec(select(PlaceClosure)):
        try:
            start, end = date.fromisoformat(row.start), date.fromisoformat(row.end)
        except ValueError:
            continue
        result.append(Closure(place_id=row.place_id, start=start, end=end, reason=dict(row.reason)))
    return result


@dataclass
class _Entry:
    key: tuple[int, int, int, int]
    library: Library
    organisations: tuple[Organisation, ...]


def _without_drafts(library: Library, session: Session | None) -> Library:
    """OFFER_DRAFT_LANGUAGES=0: only languages whose every text a reviewer has read are offered (and the source)."""
    latest = latest_reviews(session) if session is not None else {}
    drafts = draft_languages(library, latest)
    source = library.texts.catalogue.source
    offered = tuple(code for code in library.texts.deployment.languages if code == source or code not in drafts)
    return replace(library, texts=replace(library.texts, offered=offered))


class LiveContent:
    """Gives every request the Library for the current content revision; rebuilds only when it changed."""

    def __init__(self, settings: Settings, db: Engine | None) -> None:
        self.settings = settings
        self.db = db
        self._lock = threading.Lock()
        self._entry: _Entry | None = None
        self._checked = 0.0

    def _key(self, session: Session) -> tuple[int, int, int, int]:
        top = session.exec(select(func.max(ContentRevision.id))).one() or 0
        closure_top = session.exec(select(func.max(PlaceClosure.id))).one() or 0
        closure_count = session.exec(select(func.count()).select_from(PlaceClosure)).one() or 0
        reviews = 0 if self.settings.offer_draft_languages else newest_review_id(session)
        return (int(top), int(closure_top), int(closure_count), reviews)

    def _build(self, session: Session | None, key: tuple[int, int, int, int]) -> _Entry:
        paths = self.settings.content
        revisions = latest_revisions(session) if session is not None and key[0] else []
        retention = self.settings.retention_days
        if revisions:
            with tempfile.TemporaryDirectory(prefix="digibuur-content-") as tmp:
                layout = materialise(paths, revisions, Path(tmp))
                library = Library.load(layout, revision=f"r{key[0]}", retention_days=retention)
                organisations = load_organisations(layout.organisations, library.texts.catalogue.codes)
        else:
            library = Library.load(paths, revision="files", retention_days=retention)
            organisations = load_organisations(paths.organisations, library.texts.catalogue.codes)
        if session is not None and key[2]:
            library = replace(library, places=library.places.with_closures(closures(session)),
                              revision=f"{library.revision}-c{key[1]}.{key[2]}")
        if not self.settings.offer_draft_languages:
            library = replace(_without_drafts(library, session), revision=f"{library.revision}-v{key[3]}")
        return _Entry(key=key, library=library, organisations=organisations)

    def refresh(self, force: bool = False) -> _Entry:
        with self._lock:
            now = time.monotonic()
            if self._entry is not None and not force and now - self._checked < CHECK_EVERY_SECONDS:
                return self._entry
            self._checked = now
            if self.db is None:
                if self._entry is None:
                    self._entry = self._build(None, (0, 0, 0, 0))
                return self._entry
            with Session(reader(self.db)) as session:
                key = self._key(session)
                if self._entry is None or self._entry.key != key:
                    self._entry = self._build(session, key)
            return self._entry

    def library(self) -> Library:
        return self.refresh().library

    def organisations(self) -> tuple[Organisation, ...]:
        return self.refresh().organisations
