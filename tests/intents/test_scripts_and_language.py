"""Normalisation per script (Arabic, Turkish, Cyrillic both ways, Arabizi) and knowing the language."""

from __future__ import annotations

import pathlib
from collections.abc import Callable

import pytest

from bot.content_base.languages import shipped_languages
from bot.scripts import arabizi_word, cyrillic_to_latin, strip_invisible, unify_arabic
from intents.catalog import IntentCatalog
from intents.language import LanguageIdentifier
from intents.matcher import Matcher
from intents.normalise import fold


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("بِالعَرَبِيَّة", "بالعربيه"),  # tashkeel and teh marbuta
        ("أين الإنترنت", "اين الانترنت"),  # alef forms
        ("على", "علي"),  # alef maksura
        ("انـــترنت", "انترنت"),  # tatweel
        ("İNTERNET YOK", "internet yok"),  # Turkish capital dotted I
        ("ınternet şifre", "internet sifre"),  # dotless i, cedilla letters
        ("ŞİFRE", "sifre"),
    ],
)
def test_letter_variants_fold_alike(one: str, other: str) -> None:
    assert fold(one) == fold(other)


def test_arabic_keeps_its_letters_for_matching() -> None:
    assert fold("فين كاين الانترنت") == "فين كاين الانترنت"


@pytest.mark.parametrize(
    ("cyrillic", "latin", "language"),
    [
        ("де безкоштовний інтернет", "de bezkoshtovnyi internet", "uk"),
        ("допомога", "dopomoha", "uk"),
        ("къде има интернет", "kade ima internet", "bg"),
        ("безплатен компютър", "bezplaten kompyutar", "bg"),
    ],
)
def test_cyrillic_is_written_as_residents_type_it(cyrillic: str, latin: str, language: str) -> None:
    assert fold(cyrillic, language, shipped_languages()) == latin
    assert fold(latin) == latin


def test_a_message_chooses_its_cyrillic_spelling_by_its_letters() -> None:
    listed = shipped_languages()
    assert fold("допомога вдома", None, listed) == "dopomoga vdoma"  # no telling letter: the shared spelling
    assert fold("допомога і вдома", None, listed) == "dopomoha i vdoma"  # і: Ukrainian
    assert cyrillic_to_latin("якщо", listed.latin("uk")) == "yakshcho"
    assert cyrillic_to_latin("къде") == "kade"


@pytest.mark.parametrize(
    ("word", "folded"),
    [("3afak", "afak"), ("7ta", "hta"), ("5ouya", "khouya"), ("ma3andich", "maandich"),
     ("9000", "9000"), ("4g", "4g"), ("3g", "3g"), ("iphone12", "iphone12"), ("a52", "a52"),
     ("2de", "2de"), ("3rd", "3rd"), ("1ere", "1ere"), ("2eme", "2eme")],  # ordinals: no Arabizi
)
def test_arabizi_digits_inside_words_only(word: str, folded: str) -> None:
    assert arabizi_word(word) == folded


def test_invisible_bidi_marks_are_removed() -> None:
    assert strip_invisible("\u200fمرحبا\u200e 12\n") == "مرحبا 12\n"
    assert unify_arabic("١٢٣") == "123"


def _catalog(make_catalog: Callable[[dict[str, str]], pathlib.Path]) -> Matcher:
    free_internet = """spec_version: 1
id: digipunt.find
action: "flow:digipunt"
examples:
  nl: [waar is gratis internet]
  uk: [де безкоштовний інтернет]
  bg: [kade ima internet]
"""
    whatsapp = """spec_version: 1
id: guide.whatsapp
action: "guide:whatsapp"
examples:
  nl: [whatsapp installeren]
  uk: [як встановити вотсап]
"""
    directory = make_catalog({"digipunt.find.yaml": free_internet, "guide.whatsapp.yaml": whatsapp})
    return Matcher(IntentCatalog.load(directory), shipped_languages())


def test_cyrillic_examples_match_latin_messages_and_back(
    make_catalog: Callable[[dict[str, str]], pathlib.Path],
) -> None:
    matcher = _catalog(make_catalog)
    assert matcher.classify("de bezkoshtovnyi internet").intent == "digipunt.find"  # Cyrillic example, Latin typed
    assert matcher.classify("къде има интернет").intent == "digipunt.find"  # Latin example, Cyrillic typed
    assert matcher.classify("yak vstanovyty votsap").intent == "guide.whatsapp"


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier(shipped_languages())


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("waar kan ik gratis op internet", "nl"),
        ("where can I use a free computer", "en"),
        ("où est-ce que je peux utiliser un ordinateur", "fr"),
        ("evde internet yok, ne yapabilirim", "tr"),
        ("şifremi unuttum", "tr"),  # telling letters decide even two words
        ("فين كاين الانترنت بلا فلوس", "ar"),  # the Arabic script, no Persian letters
        ("wach kayn chi pc 3afak", "ar"),  # Arabizi
        ("къде има безплатен интернет", "bg"),  # ъ
        ("де є безкоштовний інтернет", "uk"),  # і є
        ("где есть бесплатный интернет", "ru"),  # ы: not one of ours
        ("gdzie jest darmowy komputer", "pl"),
        ("¿dónde hay internet gratis?", "es"),
        ("کجا میتوانم کامپیوتر پیدا کنم", "fa"),  # Persian letters: Dari, not Arabic
    ],
)
def test_clear_messages_tell_their_language(identifier: LanguageIdentifier, text: str, language: str) -> None:
    found = identifier.identify(text)
    assert (found.language, found.clear) == (language, True)


@pytest.mark.parametrize("text", ["ok", "hallo", "merci", "wifi", "9040", "👍", "Dampoort"])
def test_short_or_shared_words_decide_nothing(identifier: LanguageIdentifier, text: str) -> None:
    assert not identifier.identify(text).clear


def test_the_matcher_names_a_language_it_does_not_offer(make_catalog: Callable[[dict[str, str]], pathlib.Path]) -> None:
    matcher = _catalog(make_catalog)
    russian = matcher.classify("где есть бесплатный интернет")
    assert russian.other_language == "ru" and russian.language != "ru"
    dutch = matcher.classify("waar is gratis internet")
    assert dutch.other_language is None and dutch.language == "nl" and dutch.language_confident


def test_a_known_contact_does_not_switch_on_two_words(make_catalog: Callable[[dict[str, str]], pathlib.Path]) -> None:
    matcher = _catalog(make_catalog)
    assert not matcher.classify("thanks anyway", language_hint="nl").language_confident
    switched = matcher.classify("where is free internet please", language_hint="nl")
    assert switched.language == "en" and switched.language_confident
