"""Copy pending tr/ar/bg/uk drafts (pending_translations.yaml) into the content once their Dutch keys exist.

Run from the repository root after merging the branches that add the Dutch sentences:
    python tests/content/pending_translations.py [CONTENT_ROOT]
A pending sentence is copied only when the Dutch text in the content is the Dutch text it was translated from;
otherwise it is reported (the Dutch changed: translate again). Lines are edited in place; nothing else moves.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

PENDING = Path(__file__).with_name("pending_translations.yaml")
LANGUAGES = ("tr", "ar", "bg", "uk")


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def apply_texts(texts_dir: Path, pending: dict[str, dict[str, str]]) -> list[str]:
    """Set each pending sentence in texts/<lang>.yaml whose Dutch source is in nl.yaml; what was done or left."""
    dutch = _load(texts_dir / "nl.yaml")
    notes = []
    for language in LANGUAGES:
        path = texts_dir / f"{language}.yaml"
        lines = path.read_text(encoding="utf-8").rstrip("\n").split("\n")
        for key, by_language in pending.items():
            if key not in dutch:
                notes.append(f"{language}: {key}: not in nl.yaml yet")
                continue
            if dutch[key] != by_language["nl"]:
                notes.append(f"{language}: {key}: the Dutch changed, translate again")
                continue
            line = f"{key}: {_quoted(by_language[language])}"
            index = next((i for i, old in enumerate(lines) if old.startswith(f"{key}: ")), None)
            if index is None:
                lines.append(line)
            else:
                lines[index] = line
            notes.append(f"{language}: {key}: set")
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return notes


def apply_phrases(phrases_path: Path, pending: dict[str, dict[str, str]]) -> list[str]:
    """Set each pending phrase (one `name: {nl: ..., ...}` line per phrase) whose Dutch source matches."""
    current = _load(phrases_path)["phrases"]
    lines = phrases_path.read_text(encoding="utf-8").split("\n")
    notes = []
    for name, by_language in pending.items():
        if name not in current:
            notes.append(f"phrases: {name}: not in phrases.yaml yet")
            continue
        if current[name].get("nl") != by_language["nl"]:
            notes.append(f"phrases: {name}: the Dutch changed, translate again")
            continue
        index = next(i for i, line in enumerate(lines) if line.startswith(f"  {name}: {{"))
        line = lines[index]
        for language in LANGUAGES:
            entry = f"{language}: {_quoted(by_language[language])}"
            pattern = re.compile(rf'\b{language}: "(?:[^"\\]|\\.)*"')
            found = pattern.search(line)
            line = f"{line[: found.start()]}{entry}{line[found.end() :]}" if found else f"{line[:-1]}, {entry}}}"
        lines[index] = line
        notes.append(f"phrases: {name}: set")
    phrases_path.write_text("\n".join(lines), encoding="utf-8")
    return notes


def main(root: Path) -> int:
    pending = _load(PENDING)
    notes = apply_texts(root / "bot" / "texts", pending["texts"])
    notes += apply_phrases(root / "places" / "data" / "phrases.yaml", pending["phrases"])
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()))
