"""Shared fixtures for the guide tests: the shipped content, a loaded book, editable copies."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from bot.content_base.languages import LanguageList, shipped_languages
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


MINI_LANGUAGES = ("nl", "en", "fr")


@pytest.fixture
def three_languages(monkeypatch: pytest.MonkeyPatch) -> LanguageList:
    """The shipped language list with only nl, en and fr offered: the small test guides below are written in
    those three (the shipped guides are checked against every active language elsewhere)."""
    import guides.model
    import guides.parse
    import guides.validate

    shipped = shipped_languages()
    languages = replace(shipped, languages=tuple(
        language if language.code in MINI_LANGUAGES else replace(language, active=False)
        for language in shipped.languages))
    for module in (guides.model, guides.parse, guides.validate):
        monkeypatch.setattr(module, "shipped_languages", lambda: languages)
    return languages
