"""Per-helper e-mail choices for new tickets, as the console lists them (organisation choices: handoff.mail)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import NotifyChoice


def helper_choices(session: Session, organisation: str) -> dict[int, NotifyChoice]:
    """The organisation's helpers' own choices, by user id."""
    rows = session.exec(select(NotifyChoice).where(NotifyChoice.organisation == organisation,
                                                   col(NotifyChoice.user_id).is_not(None)))
    return {row.user_id: row for row in rows if row.user_id is not None}


def helper_choice(session: Session, user_id: int) -> NotifyChoice | None:
    """A helper's own choice (None: the default)."""
    return session.exec(select(NotifyChoice).where(NotifyChoice.user_id == user_id)).first()
