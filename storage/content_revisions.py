"""What the live-content cache reads: the key of the current content and the place closures edited in the console."""

from __future__ import annotations

from sqlmodel import Session, func, select

from storage.models import ContentRevision, PlaceClosure


def content_key(session: Session) -> tuple[int, int, int]:
    """(newest revision id, newest closure id, number of closures): any change means the content changed."""
    top = session.exec(select(func.max(ContentRevision.id))).one() or 0
    closure_top = session.exec(select(func.max(PlaceClosure.id))).one() or 0
    closure_count = session.exec(select(func.count()).select_from(PlaceClosure)).one() or 0
    return int(top), int(closure_top), int(closure_count)


def place_closures(session: Session) -> list[PlaceClosure]:
    """Every place closure row staff entered (dates as ISO text, checked by the caller)."""
    return list(session.exec(select(PlaceClosure)))
