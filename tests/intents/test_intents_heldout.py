"""The held-out set: messages written without looking at the catalogue or the dev set, never tuned on.

It guards against regressions with floors set below the first measurement (2026-11-27: in-scope 82.7 %,
none kept 97.7 %); the issue's targets (92 % / 90 %) apply to the development set."""

from __future__ import annotations

import pathlib

from intents.catalog import IntentCatalog
from intents.evaluate import evaluate, load_labelled
from intents.matcher import Matcher

HELD_OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "intents_heldout.tsv"
IN_SCOPE_FLOOR = 0.80
NONE_FLOOR = 0.90


def test_held_out_set_is_not_in_the_catalogue(catalog: IntentCatalog) -> None:
    """Written blind: only short everyday phrases ("hallo", "what can you do") may equal a catalogue example."""
    examples = {text.lower() for spec in catalog.intents.values() for texts in spec.examples.values() for text in texts}
    rows = load_labelled(HELD_OUT)
    assert len(rows) >= 200
    same = [row.text for row in rows if row.text.lower() in examples]
    assert all(len(text.split()) <= 4 for text in same), same
    assert len(same) <= len(rows) // 10, same


def test_held_out_accuracy_does_not_regress(matcher: Matcher) -> None:
    report = evaluate(matcher, load_labelled(HELD_OUT))
    assert report.in_scope_accuracy >= IN_SCOPE_FLOOR, report.in_scope_accuracy
    assert report.none_kept_count / report.none_total >= NONE_FLOOR
