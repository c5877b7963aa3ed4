"""Read-only sessions: on SQLite they begin a deferred transaction and never take the writer lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.db import reader


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading only (nothing is committed; SQLite readers never wait for a writer)."""
    with Session(reader(engine), expire_on_commit=False) as session:
        yield session
