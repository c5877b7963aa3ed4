"""Every tests/transcripts/*.yaml conversation, run through the real engine and service."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from bot.runtime import Deps
from tests.conftest import Clock
from tests.transcript import TRANSCRIPTS, run_file

FILES = sorted(TRANSCRIPTS.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_transcript(path: Path, deps: Deps, clock: Clock) -> None:
    def set_time(when: datetime) -> None:
        clock.now = when

    problems = run_file(path, deps, set_time)
    assert not problems, "\n\n".join(problems)
