"""Review status of translations: the newest reviewer's word per (kind, key, language), and adding one."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from storage.models import TextReview

ReviewKey = tuple[str, str, str]  # (kind, key, language)
STATUSES = ("reviewed", "draft")


def latest_reviews(session: Session) -> dict[ReviewKey, TextReview]:
    """The newest review row of every (kind, key, language) that has one."""
    newest = (
        select(func.max(TextReview.id))
        .group_by(TextReview.kind, TextReview.key, TextReview.language)
    )
    rows = session.exec(select(TextReview).where(col(TextReview.id).in_(newest)))
    return {(row.kind, row.key, row.language): row for row in rows}


def newest_review_id(session: Session) -> int:
    """The id of the newest review (0 without any): live content rebuilds when it changes."""
    return int(session.exec(select(func.max(TextReview.id))).one() or 0)


def add_review(
    session: Session,
    item: ReviewKey,
    *,
    status: str,
    text_hash: str,
    reviewer: str,
    now: datetime,
    note: str | None = None,
) -> TextReview:
    """Record that `reviewer` marked one text in one language reviewed (or back to draft)."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    kind, key, language = item
    row = TextReview(kind=kind, key=key, language=language, status=status, text_hash=text_hash,
                     reviewer=reviewer[:254], note=(note or None) and note[:500], created_at=now)
    session.add(row)
    session.flush()
    return row
