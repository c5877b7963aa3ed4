"""Staff review of messages digibuur did not understand: the new ones, and marking one added or dismissed."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Unmatched


def unmatched_by_id(session: Session, unmatched_id: int) -> Unmatched | None:
    return session.get(Unmatched, unmatched_id)


def new_unmatched(session: Session, limit: int) -> list[Unmatched]:
    """Messages still waiting for review ("new"), newest first."""
    return list(session.exec(
        select(Unmatched).where(Unmatched.status == "new").order_by(col(Unmatched.id).desc()).limit(limit)
    ))


def set_unmatched_status(session: Session, unmatched_id: int, status: str) -> bool:
    """Give one message a review status ("added", "dismissed"); False when it does not exist."""
    row = session.get(Unmatched, unmatched_id)
    if row is None:
        return False
    row.status = status
    session.add(row)
    return True
