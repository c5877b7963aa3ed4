"""Shared fixtures for the guide tests: the shipped content, a loaded book, editable copies."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from guides.loader import GuideBook, load_guides

SHIPPED = Path(__file__).resolve().parents[2] / "guides" / "content"


@pytest.fixture(scope="session")
def shipped_dir() -> Path:
    return SHIPPED


@pytest.fixture(scope="session")
def book() -> GuideBook:
    return load_guides(SHIPPED)


@pytest.fixture
def content_copy(tmp_path: Path) -> Callable[[], Path]:
    """Copies the shipped content into tmp_path/guides and returns that directory."""

    def make() -> Path:
        target = tmp_path / "guides"
        shutil.copytree(SHIPPED, target)
        return target

    return make
