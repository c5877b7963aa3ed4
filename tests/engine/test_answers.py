"""The natural-answer vocabulary: files validated with file and line, and whole messages read as yes, no,
trouble, later, a callback window... in Dutch, English and French."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.library import Library
from bot.content.vocab import REQUIRED, load_vocabulary, parse_vocab
from bot.content_base.yamlio import ContentError

STEP = ("yes", "done", "no", "trouble", "later")
CONSENT = ("yes", "no", "this_number", "other_number")
WINDOW = ("asap", "morning", "afternoon", "other_day", "any_time")


@pytest.mark.parametrize(("text", "expected"), [
    # Dutch, with SMS spelling and emoji
    ("ja", "yes"), ("ja graag", "yes"), ("ja hoor", "yes"), ("oké", "done"), ("doe maar", "yes"),
    ("👍", "yes"), ("ja het werkt", "yes"), ("gelukt", "yes"), ("gelukd!!", "yes"),
    ("nee dank je", "no"), ("👎", "no"), ("nog steeds niet", "no"), ("nee hoor, liever niet", "no"),
    ("het lukt niet", "trouble"), ("ik zie dat niet", "trouble"), ("waar staat dat?", "trouble"),
    ("dat staat er ni bij mij", "trouble"), ("k heb het", "done"), ("ah ja daar staat het", "done"),
    ("ik ben nu ni thuis, ik doe da straks wel verder", "later"),
    # English
    ("yes please", "yes"), ("sure", "yes"), ("it worked", "yes"), ("it worked, thank you so much", "yes"),
    ("no thanks", "no"), ("still not working", "no"), ("it doesn't work, no login page", "trouble"),
    ("i can't find it", "trouble"), ("I see the camera", "done"), ("I'll try later", "later"),
    # French
    ("oui volontiers", "yes"), ("d'accord", "done"), ("ça marche merci 👍", "yes"), ("non merci", "no"),
    ("toujours pas", "no"), ("ça ne marche pas, je ne reçois pas le code", "trouble"),
    ("je trouve pas point d'acces mobile", "trouble"), ("ah trouvé", "done"),
    ("d'accord je continue demain avec ma fille", "later"),
])
def test_a_whole_message_reads_as_one_answer(library: Library, text: str, expected: str) -> None:
    assert library.answers.read(text, STEP) == expected


@pytest.mark.parametrize("text", ["oké", "d'accord", "okay", "ja hoor", "sure", "oui"])
def test_an_acknowledgement_is_a_yes_to_a_yes_no_question(library: Library, text: str) -> None:
    assert library.answers.read(text, ("yes", "no")) == "yes"


@pytest.mark.parametrize("text", [
    "moet die 0 van mijn nummer erbij of niet?", "hoe zet ik wifi aan op mijn laptop", "blablabla",
    "where is the nearest digipunt", "je cherche un ordinateur",
])
def test_questions_and_requests_are_no_answers(library: Library, text: str) -> None:
    assert library.answers.read(text, ("yes", "no", "done")) is None


def test_a_yes_next_to_a_negation_is_no_yes(library: Library) -> None:
    assert library.answers.read("ik zie het niet", ("yes", "done", "no", "trouble")) == "trouble"
    assert library.answers.read("ja maar het lukt niet", STEP) == "trouble"
    assert library.answers.read("ik zie geen fon in de lijst", STEP) == "trouble"


@pytest.mark.parametrize(("text", "expected"), [
    ("ja op dit nummer", "this_number"), ("mag op dit nummer", "this_number"), ("this number is fine", "this_number"),
    ("oui ce numero", "this_number"), ("nee op een ander nummer, dit is de gsm van mijn buurvrouw", "other_number"),
    ("another number please", "other_number"), ("un autre numéro", "other_number"), ("ja dat is goed", "yes"),
    ("nee dank je", "no"), ("no thank you", "no"), ("non merci", "no"),
])
def test_callback_consent_in_words(library: Library, text: str, expected: str) -> None:
    assert library.answers.read(text, CONSENT) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("liefst s morgens, s middags ga ik naar mijn zus", "morning"), ("namiddag", "afternoon"),
    ("maakt ni uit, zo snel mogelijk", "any_time"), ("na de feestdagen, maakt ni uit welke dag", "other_day"),
    ("morning is best", "morning"), ("in the afternoon please", "afternoon"), ("as soon as possible", "asap"),
    ("le plus vite possible", "asap"), ("plutôt l'après-midi", "afternoon"), ("un autre jour", "other_day"),
])
def test_callback_windows_in_words(library: Library, text: str, expected: str) -> None:
    assert library.answers.read(text, WINDOW) == expected


@pytest.mark.parametrize("text", ["verwijder al mijn gegevens", "wis alles aub", "delete my number",
                                  "please delete all my data", "supprimez mes données svp", "effacez tout"])
def test_privacy_in_plain_words(library: Library, text: str) -> None:
    assert library.answers.read(text, ("forget_request",)) == "forget_request"


def test_a_privacy_question_is_no_forget_request(library: Library) -> None:
    assert library.answers.read("wat doen jullie met mijn gegevens", ("forget_request",)) is None


def test_clauses_and_requests_split_where_people_join_two_questions(library: Library) -> None:
    answers = library.answers
    assert answers.clauses("ja, op dit nummer. Dank je!") == ["ja", "op dit nummer", "Dank je"]
    assert answers.requests("ik zoek een digipunt in oostakker en ik wil ook weten hoe ik whatsapp zet") == [
        "ik zoek een digipunt in oostakker", "ik wil ook weten hoe ik whatsapp zet"]
    assert answers.requests("computer en internet") == ["computer en internet"]


def _vocab_file(**lists: str) -> str:
    lines = ["spec_version: 1"]
    for name in REQUIRED:
        lines.append(f"{lists.pop(name, f'{name}: [x]')}")
    lines.extend(lists.values())
    return "\n".join(lines) + "\n"


def test_the_shipped_vocabulary_has_every_language(library: Library) -> None:
    vocabulary = library.answers.vocabulary
    assert set(vocabulary.languages()) == set(library.texts.languages)
    for language in vocabulary.languages():
        for category in REQUIRED:
            assert vocabulary.of(language, category), (language, category)


def test_an_unquoted_yes_is_refused_with_its_line() -> None:
    text = _vocab_file(**{"yes": '"yes": [ja, yes, "ok"]'})
    _, problems = parse_vocab(text, "nl.yaml")
    assert problems == ["nl.yaml:2: yes: 'yes' is read as bool, not text; put it in quotes"]


def test_unknown_and_missing_categories_name_file_and_line() -> None:
    text = "spec_version: 1\n\"yes\": [ja]\n\"no\": [nee]\ntrouble: [help]\nplace_question: [waar]\nyes_please: [x]\n"
    _, problems = parse_vocab(text, "nl.yaml")
    assert problems[0].startswith("nl.yaml:6: unknown category 'yes_please'")
    assert "nl.yaml:1: category 'forget_request' is missing or empty" in problems


def test_a_missing_language_file_stops_the_load(tmp_path: Path) -> None:
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "nl.yaml").write_text(_vocab_file(), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_vocabulary(tmp_path, ("nl", "en"))
    assert "vocab/en.yaml: cannot read" in str(error.value)
    assert load_vocabulary(tmp_path, ("nl",)).of("nl", "yes") == ("x",)
