"""Shared fixtures for the intents tests: the shipped catalogue, its matcher, and a tiny catalogue builder."""

from __future__ import annotations

import pathlib
from collections.abc import Callable

import pytest

from intents.catalog import IntentCatalog
from intents.matcher import Matcher
from tests.intents.intents_helpers import CATALOG_DIR


@pytest.fixture(scope="session")
def catalog() -> IntentCatalog:
    return IntentCatalog.load(CATALOG_DIR)


@pytest.fixture(scope="session")
def matcher(catalog: IntentCatalog) -> Matcher:
    return Matcher(catalog)


@pytest.fixture
def make_catalog(tmp_path: pathlib.Path) -> Callable[[dict[str, str]], pathlib.Path]:
    """Write files (name -> text) plus the shipped _settings.yaml and _spelling.yaml into a directory."""

    def build(files: dict[str, str]) -> pathlib.Path:
        for special in ("_settings.yaml", "_spelling.yaml"):
            (tmp_path / special).write_text((CATALOG_DIR / special).read_text(encoding="utf-8"), encoding="utf-8")
        for name, text in files.items():
            (tmp_path / name).write_text(text, encoding="utf-8")
        return tmp_path

    return build
