"""What went wrong, for the console's "Problems" page: unresolved dead letters and failed outgoing messages."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.enums import OutboxStatus
from storage.models import DeadLetter, Message, Outbox


def open_dead_letters(session: Session, limit: int) -> list[tuple[DeadLetter, str | None]]:
    """Unresolved dead letters, newest first, with the text of their message (None when it is gone)."""
    rows = session.exec(
        select(DeadLetter, Message.text)
        .join(Message, col(Message.id) == col(DeadLetter.message_id), isouter=True)
        .where(DeadLetter.resolved == False)  # noqa: E712
        .order_by(col(DeadLetter.id).desc())
        .limit(limit)
    ).all()
    return [(letter, text) for letter, text in rows]


def failed_outbox(session: Session, limit: int) -> list[Outbox]:
    """Outgoing messages that failed or were skipped, newest first."""
    return list(session.exec(
        select(Outbox)
        .where(col(Outbox.status).in_((OutboxStatus.FAILED, OutboxStatus.SKIPPED)))
        .order_by(col(Outbox.id).desc())
        .limit(limit)
    ).all())


def resolve_dead_letter(session: Session, letter_id: int) -> bool:
    """Mark one dead letter resolved; False when it does not exist."""
    letter = session.get(DeadLetter, letter_id)
    if letter is None:
        return False
    letter.resolved = True
    session.add(letter)
    return True
