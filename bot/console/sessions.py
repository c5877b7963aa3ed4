"""Signed session cookies for the console (idle expiry on the service clock) and per-session CSRF tokens."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

COOKIE_NAME = "digibuur_console"
IDLE_LIMIT = timedelta(hours=8)
ABSOLUTE_LIMIT = timedelta(hours=12)  # a login lasts at most a working day, however active
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


@dataclass(frozen=True)
class SessionData:
    """What the cookie carries: the user (None before login), the CSRF token, last activity, password print,
    the user's session generation at login (logout raises it: every copy of the cookie ends) and the login time."""

    csrf: str
    seen: float
    user_id: int | None = None
    password_print: str = ""
    expired: bool = False  # set when a logged-in session was dropped for being idle too long
    generation: int = 0
    issued: float = 0.0

    @classmethod
    def anonymous(cls, now: datetime, *, expired: bool = False) -> SessionData:
        return cls(csrf=secrets.token_urlsafe(32), seen=now.timestamp(), expired=expired)

    def logged_in(self, user_id: int, password_print: str, now: datetime, generation: int = 0) -> SessionData:
        """A fresh token on login, so a token seen before login is worth nothing after it."""
        return SessionData(
            csrf=secrets.token_urlsafe(32),
            seen=now.timestamp(),
            user_id=user_id,
            password_print=password_print,
            generation=generation,
            issued=now.timestamp(),
        )

    def touched(self, now: datetime) -> SessionData:
        return replace(self, seen=now.timestamp(), expired=False)


class SessionCodec:
    """Encodes sessions into a signed cookie value and back; an idle or tampered cookie reads as anonymous."""

    def __init__(
        self, secret_key: str, idle_limit: timedelta = IDLE_LIMIT, absolute_limit: timedelta = ABSOLUTE_LIMIT
    ) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt="digibuur-console-session")
        self.idle_limit = idle_limit
        self.absolute_limit = absolute_limit

    def dumps(self, data: SessionData) -> str:
        payload: dict[str, Any] = {"c": data.csrf, "t": data.seen, "u": data.user_id, "p": data.password_print}
        if data.user_id is not None:
            payload["g"] = data.generation
            payload["i"] = data.issued
        return str(self._serializer.dumps(payload))

    def loads(self, raw: str | None, now: datetime) -> SessionData:
        if not raw:
            return SessionData.anonymous(now)
        try:
            payload = self._serializer.loads(raw)
            csrf, seen = str(payload["c"]), float(payload["t"])
            user_id = payload.get("u")
            password_print = str(payload.get("p") or "")
            generation = int(payload.get("g") or 0)
            issued = float(payload.get("i") or 0.0)
        except (BadSignature, KeyError, TypeError, ValueError):
            return SessionData.anonymous(now)
        if now.timestamp() - seen > self.idle_limit.total_seconds():
            return SessionData.anonymous(now, expired=user_id is not None)
        if user_id is not None and now.timestamp() - issued > self.absolute_limit.total_seconds():
            return SessionData.anonymous(now, expired=True)
        return SessionData(
            csrf=csrf,
            seen=seen,
            user_id=int(user_id) if user_id is not None else None,
            password_print=password_print,
            generation=generation,
            issued=issued,
        )


def tokens_match(expected: str, given: str | None) -> bool:
    """Constant-time comparison of the session's CSRF token with the one a form sent."""
    if not given or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
