"""The matcher: keywords, digits, short input, typos, none, ambiguity, language, digital problems."""

from __future__ import annotations

import pathlib
from collections.abc import Callable

import pytest

from intents.catalog import IntentCatalog
from intents.matcher import Matcher
from tests.intents.intents_helpers import intent_yaml


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("STOP", "optout.stop"),
        ("Menu!", "menu"),
        ("hotspot", "guide.hotspot"),
        ("Skype?", "guide.videocall"),
        ("merci", "smalltalk.thanks"),
        ("helloooo", "greeting"),
        ("Digipunt", "digipunt.find"),
    ],
)
def test_exact_keywords_win_with_full_score(matcher: Matcher, text: str, intent: str) -> None:
    match = matcher.classify(text)
    assert (match.intent, match.score, match.keyword) == (intent, 100.0, True)


@pytest.mark.parametrize("text", ["1", " 2 ", "3.", "12"])
def test_a_bare_digit_is_never_an_intent(matcher: Matcher, text: str) -> None:
    match = matcher.classify(text)
    assert match.intent is None and match.score == 0.0 and match.candidates == ()
    assert not match.digital_problem


@pytest.mark.parametrize("text", ["", "  ", "!!", "a", "ok", "zz", "?"])
def test_very_short_input_is_not_matched_fuzzily(matcher: Matcher, text: str) -> None:
    match = matcher.classify(text)
    assert match.intent is None and match.candidates == ()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("wr is digipunt", "digipunt.find"),
        ("hotsport instelle", "guide.hotspot"),
        ("ou est le digipunt", "digipunt.find"),
        ("mn zoon heeft laptop nodig voor school", "device.request"),
        ("kan iemand mij bellen", "handoff.request"),
        ("hoe doek whatsapp instaleren", "guide.whatsapp"),
        ("can someone call me back please", "handoff.request"),
        ("gratis wifi met de code van school", "guide.wifree"),
    ],
)
def test_resident_messages_with_typos_and_sms_spelling(matcher: Matcher, text: str, intent: str) -> None:
    match = matcher.classify(text)
    assert match.intent == intent, match
    assert not match.keyword and not match.ambiguous
    assert match.candidates[0].intent == intent


def test_candidates_are_distinct_best_first_and_at_most_three(matcher: Matcher) -> None:
    match = matcher.classify("ik heb geen internet thuis en mijn kind heeft een laptop nodig")
    intents = [c.intent for c in match.candidates]
    assert len(intents) == len(set(intents)) <= 3
    assert [c.score for c in match.candidates] == sorted((c.score for c in match.candidates), reverse=True)


@pytest.mark.parametrize("text", ["wat is het weer morgen", "asdf qwerty", "hoeveel kost een brood"])
def test_unrelated_messages_give_no_intent(matcher: Matcher, text: str) -> None:
    match = matcher.classify(text)
    assert match.intent is None and not match.ambiguous
    assert not match.digital_problem


@pytest.mark.parametrize(
    "text",
    [
        "mijn itsme app werkt niet",
        "mon imprimante ne marche pas",
        "ik ben mijn wachtwoord vergeten",
        "my laptop is broken",
    ],
)
def test_digital_problems_without_a_guide_are_flagged(matcher: Matcher, text: str) -> None:
    match = matcher.classify(text)
    assert match.intent is None
    assert match.digital_problem


def test_a_matched_message_is_not_flagged_as_digital_problem(matcher: Matcher) -> None:
    match = matcher.classify("mijn hotspot werkt niet")
    assert match.intent == "guide.hotspot" and not match.digital_problem


def test_two_close_intents_are_ambiguous(make_catalog: Callable[[dict[str, str]], pathlib.Path]) -> None:
    directory = make_catalog(
        {
            "a.yaml": intent_yaml("guide.alpha", "guide:alpha", ["laptop instellen voor school", "laptop school"]),
            "b.yaml": intent_yaml("guide.beta", "guide:beta", ["laptop voor school aanvragen", "school laptop"]),
            "c.yaml": intent_yaml("guide.gamma", "guide:gamma", ["gratis wifi in de bib"]),
        }
    )
    matcher = Matcher(IntentCatalog.load(directory))
    match = matcher.classify("laptop voor school")
    assert match.ambiguous and match.intent is None
    assert {c.intent for c in match.candidates[:2]} == {"guide.alpha", "guide.beta"}
    clear = matcher.classify("gratis wifi bib")
    assert clear.intent == "guide.gamma" and not clear.ambiguous


def test_threshold_comes_from_settings(make_catalog: Callable[[dict[str, str]], pathlib.Path]) -> None:
    files = {
        "a.yaml": intent_yaml("guide.alpha", "guide:alpha", ["laptop instellen thuis"]),
        "b.yaml": intent_yaml("guide.beta", "guide:beta", ["gratis wifi in de bib"]),
        "c.yaml": intent_yaml("guide.gamma", "guide:gamma", ["printer aansluiten"]),
    }
    directory = make_catalog(files)
    match = Matcher(IntentCatalog.load(directory)).classify("laptop instellen")
    assert match.intent == "guide.alpha" and 60 <= match.score < 99
    settings = (directory / "_settings.yaml").read_text(encoding="utf-8")
    (directory / "_settings.yaml").write_text(settings.replace("threshold: 60", "threshold: 99"), encoding="utf-8")
    below = Matcher(IntentCatalog.load(directory)).classify("laptop instellen")
    assert below.intent is None and below.candidates[0].intent == "guide.alpha"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("bonjour, où est le digipunt le plus proche ?", "fr"),
        ("where can I find the nearest digipunt", "en"),
        ("waar is het dichtste digipunt", "nl"),
        ("comment installer whatsapp sur mon téléphone", "fr"),
        ("how do I share the internet of my phone", "en"),
        ("mijn dochter heeft een laptop nodig voor school", "nl"),
    ],
)
def test_language_of_longer_messages_is_confident(matcher: Matcher, text: str, language: str) -> None:
    match = matcher.classify(text)
    assert match.language == language and match.language_confident


@pytest.mark.parametrize("text", ["hallo", "merci", "stop", "menu", "whatsapp"])
def test_single_words_are_not_confident_about_language(matcher: Matcher, text: str) -> None:
    match = matcher.classify(text)
    assert match.intent is not None
    assert not match.language_confident
    assert matcher.classify(text, language_hint="fr").language == "fr"
    assert matcher.classify(text, language_hint="en").language == "en"


def test_staff_examples_take_effect(catalog: IntentCatalog) -> None:
    text = "gsm als modem voor de pc gebruiken"
    extended = Matcher(catalog.with_examples([("guide.hotspot", "nl", "gsm als modem gebruiken")]))
    assert extended.classify(text).intent == "guide.hotspot"
