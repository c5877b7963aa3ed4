"""The one list of languages: shipped content, file and line on every problem, and nothing hard-coded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.sms_budget import budget_problems
from bot.content.texts import Texts
from bot.content_base.languages import parse_languages, shipped_languages
from bot.content_base.yamlio import ContentError
from tests.languages.content_languages import copy_content

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "intents", "guides", "places", "handoff", "storage")
# ("nl", "en", "fr"), ["nl", "en"], {"nl": ..., "fr": ...} written into code: a list of languages
LISTED = re.compile(r"""(["'])(nl|en|fr|tr|ar|bg|uk)\1\s*[,:]\s*[^\n]{0,40}?(["'])(nl|en|fr|tr|ar|bg|uk)\3""")

MINIMAL = """spec_version: 1
source: nl
languages:
  - code: nl
    name: Nederlands
    english: Dutch
    script: Latn
    sms: {encoding: gsm7, max_segments: 2}
"""


def test_the_shipped_list() -> None:
    listed = shipped_languages()
    assert listed.codes == ("nl", "en", "fr", "tr", "ar", "bg", "uk")
    assert listed.source == "nl" and {"nl", "en", "fr"} <= set(listed.active)
    assert [listed.name(code) for code in listed.codes] == [
        "Nederlands", "English", "Français", "Türkçe", "العربية", "Български", "Українська"]
    assert [listed.get(code).script for code in ("tr", "ar", "bg", "uk")] == ["Latn", "Arab", "Cyrl", "Cyrl"]
    assert listed.get("ar").direction == "rtl"
    assert [listed.sms(code).max_segments for code in listed.codes] == [2, 2, 2, 2, 3, 3, 3]
    assert listed.sms("tr").spell("Şifre ğ ı İ ç Ç ö ü") == "Sifre g i I c Ç ö ü"
    assert listed.get("nl").voice_locale == "nl-BE"
    assert listed.other("ru") is not None and listed.other("ru").first == ("uk", "bg")


def test_no_language_list_is_written_into_the_code() -> None:
    found = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if LISTED.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "languages listed in code:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        ("    sms: {encoding: gsm7, max_segments: 2}", 8, "sms.encoding must be one of gsm7, ucs2"),
        ("    script: Latn", 7, "script 'latin' must be an ISO 15924 code"),
        ("source: nl", 2, "source 'xx' must be one of the languages"),
    ],
)
def test_problems_name_file_and_line(change: str, line: int, reason: str) -> None:
    broken = {
        "    sms: {encoding: gsm7, max_segments: 2}": "    sms: {encoding: utf8, max_segments: 2}",
        "    script: Latn": "    script: latin",
        "source: nl": "source: xx",
    }[change]
    with pytest.raises(ContentError) as refused:
        parse_languages(MINIMAL.replace(change, broken), "_languages.yaml")
    assert f"_languages.yaml:{line}: " in str(refused.value) and reason in str(refused.value)


def test_unquoted_yes_in_a_word_list_is_refused() -> None:
    text = MINIMAL + "    identify: {words: [ja, yes]}\n"
    with pytest.raises(ContentError, match=r"_languages.yaml:9: identify.words: True is not text"):
        parse_languages(text, "_languages.yaml")


def test_an_active_language_without_its_texts_file_is_refused(tmp_path: Path) -> None:
    copy_content(tmp_path)
    listed = tmp_path / "texts" / "_languages.yaml"
    assert "tr" in parse_languages(listed.read_text(encoding="utf-8")).active
    (tmp_path / "texts" / "tr.yaml").unlink()
    with pytest.raises(ContentError, match=r"tr\.yaml:1: missing file: tr is active"):
        Texts.load(tmp_path / "texts")


def test_a_text_over_its_languages_budget_is_refused_with_its_line(tmp_path: Path) -> None:
    copy_content(tmp_path)
    english = tmp_path / "texts" / "en.yaml"
    text = english.read_text(encoding="utf-8")
    line = next(n for n, raw in enumerate(text.splitlines(), start=1) if raw.startswith("thanks_reply:"))
    english.write_text(text.replace("thanks_reply: \"", "thanks_reply: \"" + "very long " * 40, 1), encoding="utf-8")
    with pytest.raises(ContentError, match=rf"en\.yaml:{line}: thanks_reply: 4 SMS segments as sent"):
        Texts.load(tmp_path / "texts")


def test_budgets_count_after_the_sms_spelling_and_refuse_invisible_characters() -> None:
    turkish, arabic = shipped_languages().sms("tr"), shipped_languages().sms("ar")
    sentence = "Şifrenizi değiştirmek için ayarlar menüsünü açın. " * 5  # 255 letters: UCS-2 unless spelled
    assert budget_problems(sentence[:300], turkish) == []
    assert budget_problems("ا" * 201, arabic) == []
    assert "4 SMS segments" in budget_problems("ا" * 202, arabic)[0]
    assert "U+200F" in budget_problems("مرحبا\u200f 12", arabic)[0]
