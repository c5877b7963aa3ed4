"""Read YAML content files with clear errors naming the file and line; aliases (*name) are refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import Node

ALIAS_REFUSED = "YAML aliases (*name) are not allowed in content files: write the value out"


class ContentError(ValueError):
    """A content file cannot be used; the message names the file, the line and the reason."""


class NoAliasLoader(yaml.SafeLoader):
    """The safe loader without aliases: a few hundred bytes of nested aliases (a "billion laughs") would
    otherwise cost seconds of CPU and hundreds of MB in every validator that walks the document. Content
    never needs them; staff-supplied YAML (console editors, `content import`) is read only with this."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise ComposerError(None, None, ALIAS_REFUSED, event.start_mark)
        return super().compose_node(parent, index)


# libyaml when installed: content in seven languages parses ~10x faster than with the pure-Python loader.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", None)


def _fast_enough(text: str) -> bool:
    """True when libyaml may read `text`: it is installed and the text has no alias (checked on libyaml's own
    event stream). On any problem the pure-Python loader reads it again, for the familiar message and line."""
    if _FAST_LOADER is None:
        return False
    try:
        return not any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(text, Loader=_FAST_LOADER))
    except yaml.YAMLError:
        return False


def load_yaml(text: str) -> Any:
    """yaml.safe_load, refusing aliases (raises yaml.YAMLError with the line)."""
    if _fast_enough(text):
        return yaml.load(text, Loader=_FAST_LOADER)
    return yaml.load(text, Loader=NoAliasLoader)


def compose_yaml(text: str) -> Node | None:
    """yaml.compose with the safe, alias-refusing loader (the node tree keeps line numbers)."""
    if _fast_enough(text):
        return yaml.compose(text, Loader=_FAST_LOADER)
    return yaml.compose(text, Loader=NoAliasLoader)


def parse_yaml(text: str, filename: str) -> dict[str, Any]:
    try:
        data = load_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else 0
        raise ContentError(f"{filename}:{line}: invalid YAML: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{filename}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{filename}:1: expected a mapping at the top of the file")
    return data


def load_yaml_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ContentError(f"{path}: cannot read: {exc.strerror}") from exc
    return parse_yaml(text, str(path))


Path_ = tuple[str | int, ...]


def line_index(text: str) -> dict[Path_, int]:
    """The 1-based line of every mapping key and list item, by path: ("languages", 2, "sms") -> 31.

    For error messages of loaders that read with safe_load: look the path up to name the line. A text that
    does not parse gives an empty index (the parser's own error names the line).
    """
    try:
        root = compose_yaml(text)
    except yaml.YAMLError:
        return {}
    index: dict[Path_, int] = {}

    def walk(node: yaml.Node, path: Path_) -> None:
        index.setdefault(path, int(node.start_mark.line) + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key_path = (*path, str(key_node.value))
                index[key_path] = int(key_node.start_mark.line) + 1
                walk(value_node, key_path)
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                walk(item, (*path, position))

    if root is not None:
        walk(root, ())
    return index


def nearest_line(index: dict[Path_, int], path: Path_) -> int:
    """The line of `path`, or of its closest ancestor that has one (1 when none)."""
    for end in range(len(path), -1, -1):
        line = index.get(path[:end])
        if line is not None:
            return line
    return 1
