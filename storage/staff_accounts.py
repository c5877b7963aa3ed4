"""Console accounts (helpers, staff, admins): look up, add, change password hash, end every session."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import User


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def user_by_email(session: Session, email: str) -> User | None:
    """The account with exactly this (already normalised) e-mail address."""
    return session.exec(select(User).where(User.email == email)).first()


def add_user(session: Session, user: User) -> User:
    """Store a new account and give it its id."""
    session.add(user)
    session.flush()
    return user


def set_password_hash(session: Session, user: User, password_hash: str) -> None:
    user.password_hash = password_hash
    session.add(user)


def end_sessions(session: Session, user_id: int) -> None:
    """Every console session of this user ends: its session generation goes up (nothing when unknown)."""
    user = session.get(User, user_id)
    if user is not None:
        user.session_generation = (user.session_generation or 0) + 1
        session.add(user)


def reload_detached(session: Session, user: User) -> User:
    """The stored account as it is now, usable after the session ends."""
    session.flush()
    session.refresh(user)
    session.expunge(user)
    return user


def active_helpers(session: Session, organisation: str) -> list[User]:
    """The organisation's active helper accounts, oldest first."""
    return list(session.exec(select(User).where(User.organisation == organisation, User.role == "helper",
                                                col(User.active).is_(True)).order_by(col(User.id))))
