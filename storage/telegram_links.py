"""Helper accounts and their Telegram users: one-time link codes (hashed), and who is linked to whom."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import User


def by_link_code(session: Session, digest: str) -> User | None:
    """The account whose pending link code has this hash, with its row lock held."""
    return session.exec(select(User).where(User.telegram_link_code == digest).with_for_update()).first()


def by_telegram_user(session: Session, telegram_user_id: int) -> User | None:
    """The account linked to this Telegram user, if any."""
    return session.exec(select(User).where(User.telegram_user_id == telegram_user_id)).first()


def unlink_others(session: Session, telegram_user_id: int, keep_user_id: int | None) -> None:
    """Unlink this Telegram user from every account but `keep_user_id` (one Telegram user, one account)."""
    session.execute(
        update(User)
        .where(col(User.telegram_user_id) == telegram_user_id, col(User.id) != keep_user_id)
        .values(telegram_user_id=None)
        .execution_options(synchronize_session=False)
    )
    session.flush()


def save(session: Session, user: User) -> None:
    """Write the account's changed fields with the transaction."""
    session.add(user)
