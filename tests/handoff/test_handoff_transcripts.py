"""Handoff transcripts that need organisations with hours (tests/handoff/transcripts/*.yaml).

The shipped organisations have no hours yet, so these run with a test copy (deps.organisations). An answer
may contain {code}: the ticket code, which is random, is read from the database and filled in.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import Session, col, select

from bot.runtime import Deps
from storage.models import Ticket
from tests.conftest import Clock
from tests.handoff.conftest import ORGS_WITH_HOURS, organisations
from tests.transcript import check_turn, say

FILES = sorted((Path(__file__).parent / "transcripts").glob("*.yaml"))


def _latest_code(deps: Deps) -> str:
    with Session(deps.db) as session:
        row = session.exec(select(Ticket).order_by(col(Ticket.id).desc())).first()
        return row.code if row else "T-?"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_transcript_with_helpdesk_hours(path: Path, deps: Deps, clock: Clock) -> None:
    spec: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    orgs = organisations(str(spec.get("organisations") or ORGS_WITH_HOURS))
    deps.organisations = lambda: orgs
    clock.now = datetime.fromisoformat(str(spec["at"]))
    problems: list[str] = []
    for index, turn in enumerate(spec["turns"], start=1):
        got = say(deps, str(spec.get("channel", "sms")), str(spec["address"]), str(turn["said"]))
        if "answered" in turn:
            turn = {**turn, "answered": str(turn["answered"]).replace("{code}", _latest_code(deps))}
        problems.extend(f"{path.name} turn {index}: {p}" for p in check_turn(turn, got))
        if problems:
            break
    assert not problems, "\n\n".join(problems)
