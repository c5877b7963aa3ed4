"""Live content: shipped YAML files overlaid with staff revisions from the database, cached per revision.

The library is built off the hot path: a staff save builds it once in the saving request (`refresh(force=True)`),
and a change made by another process is built in a background thread. Message handling reads the current entry
without a lock and switches to the new one once it is ready; it never waits for or runs a build itself (except the
very first one, when there is nothing to serve yet)."""

from __future__ import annotations

import gc
import logging
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from bot.content.library import Library
from bot.content.reviews import draft_languages
from bot.settings import ContentPaths, Settings
from handoff.organisations import Organisation, load_organisations
from places.model import Closure
from storage.content_revisions import content_key
from storage.db import read_session
from storage.models import ContentRevision
from storage.place_closures import closures as place_closures
from storage.queries import latest_revisions
from storage.reviews import latest_reviews, newest_review_id
from storage.session import Engine, Session

log = logging.getLogger("digibuur.content")

_freezers = 0  # web processes' app lifespans running that asked for `gc.freeze()` after each library build


def freeze_after_builds(on: bool) -> None:
    """Web process (the app lifespan): after each library this process builds, leave the live objects out of the
    garbage collector's scans (`gc.freeze()`); a full scan over the loaded content paused the event loop for ~100 ms
    (benchmarks/README.md). Counted, so apps started and stopped in any order (tests) leave it as they found it."""
    global _freezers
    _freezers = max(0, _freezers + (1 if on else -1))
    if not _freezers:
        gc.unfreeze()


def _refreeze() -> None:
    """After a new library is in place: unfreeze what the last build froze (the replaced library among it), collect
    it if nothing holds it any more, and freeze what is alive now. So the frozen set is never more than what was
    alive at the last build: a replaced library is collected at the next build at the latest, never leaked."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


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
    """The console's place closures as the place directory reads them (rows with unreadable dates are left out)."""
    result: list[Closure] = []
    for row in place_closures(session):
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
    """Gives every request the Library for the current content revision; builds a new one only when it changed."""

    def __init__(self, settings: Settings, db: Engine | None) -> None:
        self.settings = settings
        self.db = db
        self._build_lock = threading.Lock()  # one build at a time; message handling never takes it once serving
        self._entry: _Entry | None = None
        self._checked = 0.0
        self._background: threading.Thread | None = None
        self.builds = 0  # how many libraries this cache has built (tests count them)

    def _key(self, session: Session) -> tuple[int, int, int, int]:
        top, closure_top, closure_count = content_key(session)
        reviews = 0 if self.settings.offer_draft_languages else newest_review_id(session)
        return (top, closure_top, closure_count, reviews)

    def _build(self, session: Session | None, key: tuple[int, int, int, int]) -> _Entry:
        self.builds += 1
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
                              revision=f"{library.revision}-c{key[1]}.{key[2]}", retention_days=retention)
        if not self.settings.offer_draft_languages:
            library = replace(_without_drafts(library, session), revision=f"{library.revision}-v{key[3]}")
        return _Entry(key=key, library=library, organisations=organisations)

    def _current_key(self) -> tuple[int, int, int, int]:
        if self.db is None:
            return (0, 0, 0, 0)
        with read_session(self.db) as session:
            return self._key(session)

    def _build_if_changed(self) -> _Entry:
        """Build the library for the current key unless the entry already has it (call with the build lock)."""
        built = False
        if self.db is None:
            if self._entry is None:
                self._entry, built = self._build(None, (0, 0, 0, 0)), True
        else:
            with read_session(self.db) as session:
                key = self._key(session)
                if self._entry is None or self._entry.key != key:
                    # one assignment: readers see the old or the new entry
                    self._entry, built = self._build(session, key), True
        if built and _freezers:
            _refreeze()
        return self._entry

    def refresh(self, force: bool = False) -> _Entry:
        """The current entry. `force` (a staff save in this process) builds the new library now, in the caller."""
        entry = self._entry
        if entry is None or force:
            with self._build_lock:
                self._checked = time.monotonic()
                return self._build_if_changed()
        now = time.monotonic()
        if now - self._checked >= CHECK_EVERY_SECONDS:
            self._checked = now
            try:
                changed = self._current_key() != entry.key
            except Exception:  # the database is busy or away: keep serving what we have
                log.warning("content: could not read the content key; serving the current library", exc_info=True)
                changed = False
            if changed:
                self._start_background_build()
        return entry

    def _start_background_build(self) -> None:
        """Build the changed content in a thread (at most one at a time); the hot path keeps the old entry."""
        if not self._build_lock.acquire(blocking=False):
            return  # a build is already running (a save here, or another background build)

        def build() -> None:
            try:
                self._build_if_changed()
            except Exception:
                log.exception("content: building the changed content failed; keeping the previous library")
            finally:
                self._build_lock.release()

        try:
            self._background = threading.Thread(target=build, name="digibuur-content-build", daemon=True)
            self._background.start()
        except BaseException:
            self._build_lock.release()
            raise

    def wait_for_background(self, timeout: float | None = None) -> None:
        """Wait until a background build (if any) has finished (for tests and orderly shutdown)."""
        thread = self._background
        if thread is not None:
            thread.join(timeout)

    def library(self) -> Library:
        return self.refresh().library

    def organisations(self) -> tuple[Organisation, ...]:
        return self.refresh().organisations
