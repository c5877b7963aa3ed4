"""The library rules of the house (ARCHITECTURE.md): sqlmodel and sqlalchemy only in storage/, twilio only in the
Twilio channel modules, telegram only in the Telegram channel modules, apscheduler only in the scheduler root.
Every import counts, also one inside a function."""

from __future__ import annotations

import ast
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handoff", "storage", "intents", "guides", "places")
# library -> where it may be imported (glob patterns on the path from the repository root)
RULES: dict[str, tuple[str, ...]] = {
    "sqlmodel": ("storage/*",),
    "sqlalchemy": ("storage/*",),
    "twilio": ("bot/channels/twilio/*",),
    "telegram": ("bot/channels/telegram/*",),
    "apscheduler": ("bot/jobs.py",),
}


def imported_libraries(source: str) -> set[str]:
    """The top-level names of every module a Python source imports (function-local imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def broken_rules(root: Path) -> list[str]:
    """'path: imports library' for every import the rules forbid, under the packages of `root`."""
    problems = []
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            for library in sorted(imported_libraries(path.read_text(encoding="utf-8")) & set(RULES)):
                if not any(fnmatch(relative, allowed) for allowed in RULES[library]):
                    problems.append(f"{relative}: imports {library}")
    return problems


def test_every_library_is_imported_only_where_the_house_allows() -> None:
    assert broken_rules(ROOT) == []


def test_the_check_finds_a_broken_rule(tmp_path: Path) -> None:
    (tmp_path / "bot" / "console").mkdir(parents=True)
    (tmp_path / "storage").mkdir()
    (tmp_path / "bot" / "console" / "page.py").write_text(
        "def view():\n    from sqlmodel import select\n    return select\n", encoding="utf-8")
    (tmp_path / "bot" / "flows.py").write_text("import telegram.ext\n", encoding="utf-8")
    (tmp_path / "storage" / "rows.py").write_text("from sqlalchemy import text\n", encoding="utf-8")
    assert broken_rules(tmp_path) == ["bot/console/page.py: imports sqlmodel", "bot/flows.py: imports telegram"]
