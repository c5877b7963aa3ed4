"""Turkish, Arabic, Bulgarian and Ukrainian: every intent has examples, and the blind sets stay above their floors.

intents_lang_dev.tsv was written blind (without the catalogue) and the tr/ar/bg/uk examples were tuned on it;
intents_lang_heldout.tsv was written blind too and run once, at the end, never tuned on. The floors sit a
small margin below what was measured (see FLOORS_*), so a catalogue change that loses ground fails here.
"""

from __future__ import annotations

import pathlib
from collections import Counter
from collections.abc import Callable

import pytest

from intents.catalog import IntentCatalog
from intents.evaluate import LabelledMessage, evaluate, format_report, load_labelled
from intents.matcher import Matcher
from intents.normalise import Normaliser
from tests.intents.intents_helpers import REPO

LANG_DEV = REPO / "tests" / "data" / "intents_lang_dev.tsv"
LANG_HELD_OUT = REPO / "tests" / "data" / "intents_lang_heldout.tsv"
NEW_LANGUAGES = ("tr", "ar", "bg", "uk")
# (in-scope accuracy, unrelated kept unmatched) per language: the measured values minus about one message.
# Dev (tuned on), measured 100 % / 100 % in all four languages (48 in scope and 12 unrelated each).
FLOORS_DEV = {"tr": (0.95, 0.90), "ar": (0.95, 0.90), "bg": (0.95, 0.90), "uk": (0.95, 0.90)}
# Held-out, run once (32 in scope and 8 unrelated each): tr 87.5 % / 100 %, ar 75.0 % / 100 %,
# bg 78.1 % / 100 %, uk 81.2 % / 87.5 %.
FLOORS_HELD_OUT = {"tr": (0.84, 0.87), "ar": (0.71, 0.87), "bg": (0.75, 0.87), "uk": (0.78, 0.75)}


@pytest.fixture(scope="module")
def dev_rows() -> list[LabelledMessage]:
    return load_labelled(LANG_DEV)


def test_every_intent_has_examples_in_the_new_languages(catalog: IntentCatalog) -> None:
    missing = [
        (spec.id, language)
        for spec in catalog.intents.values()
        for language in NEW_LANGUAGES
        if len(spec.examples.get(language, ())) + len(spec.keywords.get(language, ())) < 3
    ]
    assert missing == []


def test_dev_set_covers_every_intent_in_every_new_language(
    dev_rows: list[LabelledMessage], catalog: IntentCatalog
) -> None:
    per_language = Counter(row.language for row in dev_rows)
    assert {language: per_language[language] >= 60 for language in NEW_LANGUAGES} == dict.fromkeys(
        NEW_LANGUAGES, True
    )
    covered = {(row.expected, row.language) for row in dev_rows if row.expected}
    assert {(i, lang) for i in catalog.intents for lang in NEW_LANGUAGES} <= covered
    assert all(sum(1 for r in dev_rows if r.language == lang and r.expected is None) >= 10 for lang in NEW_LANGUAGES)


def _catalogue_phrases(catalog: IntentCatalog, normaliser: Normaliser) -> set[str]:
    """Every example and keyword of the catalogue, normalised."""
    return {
        normaliser.normalise(text)
        for spec in catalog.intents.values()
        for texts in (*spec.examples.values(), *spec.keywords.values())
        for text in texts
    }


def test_dev_texts_were_not_copied_into_the_catalogue(dev_rows: list[LabelledMessage], catalog: IntentCatalog) -> None:
    """Tuned on, not copied: only short everyday phrases ("merhaba", "дякую") may equal an example or keyword."""
    normaliser = Normaliser(catalog.spelling)
    examples = _catalogue_phrases(catalog, normaliser)
    same = [normaliser.normalise(row.text) for row in dev_rows if normaliser.normalise(row.text) in examples]
    assert all(len(text.split()) <= 2 for text in same), same
    assert len(same) <= len(dev_rows) // 10, same


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_dev_set_stays_above_its_floor(dev_rows: list[LabelledMessage], matcher: Matcher, language: str) -> None:
    report = evaluate(matcher, [row for row in dev_rows if row.language == language])
    in_scope, kept = FLOORS_DEV[language]
    assert report.in_scope_accuracy >= in_scope, format_report(report)
    assert report.none_kept >= kept, format_report(report)


def test_ukrainian_example_matches_cyrillic_without_telling_letters_and_latin(
    make_catalog: Callable[[dict[str, str]], pathlib.Path],
) -> None:
    """"хочу поговорити з людиною" has no і ї є ґ: read with the default Cyrillic spelling, it still finds the
    Ukrainian example, and so does the same sentence typed in Latin letters the Ukrainian way."""
    text = (
        'spec_version: 1\nid: handoff.request\naction: "flow:handoff"\nexamples:\n'
        "  nl: [ik wil iemand spreken]\n  uk: [хочу поговорити з людиною]\n"
    )
    other = 'spec_version: 1\nid: menu\naction: "flow:menu"\nexamples:\n  nl: [toon het menu]\n'
    matcher = Matcher(IntentCatalog.load(make_catalog({"handoff.request.yaml": text, "menu.yaml": other})))
    for message in ("хочу поговорити з людиною", "khochu pohovoryty z liudynoiu", "хочу поговорити з людиною!"):
        assert matcher.classify(message).intent == "handoff.request", message


@pytest.mark.parametrize("language", NEW_LANGUAGES)
def test_held_out_set_stays_above_its_floor(matcher: Matcher, language: str) -> None:
    report = evaluate(matcher, [row for row in load_labelled(LANG_HELD_OUT) if row.language == language])
    assert report.in_scope_total >= 30 and report.none_total >= 8
    in_scope, kept = FLOORS_HELD_OUT[language]
    assert report.in_scope_accuracy >= in_scope, format_report(report)
    assert report.none_kept >= kept, format_report(report)


def test_held_out_texts_are_not_in_the_catalogue(catalog: IntentCatalog) -> None:
    """Never tuned on. When it was first run, 17 of its 160 texts equalled a catalogue phrase after normalising
    (written independently: greetings, thanks, keywords, and a few everyday sentences such as "shukaiu robotu
    onlain"); adding held-out texts to the catalogue makes this fail."""
    normaliser = Normaliser(catalog.spelling)
    examples = _catalogue_phrases(catalog, normaliser)
    rows = load_labelled(LANG_HELD_OUT)
    same = [normaliser.normalise(row.text) for row in rows if normaliser.normalise(row.text) in examples]
    content = [[word for word in text.split() if word not in catalog.spelling.stopwords] for text in same]
    assert all(len(words) <= 4 for words in content), same
    assert len(same) <= 17, same
