"""End conversations idle for longer than the setting, so a new message starts fresh (a guide can be resumed)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.runtime import Deps
from bot.state import State
from storage.db import transaction
from storage.models import Conversation


def run(deps: Deps, now: datetime) -> dict[str, int]:
    cutoff = now - timedelta(minutes=deps.settings.conversation_idle_minutes)
    ended = 0
    with transaction(deps.db) as session:
        rows = session.exec(select(Conversation).where(col(Conversation.updated_at) < cutoff)).all()
        for row in rows:
            state = State.from_dict(row.state)
            if not state.flow and not state.options:
                continue
            state.flow = ""
            state.options = []
            state.data = {}
            state.misses = 0
            state.step_misses = 0
            row.state = state.to_dict()
            session.add(row)
            ended += 1
    return {"ended": ended}
