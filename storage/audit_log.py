"""The audit log: who changed what to which thing, when (never message content)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import AuditLog


def record(session: Session, actor: str, action: str, target: str, now: datetime) -> None:
    """One line in the audit log (fields cut to their column sizes)."""
    session.add(AuditLog(actor=actor[:254], action=action[:64], target=target[:254], created_at=now))


def newest(session: Session, limit: int) -> list[AuditLog]:
    """The newest lines, newest first."""
    return list(session.exec(select(AuditLog).order_by(col(AuditLog.id).desc()).limit(limit)))
