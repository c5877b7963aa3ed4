"""Console accounts as the `digibuur users` command sees them: the list and deactivation."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import User


def all_users(session: Session) -> list[User]:
    """Every account, ordered by e-mail address."""
    return list(session.exec(select(User).order_by(col(User.email))))


def deactivate(session: Session, user: User) -> None:
    """Stop `user` from logging in (the caller's transaction commits it)."""
    user.active = False
    session.add(user)
