"""The house keeps its shape: ARCHITECTURE.md names only paths that exist, the kernel imports nothing of ours, and
no import circle runs between bot's packages (function-local imports count)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ("bot", "intents", "guides", "places", "handoff", "storage")
FOLDERS = (*OURS, "tests", "benchmarks")
KERNEL = ("messages", "effects", "state", "fold", "settings", "stats", "logs", "scripts")

# Upward imports that still make circles, each a debt named in ARCHITECTURE.md ("Known debts"). Remove an entry
# when its import is gone; never add one to make a new circle pass.
KNOWN_UPWARD = {
    ("bot.flows", "bot.engine"),  # flows call engine.perform / repeat_question through function-local imports
    ("bot.content", "handoff"),  # the live cache loads the helper organisations with the content
    ("handoff", "bot.content"),  # live keeps its own cache of organisations and texts; resident and policy read content
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of ours (migration versions left out), by dotted name."""
    found: dict[str, Path] = {}
    for top in OURS:
        for path in (ROOT / top).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _ours(name: str) -> str | None:
    """The module of ours that `name` (a module or a name inside one) belongs to."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str) -> set[str]:
    """Our modules that `name` imports anywhere in its file (top level, functions, TYPE_CHECKING blocks)."""
    path = modules()[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            module = _ours(target)
            if module is not None and module != name:
                found.add(module)
    return found


def unit(name: str) -> str:
    """The part of the house a module belongs to: a bot subpackage, a top-level bot module, or a whole package."""
    parts = name.split(".")
    if parts[0] != "bot":
        return parts[0]
    if len(parts) >= 2 and (ROOT / "bot" / parts[1]).is_dir():
        return f"bot.{parts[1]}"
    return name


def unit_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name in modules():
        for imported in imports_of(name):
            if unit(name) != unit(imported):
                graph.setdefault(unit(name), set()).add(unit(imported))
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts of `graph` with more than one member (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                part.append(member)
                if member == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_between_the_parts_of_the_house() -> None:
    graph = {a: {b for b in targets if (a, b) not in KNOWN_UPWARD} for a, targets in unit_graph().items()}
    assert circles(graph) == []


def test_every_known_upward_import_still_exists() -> None:
    """A debt that was paid leaves the list (so the list never hides a new upward import)."""
    graph = unit_graph()
    assert sorted(pair for pair in KNOWN_UPWARD if pair[1] not in graph.get(pair[0], set())) == []


def test_the_circle_finder_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_kernel_imports_nothing_of_ours_outside_the_kernel() -> None:
    kernel = {f"bot.{name}" for name in KERNEL}
    outside = {name: sorted(imports_of(name) - kernel) for name in sorted(kernel)}
    assert {name: found for name, found in outside.items() if found} == {}


def test_bot_top_level_holds_only_the_kernel_the_core_and_the_roots() -> None:
    """Everything else in bot/ lives in a package of its floor (content_base, content, flows, outbound, desks,
    channels, web, simulator, console, crons, cli)."""
    allowed = {*KERNEL, "render", "engine", "runtime", "service", "metrics", "app", "jobs", "__init__"}
    assert sorted(path.stem for path in (ROOT / "bot").glob("*.py") if path.stem not in allowed) == []


def test_function_local_imports_are_seen() -> None:
    assert "bot.engine" in imports_of("bot.flows.menu")


def _named_paths(text: str) -> Iterator[str]:
    """Every path-like name in the page: `bot/runtime.py`, `storage/`, `bot.content.live`, and the layout block."""
    spans = re.findall(r"`([^`\n]+)`", text)
    blocks = re.findall(r"```\n(.*?)```", text, flags=re.S)
    words = [*spans, *(word for block in blocks for word in block.split())]
    for word in words:
        word = word.strip(".,;:()")
        if any(mark in word for mark in "*<>{} ") or "://" in word:
            continue
        is_path = "/" in word and word.split("/")[0] in FOLDERS
        if is_path or re.fullmatch(r"(bot|intents|guides|places|handoff|storage)(\.[a-z_]+)+", word):
            yield word


def test_architecture_page_names_only_paths_that_exist() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    named = list(_named_paths(text))
    for word in named:
        if "/" in word:
            if not (ROOT / word).exists():
                missing.append(word)
        elif _ours(word) is None or not (
            _ours(word) == word or word.rpartition(".")[0] == _ours(word)  # a module, or a name in one
        ):
            missing.append(word)
    assert len(named) > 40
    assert missing == []


def test_readme_links_the_architecture_page_in_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](./ARCHITECTURE.md)" in readme or "](ARCHITECTURE.md)" in readme
    assert "../shared" not in readme
