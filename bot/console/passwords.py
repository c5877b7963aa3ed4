"""Password hashing (argon2 through pwdlib) and console user accounts: create, find, verify."""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

from pwdlib import PasswordHash

from storage import staff_accounts
from storage.models import User
from storage.session import Session
from storage.types import utcnow

ROLES = ("helper", "staff", "admin")
MIN_PASSWORD_LENGTH = 12
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_HASHER = PasswordHash.recommended()
# Verified when the e-mail address is unknown, so a wrong address takes as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("digibuur-no-such-user")


class AccountError(ValueError):
    """An account cannot be created or changed; the message says why."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_fingerprint(password_hash: str) -> str:
    """A short digest of the stored hash: a new password ends every session signed with the old one."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:12]


def normalise_email(email: str) -> str:
    return email.strip().lower()


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lower case, without spaces."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower().replace(" ", "") for line in lines if line.strip() and line[0] != "#")


def is_common_password(password: str) -> bool:
    """On the shipped list: as is, with digits or signs around it, in simple leetspeak, or repeated."""
    common = common_passwords()
    flat = password.strip().lower().replace(" ", "")
    core = _EDGES.sub("", flat)
    candidates = {flat, core, core.translate(_LEET), flat.translate(_LEET)}
    if any(candidate in common for candidate in candidates if candidate):
        return True
    for candidate in (flat, core):  # one piece again and again: a few letters, or a listed word
        for size in range(1, len(candidate) // 2 + 1):
            piece = candidate[:size]
            if len(candidate) % size == 0 and candidate == piece * (len(candidate) // size):
                return piece in common or size <= 4
    return False


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if is_common_password(password):
        raise AccountError("this password is on the list of common passwords that are tried first; choose another")


def create_user(
    session: Session, email: str, password: str, role: str, *, organisation: str | None = None, name: str = ""
) -> User:
    """A new active account; raises AccountError for a bad e-mail, role, password or a duplicate."""
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise AccountError(f"{email!r} is not an e-mail address")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if role == "helper" and not organisation:
        raise AccountError("a helper needs --organisation (the helper organisation id, e.g. beego)")
    check_new_password(password)
    if find_user(session, email) is not None:
        raise AccountError(f"an account for {email} already exists")
    user = User(
        email=email,
        name=name or email.split("@")[0],
        password_hash=hash_password(password),
        role=role,
        organisation=organisation or None,
        active=True,
        created_at=utcnow(),
    )
    return staff_accounts.add_user(session, user)


def set_password(session: Session, user: User, password: str) -> None:
    check_new_password(password)
    staff_accounts.set_password_hash(session, user, hash_password(password))


def find_user(session: Session, email: str) -> User | None:
    return staff_accounts.user_by_email(session, normalise_email(email))


def check_password(password_hash: str | None, password: str) -> tuple[bool, str | None]:
    """(valid, a new hash when the stored one uses old parameters). No database: call it outside transactions.
    Without a stored hash (unknown e-mail) it spends the same argon2 work and answers False."""
    if password_hash is None or not password:
        _HASHER.verify(password or "-", _DUMMY_HASH)
        return False, None
    valid, new_hash = _HASHER.verify_and_update(password, password_hash)
    return bool(valid), new_hash


def verify_login(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (always spends one argon2 verification)."""
    user = find_user(session, email)
    valid, new_hash = check_password(user.password_hash if user is not None and user.active else None, password)
    if user is None or not valid:
        return None
    if new_hash is not None:
        staff_accounts.set_password_hash(session, user, new_hash)
    return user
