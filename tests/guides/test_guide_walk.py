"""The pure walk: start, branch, progress, back, check outcomes, switches, cursor round-trips."""

from __future__ import annotations

import json

import pytest

from guides.loader import GuideBook, parse_guide_text
from guides.model import Guide
from guides.sms import segment_info
from guides.view import sms_body
from guides.walk import Cursor, InvalidChoice, Outcome, advance, back, restore, show, start


def guide(book: GuideBook, guide_id: str) -> Guide:
    found = book.get(guide_id)
    assert found is not None
    return found


def walk_on(found: Guide, cursor: Cursor, *choices: str | None) -> Cursor:
    for choice in choices:
        result = advance(found, cursor, choice)
        assert isinstance(result, Cursor), result
        cursor = result
    return cursor


def test_start_shows_the_choice_without_a_step_number(book: GuideBook) -> None:
    hotspot = guide(book, "hotspot")
    cursor = start(hotspot)
    assert cursor == Cursor("hotspot", "choose-phone", ("choose-phone",))
    view = show(book, cursor, "nl")
    assert view.kind == "answer"
    assert not view.text.startswith("Stap")
    assert [key for key, _ in view.options] == ["iphone", "samsung", "android", "basic"]
    assert view.options[0] == ("iphone", "iPhone")
    assert view.footer == "Stuur een nummer."


def test_iphone_branch_counts_five_steps_and_ends_with_did_it_work(book: GuideBook) -> None:
    hotspot = guide(book, "hotspot")
    cursor = walk_on(hotspot, start(hotspot), "iphone")
    view = show(book, cursor, "nl")
    assert view.text == 'Stap 1 van 5: Open "Instellingen" (het grijze tandwiel). Lukt het? Stuur OK.'
    assert (view.number, view.total, view.options) == (1, 5, ())
    cursor = walk_on(hotspot, cursor, None, "1", None, None)
    assert cursor.step_id == "connect"
    last = show(book, cursor, "nl")
    assert (last.number, last.total, last.kind) == (5, 5, "check")
    assert last.text.startswith("Stap 5 van 5: ") and last.text.endswith("\nWerkt het?")
    assert last.options == (("yes", "Ja"), ("no", "Nee"))


def test_choice_by_number_and_branch_lengths(book: GuideBook) -> None:
    hotspot = guide(book, "hotspot")
    samsung = walk_on(hotspot, start(hotspot), "2")
    assert samsung.step_id == "samsung-settings"
    assert show(book, samsung, "en").text.startswith("Step 1 of 6: ")
    android = walk_on(hotspot, start(hotspot), "android", None)
    assert android.step_id == "android-network"
    view = show(book, android, "fr")
    assert (view.number, view.total) == (2, 7)
    assert view.text.startswith("Étape 2 sur 7 : ")
    older = walk_on(hotspot, android, "2")
    assert older.step_id == "android-older"
    assert (show(book, older, "nl").number, show(book, older, "nl").total) == (3, 7)
    assert walk_on(hotspot, older, None).step_id == "android-hotspot"


@pytest.mark.usefixtures("three_languages")
def test_total_follows_the_branch_actually_taken(book: GuideBook) -> None:
    text = """\
id: branches
spec_version: 1
title: {nl: B, en: B, fr: B}
intents: []
steps:
  - id: a
    text: {nl: a, en: a, fr: a}
    options:
      - label: {nl: kort, en: short, fr: court}
        target: short
      - label: {nl: lang, en: long, fr: long}
        target: long-1
  - id: short
    kind: check
    text: {nl: s, en: s, fr: s}
  - id: long-1
    text: {nl: l1, en: l1, fr: l1}
    next: long-2
  - id: long-2
    text: {nl: l2, en: l2, fr: l2}
    next: long-3
  - id: long-3
    kind: check
    text: {nl: l3, en: l3, fr: l3}
"""
    found = parse_guide_text("branches.yaml", text)
    small = GuideBook({"branches": found}, book.frame)
    first = start(found)
    assert (show(small, first, "nl").number, show(small, first, "nl").total) == (1, 2)
    long_path = walk_on(found, first, "2")
    assert (show(small, long_path, "nl").number, show(small, long_path, "nl").total) == (2, 4)
    assert show(small, walk_on(found, long_path, None), "nl").text.startswith("Stap 3 van 4: l2")


def test_check_step_outcomes(book: GuideBook) -> None:
    hotspot = guide(book, "hotspot")
    at_check = walk_on(hotspot, start(hotspot), "iphone", None, None, None, None)
    assert at_check.step_id == "connect"
    assert advance(hotspot, at_check, None) == Outcome("worked")
    assert advance(hotspot, at_check, "yes") == Outcome("worked")
    assert advance(hotspot, at_check, "1") == Outcome("worked")
    assert advance(hotspot, at_check, "no") == Outcome("failed")
    assert advance(hotspot, at_check, "2") == Outcome("failed")
    with pytest.raises(InvalidChoice):
        advance(hotspot, at_check, "3")


