"""The validator on good and broken guides: errors and warnings with file, line, step and language."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content_base.languages import shipped_languages
from guides.loader import GuideError, load_guides, parse_guide_text
from guides.problems import Problem
from guides.validate import check_directory, check_frame_text, check_guide_text

LANGUAGES = shipped_languages().active

MINI = """\
id: mini
spec_version: 1
title: {nl: Mini, en: Mini, fr: Mini}
intents: [mini]
steps:
  - id: choose
    kind: answer
    text:
      nl: Welke gsm heb je?
      en: Which phone do you have?
      fr: Quel GSM avez-vous ?
    options:
      - key: iphone
        label: {nl: iPhone, en: iPhone, fr: iPhone}
        target: open
      - label: {nl: Andere, en: Other, fr: Autre}
        target: flow:digipunt
  - id: open
    text:
      nl: Open "Instellingen".
      en: Open "Settings".
      fr: Ouvrez "Réglages".
    next: try
  - id: try
    kind: check
    text:
      nl: Open een website.
      en: Open a website.
      fr: Ouvrez un site.
"""


def line_of(text: str, fragment: str) -> int:
    """1-based line of the only line containing `fragment`."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    assert len(found) == 1, (fragment, found)
    return found[0]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "error"]


def warnings(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.level == "warning"]


@pytest.mark.usefixtures("three_languages")
def test_the_mini_guide_is_clean() -> None:
    assert check_guide_text("mini.yaml", MINI) == []
    guide = parse_guide_text("mini.yaml", MINI)
    assert guide.first == "choose"
    assert [s.id for s in guide.steps.values()] == ["choose", "open", "try"]
    assert guide.steps["choose"].options[1].key == "2"


def test_dangling_step_is_an_error_on_its_line() -> None:
    text = MINI.replace("next: try", "next: nowhere")
    found = errors(check_guide_text("mini.yaml", text))
    dangling = [p for p in found if "nowhere" in p.message]
    assert len(dangling) == 1
    problem = dangling[0]
    assert (problem.file, problem.guide, problem.step, problem.line) == (
        "mini.yaml",
        "mini",
        "open",
        line_of(text, "next: nowhere"),
    )
    # 'try' is now unreachable as well
    assert any(p.step == "try" and "unreachable" in p.message for p in found)


@pytest.mark.usefixtures("three_languages")
def test_unreachable_step_is_an_error_on_its_line() -> None:
    text = MINI + ("  - id: orphan\n    text: {nl: Hallo, en: Hello, fr: Bonjour}\n    next: try\n")
    found = errors(check_guide_text("mini.yaml", text))
    assert [(p.step, p.line) for p in found] == [("orphan", line_of(text, "- id: orphan"))]
    assert "unreachable" in found[0].message


@pytest.mark.usefixtures("three_languages")
def test_missing_french_is_an_error_naming_the_language() -> None:
    text = MINI.replace('      fr: Ouvrez "Réglages".\n', "")
    found = errors(check_guide_text("mini.yaml", text))
    assert len(found) == 1
    problem = found[0]
    assert (problem.step, problem.language) == ("open", "fr")
    assert problem.line == line_of(text, 'nl: Open "Instellingen".')
    assert "missing translation" in problem.message


@pytest.mark.usefixtures("three_languages")
def test_missing_label_translation_in_a_flow_mapping() -> None:
    text = MINI.replace("label: {nl: Andere, en: Other, fr: Autre}", "label: {nl: Andere, en: Other}")
    found = errors(check_guide_text("mini.yaml", text))
    assert [(p.step, p.language, p.line) for p in found] == [("choose", "fr", line_of(text, "nl: Andere"))]


@pytest.mark.usefixtures("three_languages")
def test_three_segments_is_an_error_two_a_warning() -> None:
    long_nl = "Tik op de knop. " * 19  # about 300 characters of text, plus prefix and hint
    text = MINI.replace('nl: Open "Instellingen".', f"nl: {long_nl.strip()}")
    found = check_guide_text("mini.yaml", text)
    assert [(p.level, p.step, p.language) for p in found] == [("error", "open", "nl")]
    assert found[0].line == line_of(text, "nl: Tik op de knop.")
    assert "3 SMS segments" in found[0].message

    medium_nl = "Tik op de knop. " * 9
    text = MINI.replace('nl: Open "Instellingen".', f"nl: {medium_nl.strip()}")
    found = check_guide_text("mini.yaml", text)
    assert [(p.level, p.step, p.language) for p in found] == [("warning", "open", "nl")]
    assert "2 SMS segments" in found[0].message


