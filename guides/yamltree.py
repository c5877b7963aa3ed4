"""Read YAML into plain values that keep their line numbers (scalars stay text: no yes/no booleans)."""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.content_base.yamlio import compose_yaml

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


@dataclass(frozen=True)
class Located:
    """A YAML value (text, None, list or mapping of Located) and the 1-based line where it starts."""

    value: str | list[Located] | dict[str, Located] | None
    line: int

    def text(self) -> str | None:
        return self.value if isinstance(self.value, str) else None

    def mapping(self) -> dict[str, Located] | None:
        return self.value if isinstance(self.value, dict) else None

    def items(self) -> list[Located] | None:
        return self.value if isinstance(self.value, list) else None


@dataclass(frozen=True)
class YamlIssue:
    """Something wrong with the YAML itself."""

    line: int
    message: str


def _convert(node: Node, issues: list[YamlIssue]) -> Located:
    line = int(node.start_mark.line) + 1
    if isinstance(node, ScalarNode):
        raw = str(node.value)
        plain_null = node.style is None and raw in _NULLS
        return Located(None if plain_null else raw, line)
    if isinstance(node, SequenceNode):
        return Located([_convert(item, issues) for item in node.value], line)
    if isinstance(node, MappingNode):
        result: dict[str, Located] = {}
        for key_node, value_node in node.value:
            key_line = int(key_node.start_mark.line) + 1
            if not isinstance(key_node, ScalarNode):
                issues.append(YamlIssue(key_line, "a key must be a single word"))
                continue
            key = str(key_node.value)
            if key in result:
                issues.append(YamlIssue(key_line, f"'{key}' appears twice here"))
                continue
            result[key] = _convert(value_node, issues)
        return Located(result, line)
    issues.append(YamlIssue(line, "unsupported YAML node"))
    return Located(None, line)


def read_yaml(text: str) -> tuple[Located | None, list[YamlIssue]]:
    """The document in `text` as a Located tree, plus the problems with the YAML itself."""
    try:
        root = compose_yaml(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        return None, [YamlIssue(line, f"not valid YAML: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return None, [YamlIssue(1, f"not valid YAML: {exc}")]
    if root is None:
        return None, [YamlIssue(1, "the file is empty")]
    issues: list[YamlIssue] = []
    return _convert(root, issues), issues
