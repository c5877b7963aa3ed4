"""First-timers: a resident who introduces themselves is welcomed with the choices (a wijk said is kept for the
place question), a story with a name is no request, and 'ça m'intéresse' never unsubscribes; nl, en and fr
(held-out 19 and 20: their classes in other words than those sets)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.content.library import Library
from bot.content_base.yamlio import ContentError
from bot.settings import ContentPaths
from tests.engine.understanding import Chat, joined, options

WELCOME = {"nl": "Ik ben digibuur", "en": "I am digibuur", "fr": "Je suis digibuur"}
NEARBY = {"nl": "Digipunt in de buurt", "en": "Digipunt nearby", "fr": "Digipunt proche"}
CALL_ME = {"nl": "kan iemand mij bellen", "en": "can someone call me", "fr": "quelqu'un peut m'appeler"}
IN_LEDEBERG = {"nl": "digipunt in ledeberg", "en": "digipunt in ledeberg", "fr": "digipunt à ledeberg"}


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
    chat.say(CALL_ME[language])
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


@pytest.mark.parametrize(("language", "asked", "place_question", "said"), [
    ("nl", "ben je een robot?", "is het digipunt in de Kringwinkel aan de Vlaamsekaai maandag open?", "Vlaamsekaai"),
    ("en", "are you a robot?", "is the Digipunt at the Kringwinkel on Vlaamsekaai open on monday?", "Vlaamsekaai"),
    ("fr", "vous êtes un robot ?", "le Digipunt de la Kringwinkel au Vlaamsekaai, c'est ouvert lundi matin ?",
     "Vlaamsekaai"),
])
def test_a_place_question_where_a_call_is_offered_is_answered(library: Library, language: str, asked: str,
                                                              place_question: str, said: str) -> None:
    chat = Chat(library, language=language)
    chat.say(asked)
    turn = chat.say(place_question)
    assert said in joined(turn)
    assert chat.state is not None and not chat.state["ticket"] and chat.state["flow"] == "digipunt-results"


@pytest.mark.parametrize(("language", "call", "not_this_week"), [
    ("nl", "kan iemand mij bellen?", "deze week lukt niet, ik rij tot vrijdag in Duitsland"),
    ("en", "can someone call me?", "this week is no good, I'm away until friday"),
    ("fr", "quelqu'un peut m'appeler ?", "cette semaine ça ne va pas, un autre jour"),
])
def test_another_day_said_where_the_number_is_asked_asks_the_day_after_it(library: Library, language: str, call: str,
                                                                          not_this_week: str) -> None:
    chat = Chat(library, channel="telegram", language=language)
    chat.say(call)
    assert chat.state is not None and chat.state["flow"] == "handoff-number"
    chat.say(not_this_week)
    assert chat.state is not None and chat.state["flow"] == "handoff-number"
    chat.say("0478 12 34 56")
    chat.say({"nl": "ja", "en": "yes", "fr": "oui"}[language])
    assert chat.state is not None and all(option["action"].startswith("handoff:window-day:")
                                          for option in chat.state["options"])


@pytest.mark.parametrize(("language", "text"), [
    ("en", "can someone call my father in law? he needs help with his tablet. he only speaks dutch"),
    ("nl", "kan iemand mijn vader bellen? hij heeft hulp nodig met zijn tablet, hij spreekt alleen frans"),
    ("fr", "quelqu'un peut appeler mon père ? il a besoin d'aide avec sa tablette, il ne parle que néerlandais"),
])
def test_the_language_someone_else_speaks_switches_nothing(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["language"] == language and chat.state["flow"] == "handoff"


@pytest.mark.parametrize(("language", "not_digipunt"), [
    ("nl", "nee geen digipunt ik kan niet goed stappen"),
    ("en", "no not a digipunt, I can't walk well"),
    ("fr", "non pas de digipunt, je marche mal"),
])
def test_a_no_to_the_digipunt_is_a_yes_to_the_call(library: Library, language: str, not_digipunt: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    chat.say(not_digipunt)
    assert chat.state is not None and chat.state["flow"] == "handoff"
    assert next(option["action"] for option in chat.state["options"]) == "handoff:window-asap"


@pytest.mark.parametrize(("language", "question", "delete"), [
    ("nl", "ik heb gisteren mijn adres en mijn naam hier gestuurd. wat doen jullie daarmee?",
     "ik wil toch liever dat dat allemaal verwijderd wordt"),
    ("en", "I sent my address here yesterday. what do you do with it?", "I'd rather you delete all of it"),
    ("fr", "j'ai envoyé mon adresse hier, vous en faites quoi ?", "je préfère que vous supprimiez tout"),
])
def test_a_question_about_own_data_gets_the_notice_and_a_deletion_word_then_asks(
        library: Library, language: str, question: str, delete: str) -> None:
    chat = Chat(library, language=language)
    chat.say(question)
    assert chat.state is not None and any(option["action"] == "forget:ask" for option in chat.state["options"])
    chat.say(delete)
    assert chat.state is not None and chat.state["flow"] == "forget"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "mijn data is bijna op, hoe werkt die telenet wifi?"),
    ("en", "how do I connect without using my data?"),
    ("fr", "comment me connecter sans utiliser mes données ?"),
])
def test_mobile_data_is_no_privacy_question(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and not any(option["action"] == "forget:ask" for option in chat.state["options"])


@pytest.mark.parametrize(("language", "thanks"), [("nl", "merci"), ("en", "God bless"), ("fr", "merci beaucoup")])
def test_thanks_where_telegram_asks_a_number_opens_the_ticket_for_a_written_answer(library: Library, language: str,
                                                                                   thanks: str) -> None:
    chat = Chat(library, channel="telegram", language=language)
    chat.say(CALL_ME[language])
    chat.say(thanks)
    assert chat.state is not None and chat.state["flow"] == "handoff"
    assert next(option["action"] for option in chat.state["options"]) == "handoff:window-asap"


@pytest.mark.parametrize(("language", "thanks"), [("nl", "dank u wel"), ("en", "God bless"), ("fr", "merci")])
def test_thanks_to_the_typed_number_confirms_it(library: Library, language: str, thanks: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "bel mij op 0485 67 23 90", "en": "please call me on 0485 67 23 90",
              "fr": "appelez-moi au 0485 67 23 90"}[language])
    chat.say(thanks)
    assert chat.state is not None and chat.state["flow"] == "handoff"
    assert next(option["action"] for option in chat.state["options"]) == "handoff:window-asap"


@pytest.mark.parametrize(("language", "text", "guide_id"), [
    ("fr", "ma formation de néerlandais se fait maintenant en ligne sur Teams. Je dois faire quoi?", "teams"),
    ("en", "my Dutch course is online on Teams now, what must I do?", "teams"),
    ("nl", "mijn cursus Frans is nu online via Teams, hoe moet dat?", "teams"),
    ("en", "I'm looking for work and must register online with VDAB but it's all in Dutch", "job-help"),
])
def test_a_language_named_as_a_course_or_a_site_switches_nothing(library: Library, language: str, text: str,
                                                                  guide_id: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["language"] == language
    assert chat.state["flow"] == "guide" and chat.state["guide"]["guide_id"] == guide_id


@pytest.mark.parametrize(("language", "text", "near"), [
    ("en", "computer free? near dampoort station. i need make vdab account", "Dampoort"),
    ("nl", "pc gratis? bij het station dampoort", "Dampoort"),
    ("fr", "ordi gratuit? près de la gare Dampoort", "Dampoort"),
])
def test_a_free_computer_near_a_place_is_a_place_question(library: Library, language: str, text: str,
                                                           near: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert near in joined(turn)


@pytest.mark.parametrize(("language", "where", "question"), [
    ("nl", "Ik woon in de binnenstad", "Die bib De Krook, kan ik daar zomaar binnen? En is daar iemand om te helpen?"),
    ("en", "I live in the city centre", "The library De Krook, can I just walk in? Is there someone to help?"),
    ("fr", "J'habite au centre-ville", "La bibliothèque De Krook, j'entre comme ça ? Il y a quelqu'un pour aider ?"),
])
def test_a_helper_asked_of_a_named_listed_place_gets_its_detail(library: Library, language: str, where: str,
                                                                question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(where)
    turn = chat.say(question)
    assert "Miriam Makebaplein 1, 9000 Gent" in joined(turn)
    assert chat.state is not None and not chat.state["data"].get("helper_only")


@pytest.mark.parametrize(("language", "again"), [
    ("nl", "ik heb het niet goed gelezen, nog eens aub"),
    ("en", "sorry I was busy. where was I"),
    ("fr", "pardon, je n'ai pas bien lu"),
])
def test_the_last_message_again_when_a_clause_asks_it(library: Library, language: str, again: str) -> None:
    chat = Chat(library, language=language)
    first = joined(chat.say(IN_LEDEBERG[language]))
    assert first.splitlines()[1] in joined(chat.say(again))


@pytest.mark.parametrize(("language", "nearest", "picked"), [
    ("nl", "te lang. gwn de dichtste", "Vlaamsekaai 10"),
    ("nl", "1 ja die", "Vlaamsekaai 10"),
    ("en", "1 yes that one", "Vlaamsekaai 10"),
    ("fr", "1 oui celui-là", "Vlaamsekaai 10"),
])
def test_the_nearest_or_a_number_with_words_picks_from_the_list(library: Library, language: str, nearest: str,
                                                                picked: str) -> None:
    chat = Chat(library, language=language)
    listed = joined(chat.say(IN_LEDEBERG[language]))
    assert picked in listed.splitlines()[1]
    assert f"{picked}, 9000 Gent" in joined(chat.say(nearest))


def test_an_intent_naming_an_unknown_menu_is_refused_with_its_file(tmp_path: Path) -> None:
    shipped = ContentPaths.shipped()
    intents = tmp_path / "intents"
    shutil.copytree(shipped.intents, intents)
    thanks = intents / "smalltalk.thanks.yaml"
    thanks.write_text(thanks.read_text(encoding="utf-8").replace('action: "flow:thanks"', 'action: "menu:wiifi"'),
                      encoding="utf-8")
    with pytest.raises(ContentError, match=r"smalltalk\.thanks\.yaml: action 'menu:wiifi' names no menu"):
        Library.load(ContentPaths(intents=intents, guides=shipped.guides, places=shipped.places,
                                  texts=shipped.texts, organisations=shipped.organisations))


@pytest.mark.parametrize(("language", "start", "having", "device"), [
    ("nl", "videobellen met mijn dochter in spanje, hoe doe ik dat", "whatsapp hebben we allebei", "android, een oppo"),
    ("en", "how do I video call my son in Canada", "we both have whatsapp", "it's an android, a xiaomi"),
    ("fr", "comment faire un appel vidéo avec ma fille", "on a toutes les deux whatsapp", "android, un samsung"),
])
def test_the_phone_named_after_another_remark_at_one_step_is_taken_as_said(
        library: Library, language: str, start: str, having: str, device: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    chat.say(having)
    step = chat.state["guide"]["step_id"] if chat.state else None
    turn = chat.say(device)
    assert chat.state is not None and chat.state["guide"]["step_id"] == step and chat.state["step_misses"] == 0
    assert {"nl": "Oké, dank je.", "en": "OK, thank you.", "fr": "D'accord, merci."}[language] in joined(turn)


@pytest.mark.parametrize(("language", "far_with_day", "day"), [
    ("nl", "dat is ver, ik zal haar brengen met de auto. morgen namiddag kan?", "morgen"),
    ("en", "that's far, I'll drive her there. tomorrow after lunch?", "tomorrow"),
    ("fr", "trop loin pour moi. demain à 14h ?", "demain"),
])
def test_far_with_a_day_lists_for_that_day(library: Library, language: str, far_with_day: str, day: str) -> None:
    chat = Chat(library, language=language)
    chat.say(IN_LEDEBERG[language])
    turn = chat.say(far_with_day)
    assert day in joined(turn).splitlines()[0].lower() and "14:00" in joined(turn).splitlines()[0]


@pytest.mark.parametrize(("language", "question"), [
    ("en", "he doesn't speak Dutch, is that ok?"),
    ("nl", "hij spreekt geen Nederlands, is dat erg?"),
    ("fr", "il ne parle pas néerlandais, c'est grave ?"),
])
def test_someone_not_speaking_a_language_asks_no_switch(library: Library, language: str, question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(IN_LEDEBERG[language])
    chat.say(question)
    assert chat.state is not None and chat.state["language"] == language and chat.state["flow"] != "language"
