"""Content reloads off the hot path: a save builds the library once; messages never build or wait for a build."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Iterator

import pytest

from bot.console.revisions import add_revision, refresh_live
from bot.content.live import LiveContent, freeze_after_builds
from bot.messages import Address, Inbound
from bot.runtime import Deps, build_deps
from bot.service import handle
from bot.settings import Settings
from storage.db import transaction
from storage.types import utcnow


@pytest.fixture
def live(settings: Settings) -> Iterator[tuple[Deps, LiveContent]]:
    built = build_deps(settings, migrate=True)
    owner = getattr(built.library, "__self__", None)
    assert isinstance(owner, LiveContent)
    yield built, owner
    owner.wait_for_background(30)
    built.db.dispose()


def _revise(deps: Deps) -> None:
    body = (deps.settings.content.texts / "nl.yaml").read_text(encoding="utf-8")
    with transaction(deps.db) as session:
        add_revision(session, "texts", "nl.yaml", body + "\n", author="staff@example.org", now=utcnow())


def _message(deps: Deps, text: str = "menu") -> None:
    handle(Inbound(Address("sms", "+32470111222"), text, utcnow()), deps)


def test_a_message_right_after_a_save_uses_the_library_the_save_built(live: tuple[Deps, LiveContent]) -> None:
    deps, content = live
    _message(deps)
    assert content.builds == 1
    _revise(deps)
    refresh_live(deps)  # what the console's save does: build once, in the saving request
    assert content.builds == 2
    revision = deps.library().revision
    assert revision.startswith("r")
    content._checked = 0.0  # the periodic check is due: it finds the key unchanged
    _message(deps)
    _message(deps, "hallo")
    assert content.builds == 2
    assert deps.library().revision == revision


def test_another_process_s_save_is_built_in_the_background(live: tuple[Deps, LiveContent]) -> None:
    deps, content = live
    before = deps.library().revision
    _revise(deps)  # no refresh here: as if another process saved
    content._checked = 0.0
    assert deps.library().revision == before  # served at once from the current library
    content.wait_for_background(60)
    assert content.builds == 2
    assert deps.library().revision != before
    _message(deps)
    assert content.builds == 2


def test_message_handling_does_not_wait_for_a_running_build(live: tuple[Deps, LiveContent]) -> None:
    deps, content = live
    before = deps.library().revision
    _revise(deps)
    finished = threading.Event()
    with content._build_lock:  # a save's build is running in another thread
        content._checked = 0.0

        def answer() -> None:
            _message(deps)
            finished.set()

        worker = threading.Thread(target=answer)
        started = time.monotonic()
        worker.start()
        assert finished.wait(30), "the message waited for the build"
        assert time.monotonic() - started < 30
        assert deps.library().revision == before
    worker.join()
    assert content.builds == 1


def test_the_web_process_freezes_each_library_it_builds_and_frees_the_replaced_one(
        live: tuple[Deps, LiveContent]) -> None:
    deps, content = live
    freeze_after_builds(True)
    try:
        first = weakref.ref(deps.library())
        assert content.builds == 1 and gc.get_freeze_count() > 0  # the first (lazy) build froze what is alive
        counts = []
        for _ in range(3):
            _revise(deps)
            refresh_live(deps)
            counts.append(gc.get_freeze_count())
        assert content.builds == 4
        assert first() is None  # the replaced library was not kept alive by the freeze
        assert max(counts) - min(counts) < counts[0] // 10  # bounded: three rebuilds do not pile libraries up
    finally:
        freeze_after_builds(False)
    assert gc.get_freeze_count() == 0  # the last app's lifespan leaves the collector as it found it
