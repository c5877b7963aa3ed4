"""The database handle types, for code outside storage/ that passes a session or engine along without querying."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

__all__ = ["Engine", "Session"]
