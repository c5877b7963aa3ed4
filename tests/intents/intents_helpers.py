"""Paths and small builders shared by the intents tests (imported by name: tests/ has no packages)."""

from __future__ import annotations

import pathlib

REPO = pathlib.Path(__file__).resolve().parents[2]
CATALOG_DIR = REPO / "intents" / "catalog"
DEV_SET = REPO / "tests" / "data" / "intents_dev.tsv"


def intent_yaml(intent_id: str, action: str, nl: list[str], keywords: list[str] | None = None) -> str:
    """The text of a minimal intent file with Dutch examples (and keywords)."""
    lines = ["spec_version: 1", f"id: {intent_id}", f'action: "{action}"', "examples:", "  nl:"]
    lines += [f"    - {text}" for text in nl]
    if keywords:
        lines += ["keywords:", f"  nl: [{', '.join(keywords)}]"]
    return "\n".join(lines) + "\n"
