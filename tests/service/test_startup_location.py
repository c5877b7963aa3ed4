"""A SQLite location digibuur cannot write (no such folder, read-only, full disk) stops `digibuur serve` at start-up
with one clear line on standard error, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("url", "reason"), [
    ("sqlite:////proc/digibuur.db", "unable to open database file"),  # a read-only location, even for root
    ("sqlite:////dev/full", "database or disk is full"),
    ("sqlite:////no/such/folder/digibuur.db", "does not exist"),
])
def test_an_unwritable_sqlite_location_stops_start_up_with_one_line(url: str, reason: str) -> None:
    if url.endswith("/dev/full") and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    env = {**os.environ, "DATABASE_URL": url, "DIGIBUUR_RUN_SCHEDULER": "0", "LOG_LEVEL": "WARNING"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "serve", "--port", "1"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("digibuur: ") and reason in lines[0]
    assert str(Path(url.removeprefix("sqlite:///")).parent) in lines[0]
