"""Answers residents gave inside shipped guides (blind set): a question is no yes ('da' is also Bulgarian yes),
a question at 'Werkt het?' gets the step in simpler words, 'OK' again and again at a choice reaches a helper,
a step's own verb in the past ('geinstalleerd') goes on, and a request that leads into the open guide
('teams, mijn zoon gebruikt dat ook' inside the Teams guide) does not start it over."""

from __future__ import annotations

import pytest

from bot.content.library import Library
from tests.engine.understanding import Chat, joined, options


@pytest.mark.parametrize("text", ["welk wachtwoord, da van mijn modem?", "ok maar waar staat dat wachtwoord dan?"])
def test_a_question_is_no_yes(library: Library, text: str) -> None:
    assert library.answers.read(text, ("yes", "no", "done")) is None


@pytest.mark.parametrize(("text", "category"), [("ja", "yes"), ("ja hoor!", "yes"), ("ja?", "yes"),
                                                 ("nee dank je", "no"), ("ok, waar staat dat?", "done")])
def test_a_plain_answer_still_counts(library: Library, text: str, category: str) -> None:
    assert library.answers.read(text, ("yes", "no", "done")) == category


def test_a_question_at_did_it_work_gets_the_step_in_simpler_words(library: Library) -> None:
    chat = Chat(library, language="nl")
    first = joined(chat.say("hoe kom ik op die gratis wifi van telenet buiten, ik ben klant"))
    assert first.startswith("Stap 1 van 4")  # 'ik ben klant' already picked the customer's way
    for _ in range(3):
        last = chat.say("ok")
    assert options(last) == ["Ja", "Nee"]  # 'Werkt het?'
    answer = chat.say("welk wachtwoord, da van mijn modem?")
    assert "gelukt" not in joined(answer).lower()
    assert options(answer)[1:] == ["Bel mij", "Later"]
    assert (chat.state or {})["flow"] == "guide"


def test_ok_again_and_again_at_a_choice_reaches_a_helper(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("ik wil op telenet wifree")
    first = chat.say("ok")
    assert "Kies een nummer" in joined(first)
    second = chat.say("volgende")
    assert "helper" in joined(second) and options(second) == ["Ja, bel mij", "Nee"]


def test_the_steps_own_verb_in_the_past_goes_on(library: Library) -> None:
    chat = Chat(library, language="nl")
    step = joined(chat.say("ik wil teams installeren"))
    assert step.startswith("Stap 1 van 4")  # 'installeren' already picked the first choice
    assert joined(chat.say("geinstalleerd")).startswith("Stap 2 van 4")


def test_a_request_that_leads_into_the_open_guide_does_not_start_it_over(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("mijn skype werkt niet meer, ik bel daarmee naar mijn zoon")
    chat.say("1")
    before = dict((chat.state or {})["guide"])
    answer = joined(chat.say("teams, mijn zoon gebruikt dat ook op zijn werk"))
    assert "Skype bestaat niet meer" not in answer and "iets anders" not in answer
    assert (chat.state or {})["guide"]["step_id"] == before["step_id"]


@pytest.mark.parametrize(("language", "start", "phone", "worked"), [
    ("fr", "partage de connexion comment faire", "j'ai un samsung galaxy", "ça marche merci 👍"),
    ("nl", "hoe kan ik mn internet van mn gsm naar de laptop zetten", "een samsung a13", "jaaa gelukt merci"),
])
def test_it_works_and_thanks_before_the_last_step_ends_the_guide_well(
        library: Library, language: str, start: str, phone: str, worked: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    assert joined(chat.say(phone)).split(":")[0].strip() in ("Étape 1 sur 6", "Stap 1 van 6")
    answer = joined(chat.say(worked))
    assert answer == library.texts.get(language, "guide_done_worked")
    assert (chat.state or {})["flow"] == ""


def test_ok_thanks_at_a_step_still_goes_on(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("hoe kan ik mn internet van mn gsm naar de laptop zetten")
    chat.say("een samsung a13")
    assert joined(chat.say("ok merci")).startswith("Stap 2 van 6")
