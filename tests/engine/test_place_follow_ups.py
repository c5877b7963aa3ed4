"""Follow-up questions about the Digipunt in view that its data does not answer directly, in nl, en and fr: may
someone come along, how long may a visit last, and facts we do not hold (wheelchair access, parking, waiting),
answered with a number to ask instead of a menu or a misunderstanding."""

from __future__ import annotations

import pytest

from bot.content.library import Library
from places.describe import ask_on_site
from tests.engine.understanding import Chat, joined

LIST_REQUEST = {"nl": "is er een digipunt in ledeberg", "en": "is there a digipunt in ledeberg",
                "fr": "il y a un digipunt à ledeberg?"}


def _place_in_view(chat: Chat, library: Library) -> tuple[str, str | None]:
    assert chat.state is not None
    place = library.places.get(chat.state["data"]["shown"][0])
    assert place is not None
    return place.short_name or place.name, place.contact.phone


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "mag mijn zoon mee komen?"),
    ("nl", "kan ik daar met mijn dochter naartoe"),
    ("en", "can I come with my son?"),
    ("fr", "je peux venir avec ma fille ?"),
])
def test_someone_may_come_along(library: Library, language: str, question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(LIST_REQUEST[language])
    turn = chat.say(question)
    assert joined(turn) == library.texts.get(language, "dp_company")
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "is het rolstoeltoegankelijk?"),
    ("nl", "is er parking"),
    ("en", "is it wheelchair accessible"),
    ("fr", "il y a un ascenseur?"),
])
def test_a_fact_we_do_not_hold_gets_a_number_to_ask(library: Library, language: str, question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(LIST_REQUEST[language])
    name, phone = _place_in_view(chat, library)
    turn = chat.say(question)
    expected = (library.texts.get(language, "dp_ask_them", name=name, phone=phone) if phone
                else library.texts.get(language, "dp_ask_city", name=name))
    assert joined(turn) == expected
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "hoe lang mag ik blijven?"),
    ("en", "how long can i stay"),
    ("fr", "combien de temps je peux rester"),
])
def test_how_long_a_visit_may_last_is_hedged_when_uncertain(library: Library, language: str,
                                                             question: str) -> None:
    chat = Chat(library, language=language)
    chat.say("digipunt kringwinkel vlaamsekaai")
    turn = chat.say(question)
    text = joined(turn)
    assert "30" in text and ask_on_site(language) in text  # the corona-era 30-minute rule, marked uncertain


def test_a_new_place_in_the_question_is_a_new_list(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say(LIST_REQUEST["nl"])
    chat.say("mag mijn zoon mee komen naar een digipunt in gentbrugge")
    assert chat.state is not None and "Gentbrugge" in str(chat.state["data"]["label"])



@pytest.mark.parametrize(("language", "question"), [
    ("nl", "mag ik daar met de buggy binnen?"),
    ("en", "can I come in with the stroller?"),
    ("fr", "je peux entrer avec la poussette ?"),
])
def test_a_stroller_is_a_fact_to_ask_the_place(library: Library, language: str, question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(LIST_REQUEST[language])
    name, phone = _place_in_view(chat, library)
    turn = chat.say(question)
    assert name in joined(turn) and (phone or "09 210 10 10") in joined(turn)


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "is er een bus naar daar?"),
    ("en", "is there a bus to go there?"),
    ("fr", "il y a un bus pour y aller ?"),
])
def test_a_bus_question_gets_the_walk_and_de_lijn(library: Library, language: str, question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(LIST_REQUEST[language])
    name, _ = _place_in_view(chat, library)
    turn = chat.say(question)
    assert name in joined(turn) and "De Lijn" in joined(turn)


@pytest.mark.parametrize(("language", "told"), [
    ("nl", "ok, dan ga ik woensdag met mijn buurvrouw mee. bedankt"),
    ("en", "ok, I will go on wednesday with my neighbour. thanks"),
])
def test_going_with_someone_told_is_no_question_about_company(library: Library, language: str, told: str) -> None:
    chat = Chat(library, language=language)
    chat.say(LIST_REQUEST[language])
    turn = chat.say(told)
    assert library.texts.get(language, "dp_company") not in joined(turn)


@pytest.mark.parametrize(("language", "thanks"), [
    ("nl", "dank u, fijn weekend"), ("en", "thanks, have a nice weekend"), ("fr", "merci bon week-end")])
def test_thanks_with_wishes_after_a_detail_is_thanks(library: Library, language: str, thanks: str) -> None:
    chat = Chat(library, language=language)
    chat.say(LIST_REQUEST[language])
    chat.say("1")
    turn = chat.say(thanks)
    assert chat.state is not None and turn.intent == "smalltalk.thanks"


@pytest.mark.parametrize(("language", "question"), [
    ("fr", "Bonjour, a la Zuidpoort a Nieuw Gent il y a toujours l ordinateur pour tout le monde? c est quand?"),
    ("nl", "is er in de Zuidpoort in Nieuw Gent nog een computer voor iedereen? wanneer?"),
])
def test_a_digipunt_named_inside_a_question_with_its_wijk_gets_its_detail(library: Library, language: str,
                                                                         question: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(question)
    assert "De Zuidpoort" in joined(turn) and "09 245 09 05" in joined(turn)



def test_a_digipunt_named_without_a_question_is_no_detail(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("ik zoek een computer in nieuw gent, ik ken de zuidpoort")
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert len(chat.state["data"]["shown"]) > 1  # the list, not one place's detail


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "en dichterbij is er niks?"), ("en", "is there nothing closer?"), ("fr", "rien de plus proche ?")])
def test_asking_for_something_closer_says_these_are_the_nearest(library: Library, language: str,
                                                                question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(LIST_REQUEST[language])
    turn = chat.say(question)
    assert chat.state is not None
    assert joined(turn) == library.texts.get(language, "dp_nearest_already", label=chat.state["data"]["label"])


@pytest.mark.parametrize(("language", "ask"), [
    ("fr", "salam, je cherche un endroit avec internet et quelqu'un pour m'aider. j'habite Londenstraat a la Muide"),
    ("nl", "ik zoek een plek met internet en iemand om mij te helpen. ik woon in de Londenstraat"),
    ("en", "I am looking for a place with internet and someone to help me. I live in the Londenstraat"),
])
def test_a_place_with_someone_to_help_and_a_street_is_the_list_with_helpers(library: Library, language: str,
                                                                            ask: str) -> None:
    chat = Chat(library, language=language)
    chat.say(ask)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
