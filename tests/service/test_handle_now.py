"""`handle(..., wait=False)`: a turn on the calling thread (the event loop) only when it need not wait for a
writer or the network; otherwise nothing is done and the caller hands the message to a worker thread."""

from __future__ import annotations

import sqlite3
import threading
import time

from sqlmodel import Session, func, select

from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import HandleResult, WriterBusy, handle
from storage.db import is_sqlite, sqlite_writer_lock
from storage.models import Message


def handle_now(message: Inbound, deps: Deps) -> HandleResult | None:
    try:
        return handle(message, deps, wait=False)
    except WriterBusy:
        return None


def inbound(deps: Deps, sid: str, text: str = "menu") -> Inbound:
    return Inbound(address=Address("sms", "+32470000077"), text=text, received_at=deps.clock(), external_id=sid)


def stored(deps: Deps) -> int:
    with Session(deps.db) as session:
        return int(session.exec(select(func.count()).select_from(Message)).one())


def test_a_free_sqlite_writer_handles_the_turn_here_and_stores_it(deps: Deps) -> None:
    result = handle_now(inbound(deps, "SM-now-1"), deps)
    if not is_sqlite(deps.db):
        assert result is None and stored(deps) == 0  # PostgreSQL: always a worker thread
        return
    assert result is not None and result.replies[0].text.startswith("Waarmee")
    repeat = handle(inbound(deps, "SM-now-1"), deps)
    assert repeat.duplicate and repeat.replies == result.replies and repeat.reply_ids == result.reply_ids
    assert stored(deps) == 1 + len(result.replies)


def test_another_thread_writing_means_none_and_nothing_done(deps: Deps) -> None:
    lock = sqlite_writer_lock(deps.db)
    if lock is None:
        assert handle_now(inbound(deps, "SM-now-2"), deps) is None
        return
    taken, release = threading.Event(), threading.Event()

    def writer() -> None:
        with lock:
            taken.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    taken.wait(10)
    try:
        started = time.monotonic()
        assert handle_now(inbound(deps, "SM-now-2"), deps) is None
        assert time.monotonic() - started < 1
    finally:
        release.set()
        thread.join()
    assert stored(deps) == 0
    assert handle(inbound(deps, "SM-now-2"), deps).replies  # the worker thread's turn then stores it


def test_another_process_writing_means_none_without_waiting_for_the_busy_timeout(deps: Deps) -> None:
    if not is_sqlite(deps.db):
        return
    path = deps.db.url.database
    assert path
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process's write transaction holds the database
        started = time.monotonic()
        assert handle_now(inbound(deps, "SM-now-3"), deps) is None
        assert time.monotonic() - started < 1
        other.execute("ROLLBACK")
    finally:
        other.close()
    assert stored(deps) == 0
    result = handle_now(inbound(deps, "SM-now-3"), deps)  # the connection waits normally again afterwards
    assert result is not None and result.replies
