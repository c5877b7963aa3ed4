"""The labelled dev set: independent of the catalogue, covering every intent, and above the thresholds."""

from __future__ import annotations

import pathlib
from collections import Counter

import pytest

from intents.catalog import IntentCatalog
from intents.evaluate import (
    EvalReport,
    LabelledMessage,
    evaluate,
    format_report,
    load_labelled,
    load_thresholds,
)
from intents.matcher import Matcher
from intents.normalise import Normaliser
from tests.intents.intents_helpers import CATALOG_DIR, DEV_SET


@pytest.fixture(scope="module")
def rows() -> list[LabelledMessage]:
    return load_labelled(DEV_SET)


def test_dev_set_size_and_coverage(rows: list[LabelledMessage], catalog: IntentCatalog) -> None:
    assert len(rows) >= 420
    assert sum(1 for r in rows if r.expected is None) >= 70
    assert {r.expected for r in rows if r.expected} == set(catalog.intents)
    per_language = Counter((r.expected, r.language) for r in rows if r.expected)
    for intent_id in catalog.intents:
        for language in ("nl", "en", "fr"):
            assert per_language[(intent_id, language)] >= 1, (intent_id, language)


def test_no_dev_text_equals_a_normalised_catalogue_example(rows: list[LabelledMessage], catalog: IntentCatalog) -> None:
    normaliser = Normaliser(catalog.spelling)
    examples = {
        normaliser.normalise(text)
        for spec in catalog.intents.values()
        for texts in (*spec.examples.values(), *spec.keywords.values())
        for text in texts
    }
    copies = [r.text for r in rows if normaliser.normalise(r.text) in examples]
    assert copies == []


def test_dev_set_reaches_the_thresholds(rows: list[LabelledMessage], matcher: Matcher) -> None:
    thresholds = load_thresholds(CATALOG_DIR)
    assert (thresholds.in_scope_accuracy, thresholds.none_kept) == (0.92, 0.90)
    report = evaluate(matcher, rows)
    assert report.in_scope_accuracy >= thresholds.in_scope_accuracy, format_report(report)
    assert report.none_kept >= thresholds.none_kept, format_report(report)
    assert report.passes(thresholds)


def test_evaluate_counts_confusions_and_none(tmp_path: pathlib.Path, matcher: Matcher) -> None:
    path = tmp_path / "tiny.tsv"
    path.write_text(
        "# comment\nnl\tguide.hotspot\thotspot aanzetten aub\nnl\tmenu\thotspot\n\nnl\tnone\twat is het weer\n",
        encoding="utf-8",
    )
    rows = load_labelled(path)
    assert [r.expected for r in rows] == ["guide.hotspot", "menu", None]
    report: EvalReport = evaluate(matcher, rows)
    assert report.in_scope_total == 2 and report.in_scope_correct == 1
    assert report.confusions == Counter({("menu", "guide.hotspot"): 1})
    assert report.none_kept == 1.0
    text = format_report(report)
    assert "menu -> guide.hotspot: 1" in text and "in-scope top-1 accuracy: 50.0%" in text


def test_load_labelled_rejects_malformed_lines(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("nl\tmenu\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.tsv:1"):
        load_labelled(path)


def test_load_labelled_reads_a_header_row_and_reports_per_language(tmp_path: pathlib.Path, matcher: Matcher) -> None:
    path = tmp_path / "named.tsv"
    path.write_text(
        "text\tintent\tlanguage\nhotspot aanzetten aub\tguide.hotspot\tnl\nwat is het weer\tnone\tnl\n"
        "how do i turn on my hotspot\tmenu\ten\n",
        encoding="utf-8",
    )
    rows = load_labelled(path)
    assert [(r.language, r.expected, r.text, r.line) for r in rows] == [
        ("nl", "guide.hotspot", "hotspot aanzetten aub", 2),
        ("nl", None, "wat is het weer", 3),
        ("en", "menu", "how do i turn on my hotspot", 4),
    ]
    report = evaluate(matcher, rows)
    nl, en = report.per_language["nl"], report.per_language["en"]
    assert (nl.in_scope_correct, nl.in_scope_total, nl.none_kept_count, nl.none_total) == (1, 1, 1, 1)
    assert (en.in_scope_correct, en.in_scope_total, en.none_total) == (0, 1, 0)
    text = format_report(report)
    assert "en          0.0% (  0/1  )" in text and "nl        100.0% (  1/1  )   100.0% (  1/1  )" in text
