"""Words read in context (blind set 7), in nl, en and fr: a want naming another guide inside a guide, 'it works' said
short, a step done and the next one stuck in one message, a one-word answer of another language inside a sentence,
a bare STOP, a poor reader's request answered with another language offered, an ambiguous landmark next to its wijk,
and follow-ups after a list ('other days?', 'where is it exactly?')."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.content.library import Library
from tests.engine.understanding import BRUSSELS, Chat, joined, options

SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=BRUSSELS)


@pytest.mark.parametrize(("language", "start", "want"), [
    ("nl", "hoe zet ik hotspot aan op mijn samsung", "ik wil whatsapp om mijn dochter te bellen"),
    ("en", "how do I turn on the hotspot on my samsung", "i want whatsapp to call my daughter"),
    ("fr", "comment partager la connexion de mon samsung", "je veux whatsapp pour appeler ma fille"),
])
def test_a_want_naming_another_guide_leaves_the_open_one(library: Library, language: str, start: str,
                                                         want: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    assert chat.state is not None and chat.state["guide"]["guide_id"] == "hotspot"
    turn = chat.say(want)
    # calling on WhatsApp: the WhatsApp guide's calling branch or the video calling guide (which uses WhatsApp)
    assert chat.state["flow"] == "guide" and chat.state["guide"]["guide_id"] in ("whatsapp", "videocall")
    assert "WhatsApp" in joined(turn)


@pytest.mark.parametrize(("language", "having"), [
    ("nl", "ik heb whatsapp al op mijn gsm"),
    ("en", "I have WhatsApp already"),
])
def test_saying_what_one_has_keeps_the_guide(library: Library, language: str, having: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "hoe zet ik hotspot aan op mijn samsung", "en": "how do I turn on the hotspot on my samsung"}[
        language])
    chat.say(having)
    assert chat.state is not None and chat.state["guide"]["guide_id"] == "hotspot"


@pytest.mark.parametrize(("language", "start", "short"), [
    ("nl", "hoe zet ik hotspot aan op mijn samsung", "werkt, merci"),
    ("en", "how do I turn on the hotspot on my samsung", "works, thanks"),
])
def test_a_short_it_works_late_in_a_guide_ends_it(library: Library, language: str, start: str, short: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    for _ in range(3):
        chat.say("ok")
    chat.say(short)
    assert chat.state is not None and chat.state["flow"] == ""


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "hoe werkt dat?"),
    ("en", "how does that work?"),
])
def test_a_question_about_how_it_works_does_not_end_a_guide(library: Library, language: str,
                                                            question: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "hoe zet ik hotspot aan op mijn samsung", "en": "how do I turn on the hotspot on my samsung"}[
        language])
    for _ in range(3):
        chat.say("ok")
    chat.say(question)
    assert chat.state is not None and chat.state["flow"] == "guide"


@pytest.mark.parametrize(("language", "start", "stuck"), [
    ("fr", "on m'a donné un code pour le wifi telenet, comment je fais",
     "je suis connectée à TELENETHOTSPOT mais rien ne s'ouvre"),
    ("nl", "ik heb een code gekregen voor telenet wifi, hoe doe ik dat",
     "ik ben verbonden met TELENETHOTSPOT maar er opent niets"),
    ("en", "I got a code for telenet wifi, how do I use it",
     "I'm connected to TELENETHOTSPOT but nothing opens"),
])
def test_a_step_done_and_the_next_stuck_helps_with_the_next(library: Library, language: str, start: str,
                                                            stuck: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    assert chat.state is not None and chat.state["guide"]["step_id"] == "code-network"
    turn = chat.say(stuck)
    assert chat.state["guide"]["step_id"] == "code-browser"
    assert "neverssl.com" in joined(turn)


@pytest.mark.parametrize(("language", "seen"), [
    ("fr", "ok la page est là"),
    ("nl", "ok la pagina staat er"),
])
def test_a_foreign_one_word_no_inside_a_sentence_loses_to_ok(library: Library, language: str, seen: str) -> None:
    """Arabizi 'la' is no; in 'ok la page est là' it is an article: the ok decides."""
    chat = Chat(library, language=language)
    chat.say({"fr": "on m'a donné un code pour le wifi telenet, comment je fais",
              "nl": "ik heb een code gekregen voor telenet wifi, hoe doe ik dat"}[language])
    chat.say({"fr": "ça ne marche pas", "nl": "het lukt niet"}[language])
    chat.say(seen)
    assert chat.state is not None and chat.state["flow"] == "guide"
    assert chat.state["guide"]["step_id"] == "code-browser"


def test_la_alone_is_still_no(library: Library) -> None:
    assert library.answers.read("la", ("yes", "no")) == "no"
    assert library.answers.read("ok la page est là", ("yes", "no")) == "yes"


def test_a_bare_stop_is_confirmed_in_the_first_languages(library: Library) -> None:
    text = joined(Chat(library).say("STOP"))
    for language in ("nl", "en", "fr"):
        assert library.texts.get(language, "stop_confirm") in text


def test_a_stop_in_a_known_language_is_confirmed_in_it_only(library: Library) -> None:
    chat = Chat(library, language="en")
    text = joined(chat.say("STOP"))
    assert text == library.texts.get("en", "stop_confirm")


@pytest.mark.parametrize(("language", "story"), [
    ("nl", "mijn dochter moet huiswerk op de computer doen maar ik kan haar niet helpen, ik versta niet goed "
           "nederlands. is er hulp?"),
    ("en", "my daughter has homework on the computer but I cannot help her, my english is not good. is there help?"),
    ("fr", "ma fille doit faire ses devoirs sur l'ordinateur mais je ne peux pas l'aider, je ne parle pas bien "
           "français. il y a de l'aide?"),
])
def test_a_poor_reader_gets_the_answer_and_another_language_offered(library: Library, language: str,
                                                                    story: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(story)
    assert turn.intent == "homework.help"
    assert library.texts.get(language, "language_offer") in joined(turn)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "I live in mariakerke near the kringwinkel, is there a computer open on saturday?"),
    ("nl", "ik woon in mariakerke bij de kringwinkel, is er zaterdag een computer open?"),
    ("fr", "j'habite à mariakerke près du kringwinkel, il y a un ordinateur ouvert samedi?"),
])
def test_an_ambiguous_landmark_next_to_its_wijk_gives_a_list(library: Library, language: str, text: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    turn = chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert len(options(turn)) >= 2 or joined(turn).count("\n") >= 2
    assert "Mariakerke" in joined(turn)


def test_an_ambiguous_area_alone_still_asks_which(library: Library) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    turn = chat.say("kringwinkel")
    assert len(options(turn)) == 3


@pytest.mark.parametrize(("language", "first", "other_days", "day"), [
    ("en", "is there a computer near dampoort", "ok what about other days", "tuesday afternoon then, thanks"),
    ("nl", "is er een computer in de buurt van dampoort", "en op andere dagen", "dinsdag namiddag dan, merci"),
    ("fr", "il y a un ordinateur près de dampoort", "et les autres jours", "mardi après-midi alors, merci"),
])
def test_other_days_after_a_list_asks_which_day(library: Library, language: str, first: str, other_days: str,
                                               day: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(first)
    turn = chat.say(other_days)
    assert joined(turn) == library.texts.get(language, "dp_which_day")
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    chat.say(day)
    assert chat.state["flow"] == "digipunt-results" and str(chat.state["data"].get("at")).startswith("2026-12-01T1")


@pytest.mark.parametrize(("language", "first", "where"), [
    ("fr", "il y a un digipunt a nieuw gent?", "oui celui la, c'est ou exactement?"),
    ("nl", "is er een digipunt in nieuw gent?", "ja die, waar is dat juist?"),
    ("en", "is there a digipunt in nieuw gent?", "yes that one, what is the address?"),
])
def test_where_is_it_after_a_list_gives_the_nearest_detail(library: Library, language: str, first: str,
                                                           where: str) -> None:
    chat = Chat(library, language=language)
    chat.say(first)
    assert chat.state is not None
    nearest = chat.state["data"]["shown"][0]
    turn = chat.say(where)
    assert chat.state["history"][-1] == f"place:{nearest}"
    place = library.places.get(nearest)
    assert place is not None and place.street is not None and place.street in joined(turn)


@pytest.mark.parametrize(("language", "start", "remark"), [
    ("en", "my son needs a computer for his homework", "he is in secondary school in Gent yes"),
    ("nl", "mijn zoon heeft een computer nodig voor zijn huiswerk", "hij zit in het middelbaar in gent ja"),
])
def test_small_words_alone_pick_no_option(library: Library, language: str, start: str, remark: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    assert chat.state is not None and chat.state["flow"] == "guide"
    chat.say(remark)
    assert chat.state["flow"] == "guide"


# blind set 8


@pytest.mark.parametrize(("language", "start", "device"), [
    ("nl", "bestaan er lessen om met een tablet te leren werken?", "tablet"),
    ("en", "are there lessons to learn to use a tablet?", "tablet"),
    ("fr", "il y a des cours pour apprendre à utiliser une tablette?", "tablette"),
    ("nl", "ik wil whatsapp om met mijn familie te praten", "motorola. blauwe"),
])
def test_a_device_alone_inside_a_guide_is_a_remark(library: Library, language: str, start: str,
                                                   device: str) -> None:
    chat = Chat(library)
    chat.say(start)
    assert chat.state is not None and chat.state["flow"] == "guide" and chat.state["language"] == language
    guide_id = chat.state["guide"]["guide_id"]
    turn = chat.say(device)
    assert chat.state["guide"]["guide_id"] == guide_id and chat.state["language"] == language
    assert turn.replies[0].text.startswith(library.texts.get(language, "noted"))


@pytest.mark.parametrize(("language", "story", "intent"), [
    ("fr", "Ma fille m'a offert un smartphone et elle voudrait que j'installe WhatsApp pour voir les photos des "
           "petits enfants. Pouvez-vous m'expliquer?", ("guide.whatsapp", "guide.videocall")),
    ("nl", "ik heb morgen een sollicitatie via teams en ik heb da nog nooit gedaan. hoe moet ik dat doen op mijn "
           "gsm", ("guide.videocall",)),
    ("en", "my grandson sent me a link for a teams call on sunday. can you explain?", ("guide.videocall",)),
])
def test_asking_how_asks_about_what_came_before(library: Library, language: str, story: str,
                                                intent: tuple[str, ...]) -> None:
    turn = Chat(library, language=language).say(story)
    assert turn.intent in intent


@pytest.mark.parametrize(("language", "first", "hours"), [
    ("nl", "ik woon in ledeberg, waar is het dichtste digipunt", "en hoe laat is da open vandaag"),
    ("en", "is there a digipunt near ledeberg", "which days exactly?"),
    ("fr", "il y a un digipunt près de ledeberg?", "c'est ouvert quand?"),
])
def test_an_hours_question_after_a_list_gives_the_nearest_detail(library: Library, language: str, first: str,
                                                                 hours: str) -> None:
    chat = Chat(library, language=language)
    chat.say(first)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    nearest = chat.state["data"]["shown"][0]
    chat.say(hours)
    assert chat.state["history"][-1] == f"place:{nearest}"


@pytest.mark.parametrize(("language", "wish"), [
    ("nl", "ik wil da ge alles van mij wegdoet, mijn nummer en al"),
    ("nl", "Ik wil liever dat alles van mij gewist wordt"),
    ("en", "please get rid of my data"),
    ("fr", "je veux que vous effaciez tout de moi"),
])
def test_deletion_in_plain_words_asks_for_the_confirmation(library: Library, language: str, wish: str) -> None:
    chat = Chat(library, language=language)
    chat.say(wish)
    assert chat.state is not None and chat.state["flow"] == "forget"
    assert any(option["action"] == "forget:yes" for option in chat.state["options"])


def test_login_failed_at_the_network_step_helps_at_the_login_check(library: Library) -> None:
    chat = Chat(library, language="fr")
    chat.say("je suis cliente Telenet. Comment je me connecte au Wi-Free en ville?")
    assert chat.state is not None and chat.state["guide"]["step_id"] == "web-network"
    turn = chat.say("j'ai mis mon login mais il dit Login failed")
    assert chat.state["flow"] == "guide" and chat.state["guide"]["step_id"] == "web-check"
    assert "mot de passe" in joined(turn)


def test_wiping_a_device_is_no_deletion_of_the_residents_data(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("ik heb een oude laptop, kan ik die ergens schenken?")
    chat.say("wis alles op mijn laptop")
    assert chat.state is not None and chat.state["flow"] != "forget"


@pytest.mark.parametrize(("language", "not_a_yes"), [
    ("nl", "Goed, ik breng ze binnen. Bedankt"),
    ("en", "ok I will think about it, thanks"),
])
def test_only_a_plain_yes_confirms_a_deletion(library: Library, language: str, not_a_yes: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "vergeet mij", "en": "forget me"}[language])
    assert chat.state is not None and chat.state["flow"] == "forget"
    turn = chat.say(not_a_yes)
    assert not any(type(effect).__name__ == "ForgetContact" for effect in turn.effects)
    if chat.state is None or chat.state.get("flow") != "forget":  # closed with thanks: asked again
        chat.say({"nl": "vergeet mij", "en": "forget me"}[language])
    turn = chat.say({"nl": "ja, wis alles", "en": "yes delete it"}[language])
    assert any(type(effect).__name__ == "ForgetContact" for effect in turn.effects)


@pytest.mark.parametrize(("language", "call"), [("nl", "bellen"), ("en", "call me"), ("fr", "appelez-moi")])
def test_a_bare_call_word_asks_for_a_helper(library: Library, language: str, call: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "bestaan er lessen om met een tablet te leren werken?", "en": "are there computer lessons?",
              "fr": "il y a des cours d'informatique?"}[language])
    chat.say(call)
    assert chat.state is not None and chat.state["flow"] in ("handoff", "handoff-number")


def test_calling_inside_a_sentence_is_no_helper_request(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("ik wil met whatsapp bellen met mijn kleinkinderen")
    assert chat.state is not None and chat.state["flow"] not in ("handoff", "handoff-number")


@pytest.mark.parametrize(("language", "device"), [("nl", "gsm"), ("en", "samsung"), ("fr", "tablette")])
def test_a_device_at_a_helper_offer_keeps_the_question(library: Library, language: str, device: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "hulp", "en": "help", "fr": "aide"}[language])
    offered = chat.state["options"] if chat.state else []
    turn = chat.say(device)
    assert chat.state is not None and [o["action"] for o in chat.state["options"]] == [o["action"] for o in offered]
    assert joined(turn).startswith(library.texts.get(language, "noted"))


def test_a_device_with_request_words_is_no_remark(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("hulp")
    turn = chat.say("kan het ook op mijn iphone, met de smartschool app?")
    assert not joined(turn).startswith(library.texts.get("nl", "noted"))


@pytest.mark.parametrize(("language", "place", "side", "when"), [
    ("nl", "waar is een digipunt in de buurt van Sint-Denijs-Westrem?",
     "mag mijn zoon daar ook naartoe voor zijn huiswerk?", "ok en welke is open op woensdag na 14u?"),
    ("en", "where is a digipunt near Sint-Denijs-Westrem?", "can my son go there for his homework?",
     "ok and which one is open on wednesday after 2pm?"),
])
def test_a_day_asked_inside_a_guide_gives_the_list_for_the_known_place(library: Library, language: str, place: str,
                                                                        side: str, when: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(place)
    chat.say(side)
    chat.say(when)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert str(chat.state["data"].get("at", "")).startswith("2026-12-02T14")


@pytest.mark.parametrize(("language", "first", "bring"), [
    ("nl", "is er een digipunt in ledeberg", "en moet ik iets meebrengen?"),
    ("en", "is there a digipunt in ledeberg", "do I need to bring my own laptop?"),
    ("fr", "il y a un digipunt à ledeberg?", "je dois apporter mon propre ordinateur?"),
])
def test_what_to_bring_after_a_list(library: Library, language: str, first: str, bring: str) -> None:
    chat = Chat(library, language=language)
    chat.say(first)
    turn = chat.say(bring)
    assert joined(turn) == library.texts.get(language, "dp_bring")
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"


@pytest.mark.parametrize(("language", "first", "question"), [
    ("nl", "is er een digipunt in ledeberg", "merci. en moe ke daar op voorhand bellen of mag ik zo binnen?"),
    ("en", "is there a digipunt in ledeberg", "is it free?"),
    ("fr", "il y a un digipunt à ledeberg?", "c'est gratuit hein?"),
])
def test_a_question_the_detail_answers_gives_the_nearest_detail(library: Library, language: str, first: str,
                                                                question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(first)
    assert chat.state is not None
    nearest = chat.state["data"]["shown"][0]
    chat.say(question)
    assert chat.state["history"][-1] == f"place:{nearest}"


def test_a_free_computer_elsewhere_is_a_new_place_question(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("is er een digipunt in ledeberg")
    chat.say("en een gratis computer in mariakerke?")
    assert chat.state is not None and "Mariakerke" in str(chat.state["data"].get("label"))


@pytest.mark.parametrize(("language", "how"), [
    ("nl", "en hoe geraak ik daar, me de bus of den tram?"),
    ("en", "how do I get there?"),
    ("fr", "comment y aller?"),
])
def test_how_to_get_there_after_a_list_gives_the_distance(library: Library, language: str, how: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "is er een digipunt in ledeberg", "en": "is there a digipunt in ledeberg",
              "fr": "il y a un digipunt à ledeberg?"}[language])
    turn = chat.say(how)
    assert "km" in joined(turn) and chat.state is not None and chat.state["flow"] == "digipunt-results"


@pytest.mark.parametrize(("language", "thanks"), [
    ("en", "Thank you dear, that's very kind"),
    ("nl", "Bedankt! Uw nederlands is goed 😄"),
    ("fr", "Merci madame, vous êtes très gentille"),
])
def test_thanks_with_a_compliment_is_thanks(library: Library, language: str, thanks: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "is er een digipunt in ledeberg", "en": "is there a digipunt in ledeberg",
              "fr": "il y a un digipunt à ledeberg?"}[language])
    turn = chat.say(thanks)
    assert turn.intent == "smalltalk.thanks"
    assert chat.state is not None and chat.state["language"] == language


def test_asking_for_the_own_language_still_switches_nothing_but_asking_for_another_does(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("is er een digipunt in ledeberg")
    chat.say("kan je in het Engels schrijven?")
    assert chat.state is not None and chat.state["language"] == "en"


@pytest.mark.parametrize(("language", "start", "question"), [
    ("fr", "comment installer whatsapp sur mon samsung", "il demande mon numéro, je mets le 0 devant ?"),
    ("nl", "hoe installeer ik whatsapp op mijn samsung", "hij vraagt mijn nummer, moet die 0 ervoor?"),
    ("en", "how do I install whatsapp on my samsung", "it asks for my number, do I put the 0 in front?"),
])
def test_a_question_about_the_next_step_shows_that_step(library: Library, language: str, start: str,
                                                        question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    chat.say("ok")
    assert chat.state is not None and chat.state["guide"]["step_id"] == "agree"
    chat.say(question)
    assert chat.state["guide"]["step_id"] == "number"


# blind set 9


@pytest.mark.parametrize(("language", "problem", "when"), [
    ("fr", "mon application de la banque ne marche plus sur mon telephone", "apres 15h, avant je travaille"),
    ("en", "i cannot set up email on my new phone", "not this week, I'm on nights. next monday or tuesday?"),
    ("nl", "mijn itsme werkt niet meer", "na 14u, in de voormiddag werk ik"),
])
def test_a_time_to_a_helper_offer_says_yes_and_is_kept(library: Library, language: str, problem: str,
                                                       when: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(problem)
    assert chat.state is not None and chat.state["flow"] == "offer"
    chat.say(when)
    assert chat.state["flow"] == "handoff" and chat.state["data"].get("window")
    turn = chat.say({"fr": "oui", "en": "yes", "nl": "ja"}[language])
    assert any(type(effect).__name__ == "OpenTicket" for effect in turn.effects)


@pytest.mark.parametrize(("language", "ask", "when", "window"), [
    ("fr", "je voudrais que quelqu un m appelle pour la banque", "apres 15h, avant je travaille", "afternoon"),
    ("en", "can somebody ring me about my email", "not this week. next monday or tuesday?", "day:2026-11-30"),
])
def test_a_time_to_the_consent_question_is_consent_with_that_time(library: Library, language: str, ask: str,
                                                                  when: str, window: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(ask)
    assert chat.state is not None and chat.state["data"].get("asked") == "consent"
    turn = chat.say(when)
    tickets = [effect for effect in turn.effects if type(effect).__name__ == "OpenTicket"]
    assert tickets and str(tickets[0].callback_window).startswith(window)


def test_yes_to_the_days_offered_takes_the_first(library: Library) -> None:
    chat = Chat(library, now=SATURDAY, language="nl")
    chat.say("kan iemand mij bellen")
    chat.say("volgende week")
    assert chat.state is not None and chat.state["data"].get("asked") == "day"
    turn = chat.say("ja ok is goed")
    assert any(type(effect).__name__ == "OpenTicket" for effect in turn.effects)


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "Goeiemorgen, is er in De Krook iemand die mij kan helpen met itsme? En welke uren?"),
    ("en", "Is there someone in De Krook who can help me with itsme? What are the opening hours?"),
])
def test_a_question_about_a_named_digipunt_gives_its_detail(library: Library, language: str, question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(question)
    assert chat.state is not None and str(chat.state["history"][-1]).startswith("place:")
    chat.say({"nl": "moet ik daarvoor een afspraak maken?", "en": "do I need an appointment?"}[language])
    assert str(chat.state["history"][-1]).startswith("place:")


@pytest.mark.parametrize(("language", "start", "done"), [
    ("en", "How can I make a video call to my grandchildren? They use WhatsApp.", "Yes whatsapp is installed already"),
    ("nl", "hoe kan ik videobellen met mijn kleinkinderen? ze gebruiken whatsapp", "ja whatsapp is al geinstalleerd"),
])
def test_yes_it_is_installed_picks_done_not_the_denied_option(library: Library, language: str, start: str,
                                                              done: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    assert chat.state is not None and chat.state["guide"]["step_id"] == "open-chat"
    chat.say(done)
    assert chat.state["guide"]["step_id"] != "install" and "install" not in chat.state["guide"]["path"]


@pytest.mark.parametrize(("language", "when"), [
    ("nl", "niet deze week. dinsdag volgende week, dan is mijn zaak toe"),
    ("en", "not this week, next tuesday please"),
    ("fr", "pas cette semaine, mardi prochain"),
])
def test_not_this_week_but_a_day_is_consent_with_that_day(library: Library, language: str, when: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say({"nl": "kan iemand mij bellen voor hulp met mijn tablet", "en": "can someone call me about my tablet",
              "fr": "quelqu'un peut m'appeler pour ma tablette"}[language])
    turn = chat.say(when)
    tickets = [effect for effect in turn.effects if type(effect).__name__ == "OpenTicket"]
    assert tickets and tickets[0].callback_window.startswith("day:2026-12-0")


def test_a_plain_no_to_the_consent_still_declines(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("kan iemand mij bellen")
    turn = chat.say("nee")
    assert not any(type(effect).__name__ == "OpenTicket" for effect in turn.effects)
    assert chat.state is not None and chat.state["flow"] != "handoff"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik zit in het uz te wachten. ik heb proximus thuis. kan ik hier op hun wifi?"),
    ("fr", "je suis chez proximus a la maison. a la gare dampoort je vois un reseau avec fon dedans. je peux l "
           "utiliser gratuit?"),
])
def test_a_product_named_beside_a_place_starts_its_guide(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.intent == "guide.proximus_wifi"


def test_a_place_question_beside_a_purpose_word_stays_a_place_question(library: Library) -> None:
    turn = Chat(library, language="en").say(
        "hi I need a computer to apply for jobs, I live in mariakerke near the kringwinkel. open on saturday?")
    assert turn.state["flow"] == "digipunt-results"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "is de serre aan het rerum novarumplein open op vrijdag en is daar iemand die helpt met de computer"),
    ("en", "is de serre on rerum novarumplein open on friday?"),
    ("fr", "de serre au rerum novarumplein est ouvert vendredi?"),
])
def test_a_digipunt_named_by_its_own_name_gives_its_detail(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["history"][-1] == "place:de-serre"


def test_trouble_at_a_step_that_offers_a_helper_offers_it_once(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("ik zoek werk en heb een computer nodig")
    assert chat.state is not None and chat.state["flow"] == "guide"
    chat.say("1")
    turn = chat.say("welke dag open?")
    assert chat.state is not None and chat.state["guide"]["step_id"] == "where"
    labels = options(turn)
    assert "Een helper belt mij" in labels
    assert not (library.texts.get("nl", "option_call_me") in labels and "Een helper belt mij" in labels)


@pytest.mark.parametrize(("language", "request_", "stuck"), [
    ("fr", "Bonsoir, je voudrais faire un appel vidéo avec mes petits-enfants à Lyon. J'ai déjà WhatsApp",
     "je suis dans la conversation avec ma fille mais je ne vois pas de caméra"),
    ("en", "I would like to make a video call with my grandchildren. I already have WhatsApp",
     "i am in the chat with my daughter but i don't see a camera"),
])
def test_what_one_has_is_no_second_request_and_a_denial_picks_no_option(library: Library, language: str,
                                                                         request_: str, stuck: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(request_)
    assert chat.state is not None and chat.state["guide"]["guide_id"] == "videocall"
    assert "second" not in chat.state["data"] and "WhatsApp ?" not in joined(turn)
    chat.say(stuck)  # the chat is open (step 1 done), the camera is not found: help with the camera step
    assert chat.state["guide"]["guide_id"] == "videocall" and chat.state["guide"]["step_id"] == "camera"


@pytest.mark.parametrize(("language", "start", "story"), [
    ("nl", "hey hoe kan ik mijn gsm internet delen met een tablet",
     "bij draadloos en netwerken stond het. aangezet, tablet ziet hem. wachtwoord getypt en het werkt"),
    ("fr", "salut comment partager la connexion de mon telephone avec mon pc portable",
     "ah c etait dans plus de reseaux. c est bon ca marche"),
    ("en", "how do I share the internet of my phone with my laptop",
     "found it under mobile data, switched it on and typed the password on the laptop. it works"),
])
def test_a_story_of_doing_it_alone_that_ends_in_it_works_ends_the_guide_early(library: Library, language: str,
                                                                               start: str, story: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    chat.say("samsung")
    assert chat.state is not None and chat.state["flow"] == "guide"
    chat.say(story)
    assert chat.state["flow"] == ""


@pytest.mark.parametrize(("language", "finished"), [
    ("fr", "c'est bon j'ai le code, c'est fini 🙏"),
    ("nl", "code ingetypt, alles is klaar"),
    ("en", "got the code, all done"),
])
def test_all_done_past_the_middle_of_a_guide_ends_it(library: Library, language: str, finished: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"fr": "je veux mettre WhatsApp sur mon nouveau téléphone", "nl": "ik wil whatsapp op mijn nieuwe gsm",
              "en": "i want to put whatsapp on my new phone"}[language])
    for _ in range(3):
        chat.say("ok")
    assert chat.state is not None and chat.state["flow"] == "guide"
    chat.say(finished)
    assert chat.state["flow"] == ""


@pytest.mark.parametrize(("language", "start", "device"), [
    ("nl", "mijn oma wil whatsapp om met haar zus te videobellen, hoe moet dat?",
     "een samsung, zo een nieuwe met 3 camera's achteraan"),
    ("en", "my grandma wants to video call her sister on whatsapp, how does that work?",
     "a samsung, one of those new ones with 3 cameras on the back"),
])
def test_a_device_described_in_a_second_clause_is_a_remark(library: Library, language: str, start: str,
                                                           device: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    assert chat.state is not None and chat.state["flow"] == "guide"
    where = dict(chat.state["guide"])
    turn = chat.say(device)
    assert joined(turn).startswith(library.texts.get(language, "noted"))
    assert chat.state["guide"]["step_id"] == where["step_id"]


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "zalig kerstfeest. mijn kleinzoon zegt dat jullie alles bijhouden wat ik stuur. is dat zo"),
    ("en", "my grandson says you keep everything I send. is that true"),
])
def test_asking_whether_messages_are_kept_is_a_privacy_question(library: Library, language: str,
                                                                question: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(question)
    assert joined(turn).startswith(library.texts.get(language, "privacy_notice", days=30)[:30])


@pytest.mark.parametrize(("language", "story"), [
    ("nl", "Ik moet voor de huurpremie een formulier invullen op de computer zegt de maatschappelijk werkster maar "
           "ik heb geen computer thuis. Ik woon in de Reinaertstraat in de brugse poort. Waar kan ik dat doen?"),
    ("en", "I have to fill in a form for the rent allowance on a computer but I have no computer at home. I live "
           "in the Londenstraat. Where can I do that?"),
])
def test_a_where_question_after_a_story_with_a_location_gives_the_list(library: Library, language: str,
                                                                        story: str) -> None:
    chat = Chat(library, language=language)
    chat.say(story)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"


@pytest.mark.parametrize(("language", "request_"), [
    ("fr", "Bonsoir mon enfant. Ma petite-fille a Kinshasa veut me voir sur le telephone. Comment on fait?"),
    ("nl", "mijn kleinkind wil me zien op de telefoon, hoe moet dat?"),
    ("en", "my granddaughter wants to see me on the phone, how do we do that?"),
])
def test_being_seen_on_the_phone_starts_video_calling_at_its_first_step(library: Library, language: str,
                                                                        request_: str) -> None:
    chat = Chat(library, language=language)
    chat.say(request_)
    assert chat.state is not None and chat.state["guide"]["guide_id"] == "videocall"
    assert chat.state["guide"]["path"] == ["open-chat"]  # 'phone' picks no 'phone without apps' branch


def test_a_news_offer_the_message_does_not_answer_is_dropped(library: Library) -> None:
    chat = Chat(library, language="en")
    chat.say("I want to give away my old laptop")
    chat.say("3")
    chat.say("Thanks, bye!")  # the news offer follows thanks
    assert chat.state is not None and chat.state["flow"] == "offer"
    chat.say("Oh sorry, one more thing: how old is this bot?")
    assert chat.state["flow"] != "offer"
    turn = chat.say("Perfect, I'll do that this weekend. Thank you")
    assert not any(type(effect).__name__ == "Subscribe" for effect in turn.effects)


@pytest.mark.parametrize(("language", "pressed"), [
    ("en", "we pressed call me and the voice said the code. done"),
    ("nl", "ik heb op bel mij gedrukt en een stem zei de code. gelukt"),
])
def test_a_button_named_call_me_pressed_in_a_guide_is_no_helper_request(library: Library, language: str,
                                                                       pressed: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"en": "my mum just got an Android phone and wants WhatsApp", "nl": "ik wil whatsapp op mijn gsm"}[
        language])
    chat.say("ok")
    chat.say("ok")
    chat.say({"en": "we didn't get any code", "nl": "er komt geen code"}[language])
    chat.say(pressed)
    assert chat.state is not None and chat.state["flow"] == "guide"
    assert chat.state["guide"]["guide_id"] == "whatsapp"


@pytest.mark.parametrize(("language", "story", "flow"), [
    ("nl", "Hallo, mijn dochter (11) moet huiswerk maken op smartschool maar ik begrijp het zelf niet goed. Is er "
           "iemand die haar kan helpen?", "guide"),
    ("en", "My son has to do his homework on smartschool but I don't understand it myself. Is there someone who "
           "can help him?", "guide"),
    ("fr", "on voudrait lire les mails de la mutuelle et voir les petits-enfants en vidéo. Est-ce que quelqu'un "
           "pourrait nous téléphoner pour nous expliquer ?", "handoff"),
])
def test_help_asked_after_a_sure_topic_is_that_topic_unless_a_call_is_asked(library: Library, language: str,
                                                                            story: str, flow: str) -> None:
    chat = Chat(library, language=language)
    chat.say(story)
    assert chat.state is not None and chat.state["flow"] == flow


@pytest.mark.parametrize(("language", "thanks"), [
    ("nl", "ok ik zal het vragen aan mijn maatschappelijk werker. merci!"),
    ("en", "ok I will ask my social worker. thanks!"),
])
def test_thanks_with_a_plan_at_a_guide_choice_closes_the_guide(library: Library, language: str,
                                                               thanks: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "ik heb geen internet thuis, bestaat er iets goedkoop?",
              "en": "I have no internet at home, is there something cheap?"}[language])
    chat.say("2")  # free wifi outside: Wi-Free or Proximus, a choice
    assert chat.state is not None and chat.state["flow"] == "guide" and chat.state["options"]
    turn = chat.say(thanks)
    assert chat.state["flow"] == "" and joined(turn).startswith(library.texts.get(language, "guide_done")[:4])


@pytest.mark.parametrize(("language", "thanks"), [
    ("nl", "merci en nog een goeie dag"), ("en", "God bless"), ("fr", "que dieu vous benisse")])
def test_wishes_and_blessings_are_thanks(library: Library, language: str, thanks: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(thanks)
    assert turn.intent == "smalltalk.thanks"


@pytest.mark.parametrize(("language", "unsure"), [("nl", "ok we zien wel"), ("en", "ok, we'll see"),
                                                  ("fr", "ok on verra")])
def test_we_will_see_to_the_news_offer_subscribes_nothing(library: Library, language: str, unsure: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "ik wil mijn oude laptop weggeven", "en": "I want to give away my old laptop",
              "fr": "je veux donner mon vieil ordinateur"}[language])
    chat.say("3")
    chat.say({"nl": "bedankt, dag!", "en": "Thanks, bye!", "fr": "merci, au revoir!"}[language])
    assert chat.state is not None and chat.state["flow"] == "offer"
    turn = chat.say(unsure)
    assert not any(type(effect).__name__ == "Subscribe" for effect in turn.effects)


def test_a_digipunt_no_longer_listed_named_in_a_question_gets_its_detail_with_the_warning(library: Library) -> None:
    chat = Chat(library, language="nl")
    turn = chat.say("is de bib aan de watersportbaan open op zaterdag voor de computers")
    assert "Watersportbaan" in joined(turn) and "niet meer op de lijst" in joined(turn)


@pytest.mark.parametrize(("language", "forget"), [
    ("fr", "Salut, je veux que vous supprimiez tout ce que vous avez sur moi"),
    ("nl", "verwijder alles wat jullie van mij hebben"),
    ("en", "please delete everything you have on me"),
])
def test_deleting_everything_you_have_on_me_asks_the_confirmation(library: Library, language: str,
                                                                  forget: str) -> None:
    chat = Chat(library, language=language)
    chat.say(forget)
    assert chat.state is not None and chat.state["flow"] == "forget"


@pytest.mark.parametrize(("language", "stop"), [("fr", "STOP"), ("fr", "arrêtez les messages"),
                                                ("nl", "ik wil geen berichten meer")])
def test_a_clear_stop_still_unsubscribes(library: Library, language: str, stop: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"fr": "bonjour", "nl": "hallo"}[language])
    turn = chat.say(stop)
    assert any(type(effect).__name__ == "OptOut" for effect in turn.effects)


# Stories whose request is one guide (blind sets 10-12): the clause asked, read in the context the story gives
STORIES = [
    # a story ending in its question is answered by that question
    ("en", "hi! my home wifi just died and I have an online job interview tomorrow at 9am 😰 can I use my phone as "
           "internet for my laptop??", "hotspot"),
    ("nl", "mijn wifi thuis is kapot en ik heb morgen een sollicitatie online, kan ik mijn gsm als internet voor "
           "mijn laptop gebruiken?", "hotspot"),
    ("fr", "ma box internet est en panne et j'ai un entretien demain en ligne, est-ce que je peux utiliser mon "
           "téléphone comme internet pour mon ordinateur ?", "hotspot"),
    # a loose question takes its second reading when the story backs it
    ("nl", "dag, ik ben alleen met mijn 3 kinderen en sinds de verhuis naar de muide hebben we geen internet meer "
           "want telenet was te duur. de school stuurt alles via smartschool en mijn oudste moet zijn taken online "
           "maken, ik weet niet meer wat doen. bestaat er iets goedkoop of gratis?", "internet-access"),
    ("en", "hello, I am alone with my 3 kids and since we moved we have no internet anymore because telenet was too "
           "expensive. the school sends everything through smartschool and my oldest has to do homework online. "
           "is there something cheap or free?", "internet-access"),
    # laptops to give away in a story
    ("en", "My father passed away and we're clearing his flat. He left two laptops and an old iPad, all still "
           "working. I'd rather they go to someone who needs them than to the container park. Do you know who "
           "takes them?", "device-donate"),
    ("nl", "mijn vader is overleden en hij liet twee laptops na die nog werken. wie neemt oude laptops aan?",
     "device-donate"),
    # a product said to be on the phone does not outweigh the clause asked
    ("nl", "Dag, ik heb een nieuwe telefoon, een Samsung. De buurvrouw heeft dit whatsapp erop gezet. Mijn "
           "kleindochter in Antwerpen wil mij zien als we bellen. Hoe moet dat?", "videocall"),
    ("en", "Hello, I have a new phone. My neighbour put WhatsApp on it. My granddaughter wants to see me when we "
           "call. How does that work?", "videocall"),
    # is there something like that asks about the clause before
    ("nl", "Ik ben 70 en ik zou graag eens samen met anderen leren hoe ik beter met mijn tablet werk. Bestaat er "
           "zoiets in Gent? Ik woon in Ledeberg.", "learn-digicafe"),
    ("en", "I'm 70 and I would like to learn together with others how to use my tablet better. Is there something "
           "like that in Ghent? I live in Ledeberg.", "learn-digicafe"),
    # a loose question takes the reading a sure clause asks
    ("fr", "Bonsoir, je n'ai pas internet a la maison, c'est trop cher pour moi. Il existe quelque chose de pas "
           "cher ?", "internet-access"),
    ("en", "Good evening, I have no internet at home, it is too expensive for me. Is there something cheap?",
     "internet-access"),
]


@pytest.mark.parametrize(("language", "story", "guide_id"), STORIES)
def test_a_story_is_answered_by_the_guide_its_question_asks(library: Library, language: str, story: str,
                                                            guide_id: str) -> None:
    chat = Chat(library, language=language)
    chat.say(story)
    assert chat.state is not None and chat.state["flow"] == "guide" and chat.state["guide"]["guide_id"] == guide_id