@pytest.mark.usefixtures("three_languages")
def test_the_frame_counts_towards_the_length() -> None:
    # 135 characters alone fit one segment, but "Stap 1 van 2: ... Lukt het? Stuur OK." makes it two.
    body = "a" * 135
    text = MINI.replace('nl: Open "Instellingen".', f"nl: {body}")
    found = check_guide_text("mini.yaml", text)
    assert [(p.level, p.step, p.language) for p in found] == [("warning", "open", "nl")]


@pytest.mark.usefixtures("three_languages")
def test_ucs2_character_is_a_warning_with_a_suggestion() -> None:
    text = MINI.replace("fr: Ouvrez un site.", "fr: Ouvrez un site dans la fenêtre.")
    found = check_guide_text("mini.yaml", text)
    assert not errors(found)
    ucs2 = [p for p in warnings(found) if "forces UCS-2" in p.message]
    assert len(ucs2) == 1
    assert (ucs2[0].step, ucs2[0].language, ucs2[0].line) == ("try", "fr", line_of(text, "fenêtre"))
    assert "'ê'" in ucs2[0].message and "write 'e'" in ucs2[0].message


@pytest.mark.parametrize(
    ("old", "new", "fragment", "words"),
    [
        ("next: try", "nxt: try", "nxt: try", "unknown key 'nxt'"),
        ("kind: check", "kind: final", "kind: final", "kind must be one of"),
        ("spec_version: 1", "spec_version: 7", "spec_version: 7", "spec_version"),
        ("target: flow:digipunt", "target: flow:pizza", "flow:pizza", "unknown flow 'pizza'"),
        ("target: flow:digipunt", "target: guide:Bad Id", "guide:Bad Id", "is not a guide:<id>"),
        ("- id: open", "- id: Open Step", "Open Step", "must be a slug"),
        ("      - key: iphone", "      - key: '2'", "key: '2'", "its own number"),
    ],
)
def test_schema_errors_name_their_line(old: str, new: str, fragment: str, words: str) -> None:
    text = MINI.replace(old, new)
    found = errors(check_guide_text("mini.yaml", text))
    matching = [p for p in found if words in p.message]
    assert matching, found
    assert matching[0].line == line_of(text, fragment)


def test_invalid_yaml_reports_the_line() -> None:
    text = MINI.replace("label: {nl: Andere, en: Other, fr: Autre}", "label: {nl: Andere?, en: Other")
    found = check_guide_text("mini.yaml", text)
    assert len(found) == 1 and found[0].level == "error"
    assert "not valid YAML" in found[0].message
    assert line_of(text, "nl: Andere?") <= found[0].line <= line_of(text, "nl: Andere?") + 1


def test_duplicate_keys_and_step_ids_are_errors() -> None:
    text = MINI.replace("    next: try\n", "    next: try\n    next: choose\n")
    found = errors(check_guide_text("mini.yaml", text))
    assert [p.line for p in found if "appears twice" in p.message] == [line_of(text, "next: choose")]
    text = MINI + "  - id: open\n    text: {nl: a, en: a, fr: a}\n    next: try\n"
    found = errors(check_guide_text("mini.yaml", text))
    assert any("used twice" in p.message for p in found)


def test_a_step_without_a_way_on_is_an_error() -> None:
    text = MINI.replace("    next: try\n", "")
    found = errors(check_guide_text("mini.yaml", text))
    assert any(p.step == "open" and "dead end" in p.message for p in found)


def test_a_loop_without_an_exit_is_an_error() -> None:
    text = MINI.replace("    next: try\n", "    next: loop\n") + (
        "  - id: loop\n    text: {nl: a, en: a, fr: a}\n    next: open\n"
    )
    found = errors(check_guide_text("mini.yaml", text))
    assert {p.step for p in found if "no way to finish" in p.message} == {"open", "loop"}


