"""Negations turn an example around: 'geen interesse' is no reading of 'ça m'intéresse', and the spelling table
refuses a negation list for an unknown language with its line."""

from __future__ import annotations

import pytest

from intents.catalog import IntentCatalog
from intents.matcher import Matcher
from intents.normalise import parse_spelling
from intents.yamlnodes import Problems


@pytest.mark.parametrize(
    "text",
    ["ja dat interesseert mij", "dat interesseert me wel", "that interests me", "ça m'intéresse", "oui ça m'intéresse"],
)
def test_interest_is_no_stop(matcher: Matcher, text: str) -> None:
    assert matcher.classify(text).intent != "optout.stop"


@pytest.mark.parametrize(
    "text", ["geen interesse", "ik wil geen berichten meer", "niet meer sturen aub", "no more messages please",
             "je ne veux plus de sms"],
)
def test_a_negated_stop_still_stops(matcher: Matcher, text: str) -> None:
    assert matcher.classify(text).intent == "optout.stop"


def test_the_shipped_catalogue_has_negations_in_nl_en_fr(catalog: IntentCatalog) -> None:
    assert {"geen", "niet", "not", "never", "pas", "jamais"} <= catalog.spelling.negations
    assert "interesse" not in catalog.spelling.negations


def test_a_negation_list_for_an_unknown_language_is_refused_with_its_line() -> None:
    problems = Problems("_spelling.yaml")
    text = "spec_version: 1\nnegations:\n  nl: [niet]\n  xx: [nope]\n"
    table = parse_spelling("_spelling.yaml", text, problems, ("nl", "en"))
    assert table.negations == frozenset({"niet"})
    assert problems.items == ["_spelling.yaml:4: negations.xx: unknown language (use nl, en)"]
