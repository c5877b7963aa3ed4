"""Adding a language is adding content: an invented language from a temporary content folder, chatted in."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.library import Library
from bot.content_base.yamlio import ContentError
from bot.settings import ContentPaths
from guides.problems import GuideError
from places.loader import PlacesDataError
from tests.languages.content_languages import add_language, copy_content, language_entry, swap_vowels

ROOT = Path(__file__).resolve().parents[2]
CODE = "qaa"  # ISO 639: reserved for local use, so no real language


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("content")
    copy_content(folder)
    entry = language_entry(CODE, "Qaatiz", switch=["qaatiz", "in qaatiz"], words=["qo", "woor", "kon"])
    add_language(folder, entry)
    return folder


def chat(workdir: Path, content: Path, lines: list[str]) -> list[dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DIGIBUUR_CONTENT_DIR": str(content),
           "DATABASE_URL": f"sqlite:///{workdir / 'chat.db'}"}
    out = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--json"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, cwd=workdir, env=env, check=True, timeout=300)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def test_an_invented_language_is_offered_and_spoken(content: Path, tmp_path: Path) -> None:
    library = Library.load(ContentPaths.under(content))
    assert CODE in library.texts.languages
    nl = library.texts.sentences["nl"]
    replies = chat(tmp_path, content, ["qaatiz", "1", "menu"])
    confirmation = swap_vowels(nl["language_set"])
    assert str(replies[0]["text"]).startswith(confirmation) and replies[0]["language"] == CODE
    menu = replies[0] if replies[0]["options"] else replies[1]  # on SMS they share a message when it fits
    listed = "\n".join(f"{n} {label}" for n, label in enumerate(menu["options"], start=1))  # type: ignore[arg-type]
    spoken = swap_vowels(nl["menu_prompt"]) + "\n" + listed + "\n" + swap_vowels(nl["menu_footer"])
    assert menu["text"] == (f"{confirmation}\n{spoken}" if menu is replies[0] else spoken)
    after = replies[replies.index(menu) + 1:]
    assert after[0]["text"] == swap_vowels(nl["dp_ask_location"])
    assert all(reply["language"] == CODE for reply in replies)


def test_the_menu_offers_the_invented_language_by_its_own_name(content: Path, tmp_path: Path) -> None:
    replies = chat(tmp_path, content, ["taal"])
    assert "Qaatiz" in replies[0]["options"]  # type: ignore[operator]


def test_the_first_clear_message_in_it_decides(content: Path, tmp_path: Path) -> None:
    replies = chat(tmp_path, content, ["woor kon qo digipunt"])
    assert replies[0]["language"] == CODE


def _broken(content: Path, tmp_path: Path, relative: str, old: str, new: str) -> Path:
    copy = tmp_path / "broken"
    copy_content(copy)
    for name in ("texts", "guides", "places", "intents"):
        shutil.copytree(content / name, copy / name, dirs_exist_ok=True)
    target = copy / relative
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def test_a_missing_sentence_is_refused_with_file_and_line(content: Path, tmp_path: Path) -> None:
    text = (content / "texts" / f"{CODE}.yaml").read_text(encoding="utf-8")
    line = next(n for n, raw in enumerate(text.splitlines(), start=1) if raw.startswith('"greeting"'))
    copy = _broken(content, tmp_path, f"texts/{CODE}.yaml", text.splitlines()[line - 1] + "\n", "")
    with pytest.raises(ContentError) as refused:
        Library.load(ContentPaths.under(copy))
    assert f"{CODE}.yaml:{line}: greeting: missing translation" in str(refused.value)


def test_a_missing_guide_text_is_refused_with_file_and_line(content: Path, tmp_path: Path) -> None:
    guide = (content / "guides" / "hotspot.yaml").read_text(encoding="utf-8")
    line = next(raw for raw in guide.splitlines() if raw.strip().startswith(f"{CODE}:"))
    copy = _broken(content, tmp_path, "guides/hotspot.yaml", line + "\n", "")
    with pytest.raises(GuideError) as refused:
        Library.load(ContentPaths.under(copy))
    found = [p for p in refused.value.problems if p.language == CODE and "missing translation" in p.message]
    assert found and found[0].file.endswith("hotspot.yaml") and found[0].line > 1


def test_a_missing_place_note_is_refused_with_file_and_line(content: Path, tmp_path: Path) -> None:
    places = (content / "places" / "digipunten.yaml").read_text(encoding="utf-8")
    line = next(raw for raw in places.splitlines() if raw.strip().startswith(f"{CODE}:"))
    copy = _broken(content, tmp_path, "places/digipunten.yaml", line + "\n", "")
    with pytest.raises(PlacesDataError) as refused:
        Library.load(ContentPaths.under(copy))
    assert any(p.startswith("digipunten.yaml:") and f"misses {CODE}" in p for p in refused.value.problems)
