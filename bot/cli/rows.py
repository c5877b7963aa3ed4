"""A listing command's output: its rows as the JSON contract with --json, else one line per row (or a note)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot.settings import Settings
from storage.db import make_engine, read_session
from storage.session import Session

Row = dict[str, Any]


def read_rows(fetch: Callable[[Session], list[Row]]) -> list[Row]:
    """The rows `fetch` reads from the database DATABASE_URL names (the engine is closed afterwards)."""
    engine = make_engine(Settings.from_env().database_url)
    try:
        with read_session(engine) as session:
            return fetch(session)
    finally:
        engine.dispose()


def print_rows(rows: list[Row], as_json: bool, line: Callable[[Row], str], empty: str) -> int:
    """Print the rows (JSON, or `line` per row, or `empty` when there are none); the command's exit code."""
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(line(row))
    if not rows:
        print(empty)
    return 0
