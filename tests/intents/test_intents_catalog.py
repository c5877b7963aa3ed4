"""The catalogue: fixed ids and actions, minimum examples, validation with line numbers, export, staff examples."""

from __future__ import annotations

import pathlib
from collections.abc import Callable

import pytest

from bot.content_base.languages import shipped_languages
from guides.sms import segment_info
from intents.catalog import CatalogError, IntentCatalog, validate_catalog_text
from intents.normalise import Normaliser
from tests.intents.intents_helpers import CATALOG_DIR, intent_yaml

FIXED_ACTIONS = {
    "digipunt.find": "flow:digipunt",
    "guide.hotspot": "guide:hotspot",
    "guide.wifree": "guide:wifree",
    "guide.proximus_wifi": "guide:proximus-wifi",
    "guide.whatsapp": "guide:whatsapp",
    "guide.videocall": "guide:videocall",
    "device.donate": "guide:device-donate",
    "device.request": "guide:device-request",
    "internet.access": "guide:internet-access",
    "homework.help": "guide:homework-help",
    "job.help": "guide:job-help",
    "learn.digicafe": "guide:learn-digicafe",
    "handoff.request": "flow:handoff",
    "greeting": "flow:greeting",
    "menu": "flow:menu",
    "language.change": "flow:language",
    "optout.stop": "flow:stop",
    "privacy.forget": "flow:privacy",
    "smalltalk.thanks": "flow:thanks",
    "booking.make": "flow:booking",
    "booking.cancel": "flow:bkcancelask",
    "booking.status": "flow:bkstatus",
}
MINIMUM_EXAMPLES = {"nl": 15, "en": 8, "fr": 8}


def test_every_fixed_intent_exists_with_its_exact_action(catalog: IntentCatalog) -> None:
    assert {i: s.action for i, s in catalog.intents.items()} == FIXED_ACTIONS


@pytest.mark.parametrize("intent_id", sorted(FIXED_ACTIONS))
def test_minimum_example_counts_after_normalising(catalog: IntentCatalog, intent_id: str) -> None:
    normaliser = Normaliser(catalog.spelling)
    spec = catalog.intents[intent_id]
    for language, minimum in MINIMUM_EXAMPLES.items():
        distinct = {normaliser.normalise(text) for text in spec.examples.get(language, ())}
        assert len(distinct) >= minimum, f"{intent_id} has {len(distinct)} distinct {language} examples"


