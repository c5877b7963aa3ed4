"""Read YAML as nodes that keep their line numbers, and small checks that report 'file:line: reason'."""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.content_base.yamlio import compose_yaml

STR_TAG = "tag:yaml.org,2002:str"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"


def line_of(node: Node) -> int:
    """The 1-based line where a node starts."""
    return int(node.start_mark.line) + 1


@dataclass
class Problems:
    """Collects problems of one file, each as 'filename:line: reason'."""

    filename: str
    items: list[str] = field(default_factory=list)

    def add(self, line: int, reason: str) -> None:
        self.items.append(f"{self.filename}:{line}: {reason}")


def compose(filename: str, text: str, problems: Problems) -> MappingNode | None:
    """Parse text into a top-level mapping node; on failure add a problem and return None."""
    try:
        root = compose_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        problems.add(line, f"invalid YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        problems.add(1, f"invalid YAML: {exc}")
        return None
    if not isinstance(root, MappingNode):
        line = line_of(root) if root is not None else 1
        problems.add(line, "the file must be a mapping (key: value lines)")
        return None
    return root


def mapping_items(node: MappingNode, where: str, problems: Problems) -> dict[str, Node]:
    """Keys (as text) to value nodes; reports non-text and duplicate keys."""
    items: dict[str, Node] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag != STR_TAG:
            problems.add(line_of(key_node), f"{where}keys must be words")
            continue
        key = str(key_node.value)
        if key in items:
            problems.add(line_of(key_node), f"{where}{key} appears twice")
            continue
        items[key] = value_node
    return items


def text_value(node: Node, where: str, problems: Problems, *, allow_empty: bool = False) -> str | None:
    """The text of a scalar node as written (so `no` and `on` stay words), or None with a problem."""
    if not isinstance(node, ScalarNode) or node.tag not in (STR_TAG, INT_TAG, FLOAT_TAG, BOOL_TAG):
        problems.add(line_of(node), f"{where} must be text")
        return None
    value = str(node.value).strip()
    if not value and not allow_empty:
        problems.add(line_of(node), f"{where} must not be empty")
        return None
    return value


def number_value(node: Node, where: str, problems: Problems) -> float | None:
    """The number in a scalar node, or None (with a problem)."""
    if isinstance(node, ScalarNode) and node.tag in (INT_TAG, FLOAT_TAG):
        try:
            return float(node.value)
        except ValueError:
            pass
    problems.add(line_of(node), f"{where} must be a number")
    return None


def text_list(node: Node, where: str, problems: Problems) -> list[tuple[int, str]]:
    """(line, text) of every item of a sequence of texts; reports non-lists, non-texts and duplicates."""
    if not isinstance(node, SequenceNode):
        problems.add(line_of(node), f"{where} must be a list")
        return []
    seen: set[str] = set()
    result: list[tuple[int, str]] = []
    for item in node.value:
        value = text_value(item, f"{where} item", problems)
        if value is None:
            continue
        if value.lower() in seen:
            problems.add(line_of(item), f"{where} lists {value!r} twice")
            continue
        seen.add(value.lower())
        result.append((line_of(item), value))
    return result


def check_spec_version(items: dict[str, Node], root: MappingNode, problems: Problems) -> None:
    """Every content file starts with spec_version: 1."""
    node = items.get("spec_version")
    if node is None:
        problems.add(line_of(root), "spec_version is missing (expected spec_version: 1)")
        return
    if not isinstance(node, ScalarNode) or node.tag != INT_TAG or node.value.strip() != "1":
        problems.add(line_of(node), "spec_version must be 1")


def check_known_keys(items: dict[str, Node], known: set[str], where: str, problems: Problems) -> None:
    """Report keys that the schema does not know (typos such as 'exemples')."""
    for key, node in items.items():
        if key not in known:
            problems.add(line_of(node), f"{where}unknown key {key!r} (known: {', '.join(sorted(known))})")
