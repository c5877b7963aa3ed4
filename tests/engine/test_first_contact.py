"""First-timers: a resident who introduces themselves is welcomed with the choices (a wijk said is kept for the
place question), a story with a name is no request, and 'ça m'intéresse' never unsubscribes; nl, en and fr
(held-out 19's classes, in other words than that set's)."""

from __future__ import annotations

import pytest

from bot.content.library import Library
from tests.engine.understanding import Chat, joined, options

WELCOME = {"nl": "Ik ben digibuur", "en": "I am digibuur", "fr": "Je suis digibuur"}
NEARBY = {"nl": "Digipunt in de buurt", "en": "Digipunt nearby", "fr": "Digipunt proche"}


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "Goedemiddag, ik ben Fatima"),
    ("nl", "hallo met Jozef. ik woon in Ledeberg"),
    ("nl", "Dag! Mijn naam is Greet, 81 jaar. Mijn dochter gaf mij dit nummer."),
    ("en", "Hi there, my name is Ahmed"),
    ("en", "Good afternoon, this is Peter from Gentbrugge. First time using this"),
    ("fr", "Bonsoir, je m'appelle Nadia"),
    ("fr", "Bonjour, ici Paul de Ledeberg, c'est la première fois"),
])
def test_an_introduction_is_welcomed_with_the_choices(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(text)
    assert WELCOME[language] in joined(turn)
    assert NEARBY[language] in options(turn)


@pytest.mark.parametrize(("language", "introduction", "question", "wijk"), [
    ("nl", "Hallo, ik ben Marc uit Gentbrugge", "waar kan ik op een computer?", "Gentbrugge"),
    ("en", "Hello, I'm Sara. I live in Ledeberg", "where can I use a computer?", "Ledeberg"),
    ("fr", "Bonjour, c'est Yves, j'habite à Ledeberg", "où est-ce que je peux utiliser un ordinateur ?",
     "Ledeberg"),
])
def test_the_wijk_of_an_introduction_answers_the_place_question(library: Library, language: str, introduction: str,
                                                                  question: str, wijk: str) -> None:
    chat = Chat(library, language=language)
    chat.say(introduction)
    turn = chat.say(question)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert wijk in joined(turn)


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "dag, ik ben mijn wachtwoord kwijt"),
    ("nl", "dag, ik woon in de kikvorsstraat"),
    ("en", "thanks, bye!"),
    ("fr", "j'habite rue Wasstraat à Dampoort"),
])
def test_a_problem_or_a_place_is_no_introduction(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert WELCOME[language] not in joined(turn)


@pytest.mark.parametrize(("language", "asked", "answer"), [
    ("nl", "zijn er lessen om met de computer te leren?", "ja dat interesseert mij"),
    ("en", "are there lessons to learn the computer?", "yes that interests me"),
    ("fr", "il y a des cours pour apprendre l'ordinateur ?", "oui ça m'intéresse"),
])
def test_interest_never_unsubscribes(library: Library, language: str, asked: str, answer: str) -> None:
    chat = Chat(library, language=language)
    chat.say(asked)
    chat.say(answer)
    assert chat.state is not None and not chat.state.get("opted_out")


@pytest.mark.parametrize(("language", "text", "said"), [
    ("nl", "kost dit geld die smsjes?", "rekent niets aan"),
    ("en", "hello, does this cost money?", "charges nothing"),
    ("fr", "c'est payant ce service ?", "ne coûte rien"),
])
def test_whether_digibuur_costs_money_is_answered(library: Library, language: str, text: str, said: str) -> None:
    assert said in Chat(library, language=language).text(text)


def test_whether_a_digipunt_is_free_is_still_its_own_answer(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("digipunt in ledeberg")
    assert "rekent niets aan" not in chat.text("is het gratis?")


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik ben het wachtwoord van mijn mail vergeten, wat nu"),
    ("en", "my email asks a password and I forgot my password"),
    ("fr", "je n'arrive plus à ouvrir mes mails, il demande un mot de passe que j'ai oublié"),
])
def test_a_forgotten_password_is_no_request_to_be_forgotten(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] != "forget"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik ben mijn code vergeten. vergeet mij"),
    ("en", "I forgot my pin. please delete my data"),
    ("fr", "j'ai oublié mon code, effacez mes données svp"),
])
def test_a_deletion_asked_next_to_something_forgotten_is_still_asked(library: Library, language: str,
                                                                     text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "forget"


@pytest.mark.parametrize(("language", "yes"), [
    ("nl", "dat zou fijn zijn"), ("en", "that would be great"), ("fr", "ce serait gentil"),
])
def test_a_yes_said_as_a_wish_takes_the_call(library: Library, language: str, yes: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "kan iemand mij bellen", "en": "can someone call me", "fr": "quelqu'un peut m'appeler"}[language])
    chat.say(yes)
    assert chat.state is not None and chat.state["flow"] == "handoff"
    assert next(option["action"] for option in chat.state["options"]) == "handoff:window-asap"  # when suits you


@pytest.mark.parametrize(("language", "text", "said"), [
    ("nl", "zijt gij nen echte mens of ne computer?", "automatische hulp"),
    ("nl", "is da een bot?", "automatische hulp"),
    ("en", "am I talking to a human?", "automatic assistant"),
    ("fr", "est-ce que je parle à une personne ?", "aide automatique"),
])
def test_asked_whether_a_person_answers(library: Library, language: str, text: str, said: str) -> None:
    assert said in Chat(library, language=language).text(text)