def test_every_shipped_file_validates_and_starts_with_spec_version() -> None:
    for path in sorted(CATALOG_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert validate_catalog_text(str(path), text) == []
        assert text.startswith("spec_version: 1\n"), path.name


def test_labels_exist_in_every_language_and_fit_its_sms_encoding(catalog: IntentCatalog) -> None:
    """Latin-script labels stay GSM-7 as sent by SMS (Turkish after its SMS spelling); all are short."""
    languages = shipped_languages()
    for spec in catalog.intents.values():
        assert set(spec.labels) == set(languages.codes), spec.id
        for code, label in spec.labels.items():
            policy = languages.sms(code)
            assert len(label) <= 40, label
            if policy.encoding == "gsm7":
                assert segment_info(policy.spell(label)).encoding == "GSM-7", (code, label)


def test_validation_reports_file_line_and_reason() -> None:
    text = 'spec_version: 1\nid: menu\naction: "flow:menu"\nexamples:\n  nl: menu tonen\n  de:\n    - Menü\n'
    problems = validate_catalog_text("intents/catalog/menu.yaml", text)
    assert "intents/catalog/menu.yaml:5: examples.nl must be a list" in problems
    assert any(p.startswith("intents/catalog/menu.yaml:7: examples.de: unknown language") for p in problems)


def test_validation_catches_missing_keys_bad_action_duplicates_and_typos() -> None:
    text = "spec_version: 2\nid: Menu!\naction: menu\nexemples: {}\n"
    problems = validate_catalog_text("x.yaml", text)
    assert "x.yaml:1: spec_version must be 1" in problems
    assert any(p.startswith("x.yaml:2: id 'Menu!' must be") for p in problems)
    assert any(p.startswith("x.yaml:3: action 'menu' must be") for p in problems)
    assert any(p.startswith("x.yaml:4: unknown key 'exemples'") for p in problems)
    assert "x.yaml:1: examples is missing" in problems
    duplicate = intent_yaml("menu", "flow:menu", ["menu", "toon menu", "Menu"])
    assert validate_catalog_text("m.yaml", duplicate) == ["m.yaml:8: examples.nl lists 'Menu' twice"]


def test_validation_reports_yaml_syntax_errors_with_their_line() -> None:
    problems = validate_catalog_text("bad.yaml", "spec_version: 1\nid: menu\nexamples:\n  nl: [a, b\n")
    assert len(problems) == 1 and problems[0].startswith("bad.yaml:5: invalid YAML")


def test_validation_of_special_files() -> None:
    assert validate_catalog_text("_settings.yaml", "spec_version: 1\nmatching:\n  threshold: high\n") == [
        "_settings.yaml:3: matching.threshold must be a number"
    ]
    assert validate_catalog_text("_spelling.yaml", "spec_version: 1\nwords:\n  hoe doek: hoe doe ik\n") == [
        "_spelling.yaml:3: words.hoe doek must be one word (put runs of words under phrases)"
    ]
    assert validate_catalog_text("_other.yaml", "spec_version: 1\n")[0].startswith("_other.yaml:1: unknown special")


def test_load_raises_catalog_error_naming_the_file(make_catalog: Callable[[dict[str, str]], pathlib.Path]) -> None:
    directory = make_catalog({"menu.yaml": "spec_version: 1\nid: menu\naction: flow:menu\nexamples:\n  nl: x\n"})
    with pytest.raises(CatalogError) as error:
        IntentCatalog.load(directory)
    assert f"{directory / 'menu.yaml'}:5: examples.nl must be a list" in str(error.value)


def test_load_rejects_duplicate_ids_and_shared_keywords(
    make_catalog: Callable[[dict[str, str]], pathlib.Path],
) -> None:
    directory = make_catalog(
        {
            "a.yaml": intent_yaml("menu", "flow:menu", ["toon menu"], ["menu"]),
            "b.yaml": intent_yaml("menu", "flow:menu", ["het menu"]),
        }
    )
    with pytest.raises(CatalogError, match="id 'menu' is already used"):
        IntentCatalog.load(directory)
    (directory / "b.yaml").write_text(intent_yaml("other", "flow:other", ["iets"], ["Menu"]), encoding="utf-8")
    with pytest.raises(CatalogError, match="keyword 'Menu' is also a keyword of menu"):
        IntentCatalog.load(directory)


def test_to_yaml_round_trips(catalog: IntentCatalog, tmp_path: pathlib.Path) -> None:
    for intent_id in catalog.intents:
        text = catalog.to_yaml(intent_id)
        assert validate_catalog_text(f"{intent_id}.yaml", text) == []
        (tmp_path / f"{intent_id}.yaml").write_text(text, encoding="utf-8")
    reloaded = IntentCatalog.load(tmp_path)
    assert reloaded.intents == catalog.intents


def test_with_examples_adds_staff_phrases_without_changing_the_original(catalog: IntentCatalog) -> None:
    extended = catalog.with_examples([("guide.hotspot", "nl", "gsm als modem gebruiken")])
    assert "gsm als modem gebruiken" in extended.intents["guide.hotspot"].examples["nl"]
    assert "gsm als modem gebruiken" not in catalog.intents["guide.hotspot"].examples["nl"]
    with pytest.raises(CatalogError, match="unknown intent"):
        catalog.with_examples([("nope", "nl", "iets")])
    with pytest.raises(CatalogError, match="unknown language"):
        catalog.with_examples([("menu", "de", "Menü bitte")])
