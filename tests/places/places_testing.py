"""Helpers shared by the places tests (a module name no other test folder uses)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")
DATA = Path(__file__).resolve().parents[2] / "places" / "data"


def brussels(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Brussels-time moment."""
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)