def test_parse_guide_text_raises_with_every_problem() -> None:
    text = MINI.replace("next: try", "next: nowhere").replace("      fr: Ouvrez un site.\n", "")
    with pytest.raises(GuideError) as caught:
        parse_guide_text("mini.yaml", text)
    messages = [p.message for p in caught.value.problems]
    assert any("nowhere" in m for m in messages)
    assert any("missing translation" in m for m in messages)
    assert "mini.yaml:" in str(caught.value)


def test_every_shipped_guide_passes_with_no_errors(shipped_dir: Path) -> None:
    problems = check_directory(shipped_dir)
    assert errors(problems) == []
    book = load_guides(shipped_dir)
    expected = {
        "hotspot", "wifree", "proximus-wifi", "whatsapp", "videocall", "device-donate",
        "device-request", "internet-access", "homework-help", "job-help", "learn-digicafe", "teams",
    }  # fmt: skip
    assert set(book.guides) == expected
    for guide in book.guides.values():
        assert guide.languages() == LANGUAGES, guide.id


def test_shipped_guides_avoid_ucs2(shipped_dir: Path) -> None:
    assert [str(p) for p in check_directory(shipped_dir) if "forces UCS-2" in p.message] == []


def test_a_broken_copy_names_the_file(content_copy: Callable[[], Path]) -> None:
    directory = content_copy()
    path = directory / "hotspot.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("next: samsung-connections", "next: samsung-connectoins")
    path.write_text(text, encoding="utf-8")
    found = errors(check_directory(directory))
    assert [(p.file, p.guide, p.step, p.line) for p in found if "samsung-connectoins" in p.message] == [
        (str(path), "hotspot", "samsung-settings", line_of(text, "next: samsung-connectoins"))
    ]
    with pytest.raises(GuideError):
        load_guides(directory)


def test_unknown_guide_target_and_shared_intent(content_copy: Callable[[], Path]) -> None:
    directory = content_copy()
    path = directory / "job-help.yaml"
    text = path.read_text(encoding="utf-8").replace("guide:device-request", "guide:device-wish")
    path.write_text(text.replace("intents: [job.help]", "intents: [job.help, guide.hotspot]"), encoding="utf-8")
    found = errors(check_directory(directory))
    assert any("guide 'device-wish'" in p.message and p.guide == "job-help" for p in found)
    assert any("intent 'guide.hotspot'" in p.message for p in found)


def test_frame_problems_are_found(content_copy: Callable[[], Path]) -> None:
    directory = content_copy()
    path = directory / "_frame.yaml"
    text = path.read_text(encoding="utf-8").replace("{total}", "{totaal}")
    path.write_text(text, encoding="utf-8")
    found = errors(check_directory(directory))
    assert {p.language for p in found if "progress" in p.message} == set(LANGUAGES)
    (directory / "_frame.yaml").unlink()
    assert any("frame file is missing" in p.message for p in errors(check_directory(directory)))


def test_files_starting_with_underscore_are_not_guides(content_copy: Callable[[], Path]) -> None:
    directory = content_copy()
    (directory / "_notes.yaml").write_text("anything: [not a guide\n", encoding="utf-8")
    assert errors(check_directory(directory)) == []


@pytest.mark.usefixtures("three_languages")
def test_readme_template_is_a_valid_guide() -> None:
    readme = (Path(__file__).resolve().parents[2] / "guides" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"## Template\n\n```yaml\n(.*?)```", readme, re.S)
    assert match is not None
    assert errors(check_guide_text("my-guide.yaml", match.group(1))) == []


def test_frame_text_check_for_the_console(shipped_dir: Path) -> None:
    text = (shipped_dir / "_frame.yaml").read_text(encoding="utf-8")
    assert check_frame_text("_frame.yaml", text) == []
    broken = text.replace('  fr: "Non"\n', "")
    found = check_frame_text("_frame.yaml", broken)
    assert [(p.level, p.language, p.line) for p in found] == [("error", "fr", line_of(broken, 'nl: "Nee"'))]
