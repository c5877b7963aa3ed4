"""Conversation rows as the handoff and the jobs change them: lock one, read one, save a state, find idle ones."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import Conversation


def lock(session: Session, contact_id: int | None, *, fresh: bool = False) -> Conversation | None:
    """The contact's conversation with its row lock held (`fresh`: re-read a row the session holds already)."""
    query = select(Conversation).where(Conversation.contact_id == contact_id).with_for_update()
    if fresh:
        query = query.execution_options(populate_existing=True)
    return session.exec(query).first()


def find(session: Session, contact_id: int | None) -> Conversation | None:
    """The contact's conversation, without a lock."""
    return session.exec(select(Conversation).where(Conversation.contact_id == contact_id)).first()


def save_state(session: Session, conversation: Conversation, state: dict[str, Any],
               now: datetime | None = None) -> None:
    """Store a new state (and `updated_at` when given) with the transaction."""
    conversation.state = state
    if now is not None:
        conversation.updated_at = now
    session.add(conversation)


def idle_since(session: Session, cutoff: datetime) -> list[Conversation]:
    """Conversations not updated since `cutoff`."""
    return list(session.exec(select(Conversation).where(col(Conversation.updated_at) < cutoff)).all())
