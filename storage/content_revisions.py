"""Staff edits of content files (guides, intents, places, texts, organisations): newest, history, add."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import ContentRevision


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
