"""Normalisation: case, accents, punctuation, repeated letters, SMS spellings from the YAML table."""

from __future__ import annotations

from intents.catalog import IntentCatalog
from intents.normalise import Normaliser, SpellingTable, fold, is_bare_number


def test_fold_lowers_case_strips_accents_and_punctuation() -> None:
    assert fold("Où est  le DIGIPUNT ?!") == "ou est le digipunt"
    assert fold("Ça marche, très bien...") == "ca marche tres bien"
    assert fold("geïnstalleerd") == "geinstalleerd"


def test_fold_cuts_runs_of_three_or_more_letters_but_keeps_doubles() -> None:
    assert fold("helloooo") == "hello"
    assert fold("Halloooo!!!") == "hallo"
    assert fold("dankjewel") == "dankjewel"
    assert fold("9000") == "9000"


def test_fold_drops_emoji_and_splits_apostrophes() -> None:
    assert fold("merci 🙏🙂") == "merci"
    assert fold("j'ai besoin d’un ordi") == "j ai besoin d un ordi"


def test_shipped_spelling_table_fixes_sms_spellings(catalog: IntentCatalog) -> None:
    normaliser = Normaliser(catalog.spelling)
    assert normaliser.normalise("wr is digipunt") == "waar is digipunt"
    assert normaliser.normalise("Hoe doek dat") == "hoe doe ik dat"
    assert normaliser.normalise("wifie werkt nie") == "wifi werkt niet"
    assert normaliser.normalise("k heb ff hulp nodig") == "ik heb even hulp nodig"
    assert normaliser.normalise("m'n gsm") == "mijn gsm"
    assert normaliser.normalise("Wi-Fi") == "wifi"
    assert normaliser.normalise("watsapp pls") == "whatsapp"
    assert normaliser.normalise("menu svp") == "menu"


def test_phrases_win_over_single_words() -> None:
    table = SpellingTable(words={"doek": ("doek",)}, phrases={("hoe", "doek"): ("hoe", "doe", "ik")})
    assert Normaliser(table).tokens("hoe doek het") == ["hoe", "doe", "ik", "het"]
    assert Normaliser(table).tokens("een doek") == ["een", "doek"]


def test_bare_numbers() -> None:
    assert is_bare_number("2")
    assert is_bare_number("12")
    assert is_bare_number("1 2")
    assert not is_bare_number("9040 gent")
    assert not is_bare_number("")