def test_invalid_choices_are_refused(book: GuideBook) -> None:
    hotspot = guide(book, "hotspot")
    with pytest.raises(InvalidChoice):
        advance(hotspot, start(hotspot), None)  # a choice is needed
    with pytest.raises(InvalidChoice):
        advance(hotspot, start(hotspot), "9")
    at_step = walk_on(hotspot, start(hotspot), "iphone")
    with pytest.raises(InvalidChoice):
        advance(hotspot, at_step, "samsung")


def test_switch_and_done_outcomes(book: GuideBook) -> None:
    whatsapp = guide(book, "whatsapp")
    assert advance(whatsapp, start(whatsapp), "other") == Outcome("switch", "guide:teams")
    basic = walk_on(whatsapp, start(whatsapp), "basic")
    assert advance(whatsapp, basic, "1") == Outcome("switch", "flow:digipunt")
    assert advance(whatsapp, basic, "2") == Outcome("switch", "flow:handoff")
    assert advance(whatsapp, basic, "3") == Outcome("switch", "flow:menu")
    job = guide(book, "job-help")
    assert advance(job, start(job), "2") == Outcome("switch", "guide:device-request")
    where = walk_on(job, start(job), "where")
    assert advance(job, where, "2") == Outcome("done")


def test_back_goes_along_the_path_and_stays_at_the_start(book: GuideBook) -> None:
    hotspot = guide(book, "hotspot")
    first = start(hotspot)
    assert back(hotspot, first) == first
    deep = walk_on(hotspot, first, "samsung", None, None)
    assert deep.step_id == "samsung-tethering"
    one_back = back(hotspot, deep)
    assert one_back.step_id == "samsung-connections"
    assert show(book, one_back, "nl").number == 2
    assert back(hotspot, back(hotspot, one_back)) == first


def test_cursor_round_trips_through_json(book: GuideBook) -> None:
    hotspot = guide(book, "hotspot")
    cursor = walk_on(hotspot, start(hotspot), "android", None, "2")
    data = json.loads(json.dumps(cursor.to_dict()))
    assert Cursor.from_dict(data) == cursor
    assert restore(book, data) == cursor
    assert show(book, Cursor.from_dict(data), "nl") == show(book, cursor, "nl")


def test_restore_refuses_stale_or_broken_cursors(book: GuideBook) -> None:
    assert restore(book, {"guide_id": "hotspot", "step_id": "gone", "path": ["choose-phone", "gone"]}) is None
    assert restore(book, {"guide_id": "nope", "step_id": "a", "path": ["a"]}) is None
    assert restore(book, {"guide_id": "hotspot", "step_id": "connect", "path": []}) is None
    assert restore(book, {"guide_id": 3}) is None
    with pytest.raises(ValueError):
        Cursor.from_dict({"guide_id": "hotspot", "step_id": "connect", "path": ["choose-phone"]})


def test_unknown_language_falls_back_to_dutch(book: GuideBook) -> None:
    hotspot = guide(book, "hotspot")
    assert show(book, start(hotspot), "de") == show(book, start(hotspot), "nl")


@pytest.mark.usefixtures("three_languages")
def test_images_reach_the_view(book: GuideBook) -> None:
    text = """\
id: pic
spec_version: 1
title: {nl: P, en: P, fr: P}
intents: []
steps:
  - id: only
    kind: check
    image: https://example.org/a.png
    text: {nl: a, en: a, fr: a}
"""
    found = parse_guide_text("pic.yaml", text)
    view = show(GuideBook({"pic": found}, book.frame), start(found), "en")
    assert view.image_url == "https://example.org/a.png"
    assert view.text == "Step 1 of 1: a\nDid it work?"


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_every_path_of_every_guide_ends_and_fits_two_sms(book: GuideBook, language: str) -> None:
    """Walk every choice of every shipped guide (no step twice): each path ends in an outcome,
    numbering stays within the total, and every message fits in two SMS segments."""
    ends: set[str] = set()
    for found in book.guides.values():
        todo = [start(found)]
        while todo:
            cursor = todo.pop()
            view = show(book, cursor, language)
            assert segment_info(sms_body(view)).segments <= 2, (found.id, cursor.step_id)
            if found.steps[cursor.step_id].numbered:
                assert 1 <= view.number <= view.total, (found.id, cursor.path)
            choices: list[str | None] = [key for key, _ in view.options] or [None]
            for choice in choices:
                result = advance(found, cursor, choice)
                if isinstance(result, Outcome):
                    ends.add(result.kind)
                elif result.step_id not in cursor.path:
                    todo.append(result)
    assert ends == {"worked", "failed", "done", "switch"}
