"""Staff edits of content files (guides, intents, places, texts, organisations): newest, history, add, and the
key the live-content cache watches."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from storage.models import ContentRevision, PlaceClosure


def newest_revision(session: Session, kind: str, key: str) -> ContentRevision | None:
    """The live revision of one file (None: the shipped file is live)."""
    return session.exec(
        select(ContentRevision)
        .where(ContentRevision.kind == kind, ContentRevision.key == key)
        .order_by(col(ContentRevision.id).desc())
    ).first()


def revisions_of(session: Session, kind: str, key: str) -> list[ContentRevision]:
    """Every revision of one file, newest first."""
    return list(session.exec(
        select(ContentRevision)
        .where(ContentRevision.kind == kind, ContentRevision.key == key)
        .order_by(col(ContentRevision.id).desc())
    ))


def revision_by_id(session: Session, revision_id: int) -> ContentRevision | None:
    return session.get(ContentRevision, revision_id)


def store_revision(session: Session, revision: ContentRevision) -> ContentRevision:
    """Add a new revision and give it its id."""
    session.add(revision)
    session.flush()
    return revision


def content_key(session: Session) -> tuple[int, int, int]:
    """(newest revision id, newest closure id, number of closures): any change means the content changed."""
    top = session.exec(select(func.max(ContentRevision.id))).one() or 0
    closure_top = session.exec(select(func.max(PlaceClosure.id))).one() or 0
    closure_count = session.exec(select(func.count()).select_from(PlaceClosure)).one() or 0
    return int(top), int(closure_top), int(closure_count)

