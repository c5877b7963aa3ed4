"""Read YAML content files with clear errors naming the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class ContentError(ValueError):
    """A content file cannot be used; the message names the file, the line and the reason."""


def parse_yaml(text: str, filename: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
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
