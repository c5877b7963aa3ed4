"""End conversations idle for longer than the setting, so a new message starts fresh (a guide can be resumed)."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.runtime import Deps
from bot.state import State
from storage import conversation_states
from storage.db import transaction


def run(deps: Deps, now: datetime) -> dict[str, int]:
    cutoff = now - timedelta(minutes=deps.settings.conversation_idle_minutes)
    ended = 0
    with transaction(deps.db) as session:
        for row in conversation_states.idle_since(session, cutoff):
            state = State.from_dict(row.state)
            if not state.flow and not state.options:
                continue
            state.flow = ""
            state.options = []
            state.data = {}
            state.misses = 0
            state.step_misses = 0
            conversation_states.save_state(session, row, state.to_dict())
            ended += 1
    return {"ended": ended}
