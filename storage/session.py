"""The database handle types, for code outside storage/ that passes a session or engine along without querying,
and the duplicate-key error a caller resolves (a concurrent delivery of the same message)."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

__all__ = ["Engine", "IntegrityError", "Session"]
