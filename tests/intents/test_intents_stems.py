"""Inflection tolerance: Arabic clitics and endings, and word forms that differ only in their last letters."""

from __future__ import annotations

import pathlib
from collections.abc import Callable

from intents.catalog import IntentCatalog
from intents.matcher import Matcher
from intents.phrase_index import PhraseIndex
from intents.settings import MatchSettings
from intents.stems import arabic_stems, is_arabic


def test_arabic_stems_drop_one_clitic_and_one_ending() -> None:
    assert "حاسوب" in arabic_stems("بالحاسوب")
    assert "دار" in arabic_stems("فالدار")
    assert "معلومات" in arabic_stems("معلوماتي")
    assert "مسح" in arabic_stems("امسحوا")
    assert "حاسوب" in arabic_stems("حاسوبا")
    assert arabic_stems("في") == set()  # nothing shorter than three letters
    assert "بالحاسوب" not in arabic_stems("بالحاسوب")


def test_is_arabic_tells_scripts_apart() -> None:
    assert is_arabic("حاسوب") and not is_arabic("laptop") and not is_arabic("ноутбук") and not is_arabic("")


def _index(*phrases: tuple[str, str]) -> PhraseIndex:
    entries = [(intent, "xx", text.split()) for intent, text in phrases]
    entries.append(("other.intent", "xx", ["unrelated", "words", "here"]))
    return PhraseIndex(entries, MatchSettings())


def test_arabic_words_with_clitics_find_the_bare_catalogue_word_and_back() -> None:
    index = _index(("device.donate", "حاسوب قديم"), ("privacy.forget", "معلوماتي"))
    assert ("حاسوب", 0.85) in index.neighbours("بالحاسوب")
    assert ("معلوماتي", 0.85) in index.neighbours("المعلومات")


def test_word_forms_differing_in_their_last_letters_are_neighbours() -> None:
    index = _index(("menu", "kakvo predlagate"), ("digipunt.find", "kompiutar nablizo"))
    assert [word for word, _ in index.neighbours("predlagash")] == ["predlagate"]
    assert "kompiutar" in [word for word, _ in index.neighbours("kompiutri")]


def test_words_sharing_only_a_beginning_are_not_neighbours() -> None:
    index = _index(("learn.digicafe", "cours informatique"),)
    assert index.neighbours("informations") == []


def test_a_darija_message_with_clitics_finds_its_intent(make_catalog: Callable[[dict[str, str]], pathlib.Path]) -> None:
    donate = 'spec_version: 1\nid: device.donate\naction: "guide:device-donate"\nexamples:\n  ar: [حاسوب قديم]\n'
    menu = 'spec_version: 1\nid: menu\naction: "flow:menu"\nexamples:\n  nl: [toon het menu]\n'
    matcher = Matcher(IntentCatalog.load(make_catalog({"device.donate.yaml": donate, "menu.yaml": menu})))
    assert matcher.classify("الحاسوب القديم").intent == "device.donate"


def test_a_function_word_no_example_uses_costs_nothing() -> None:
    """Stopwords of one language that no example happens to use are not 'unknown words' lowering the score."""
    entries = [("guide.hotspot", "xx", ["hotspot", "aanzetten"]), ("menu", "xx", ["toon", "menu"])]
    index = PhraseIndex(entries, MatchSettings(), stopwords=frozenset({"iskame"}))
    assert index.score(["iskame", "hotspot", "aanzetten"]) == index.score(["hotspot", "aanzetten"])


def test_greeting_words_in_front_of_a_question_do_not_dilute_it(
    make_catalog: Callable[[dict[str, str]], pathlib.Path],
) -> None:
    """_settings.yaml names greeting and thanks as courtesy intents: their words count only for themselves."""
    head = "spec_version: 1\nid: {}\naction: \"{}\"\nexamples:\n  uk: [{}]\n"
    greeting = head.format("greeting", "flow:greeting", "доброго дня всім, привіт друзі")
    access = head.format("internet.access", "guide:internet-access", "інтернет вдома")
    catalog = IntentCatalog.load(make_catalog({"greeting.yaml": greeting, "internet.access.yaml": access}))
    assert catalog.settings.courtesy_intents == {"greeting", "smalltalk.thanks"}
    matcher = Matcher(catalog)
    assert matcher.classify("доброго дня всім, інтернет вдома").intent == "internet.access"
    assert matcher.classify("доброго дня всім").intent == "greeting"
