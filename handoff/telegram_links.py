"""Linking a helper account to a Telegram user: a short-lived one-time code from the inbox, sent to the bot."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from storage import telegram_links as links
from storage.models import User
from storage.session import Session

CODE_DIGITS = 8
CODE_LIFETIME = timedelta(minutes=10)
_NOT_DIGITS = re.compile(r"\D")


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def new_link_code(session: Session, user: User, now: datetime) -> tuple[str, datetime]:
    """A fresh one-time code for this account (replacing an older one) and when it expires.
    Only its hash is stored; the inbox shows the code once."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    expires = now + CODE_LIFETIME
    user.telegram_link_code = _digest(code)
    user.telegram_link_expires_at = expires
    links.save(session, user)
    return code, expires


def link_telegram(session: Session, raw_code: str, telegram_user_id: int, now: datetime) -> User | None:
    """Link the account whose unexpired code this is to the Telegram user; the code is used up.
    None for a wrong, used or expired code (one answer for all, so codes cannot be probed)."""
    code = _NOT_DIGITS.sub("", raw_code)
    if len(code) != CODE_DIGITS:
        return None
    user = links.by_link_code(session, _digest(code))
    if user is None or not user.active:
        return None
    expires = user.telegram_link_expires_at
    user.telegram_link_code = None
    user.telegram_link_expires_at = None
    links.save(session, user)
    if expires is None or _aware(expires) <= now:
        return None
    # one Telegram user belongs to one account: a helper who links a new account leaves the old one
    links.unlink_others(session, telegram_user_id, user.id)
    user.telegram_user_id = telegram_user_id
    links.save(session, user)
    return user


def unlink_telegram(session: Session, user: User) -> bool:
    """Forget the account's Telegram user (and any pending code); False when none was linked."""
    linked = user.telegram_user_id is not None
    user.telegram_user_id = None
    user.telegram_link_code = None
    user.telegram_link_expires_at = None
    links.save(session, user)
    return linked


def _aware(moment: datetime) -> datetime:
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
