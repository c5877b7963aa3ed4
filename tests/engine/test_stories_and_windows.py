"""Words read in context (blind set 4), in nl, en and fr: a story whose loosely worded question another clause
backs, a place named in a story that asks something else (kept for later), a place request left for after a
callback, a day with a part of it for the callback, the number given earlier pointed back to, and a guide step
named with an ok or already passed."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.content.library import Library
from bot.effects import CallbackPromise, ChangeCallbackWindow, OpenTicket
from bot.flows.handoff_promise import promise_words
from handoff.promise import promise, window_day, window_part
from tests.engine.understanding import BRUSSELS, THURSDAY, Chat, library_with_test_guide

SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=BRUSSELS)


def _tickets(turn: object) -> list[OpenTicket]:
    return [effect for effect in getattr(turn, "effects", []) if isinstance(effect, OpenTicket)]


CALL_ME = {"nl": "kan iemand mij bellen", "en": "can someone call me", "fr": "vous pouvez m'appeler"}
YES = {"nl": "ja", "en": "yes", "fr": "oui"}


def _callback_window(library: Library, language: str, answer: str, now: datetime = SATURDAY,
                     opener: str | None = None) -> list[str]:
    """The callback windows of the tickets opened when `answer` is the reply to 'when suits you best?'."""
    chat = Chat(library, now=now, language=language)
    chat.say(opener or CALL_ME[language])
    chat.say(YES[language])
    return [ticket.callback_window for ticket in _tickets(chat.say(answer))]


@pytest.mark.parametrize(("language", "text", "intent"), [
    ("nl", "hallo, mijn zoon zit in het middelbaar en moet alles op smartschool maken, maar we hebben maar 1 gsm "
           "thuis. bestaat er iets om aan een laptop te geraken voor hem? we hebben ni veel geld", "device.request"),
    ("en", "Good evening. We came to Ghent in summer and we have no internet at all. I go to the library wifi but it "
           "closes early. Is there cheaper internet for people like us?", "internet.access"),
    ("fr", "Bonjour. Nous sommes arrivés cet été et nous n'avons pas d'internet à la maison. Mes enfants vont à la "
           "bibliothèque. Il existe quelque chose de moins cher pour nous ?", "internet.access"),
])
def test_a_loose_question_backed_by_the_story_is_the_request(library: Library, language: str, text: str,
                                                             intent: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.intent == intent


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "Goeiemiddag. De bank heeft haar kantoor in Gentbrugge gesloten en nu moet ik alles met de app doen. "
           "Kan er iemand mij dat eens rustig uitleggen aan de telefoon?"),
    ("en", "Hello. The bank closed its office in Gentbrugge and now everything is in the app. Could someone "
           "explain it to me on the phone?"),
    ("fr", "Bonjour. La banque a fermé son agence à Gentbrugge et maintenant tout se fait avec l'application. "
           "Quelqu'un peut m'expliquer ça au téléphone ?"),
])
def test_a_place_in_the_story_makes_no_place_question(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["flow"] in ("handoff", "handoff-number")


@pytest.mark.parametrize(("language", "story", "question"), [
    ("nl", "we wonen in de Meulestedesteenweg en hebben geen internet thuis. is er goedkoper internet?",
     "waar is er een gratis computer?"),
    ("en", "we live near the Rabot towers and have no internet at all. Is there cheaper internet for us?",
     "and where is the nearest free computer?"),
    ("fr", "j'habite Meulestedesteenweg et je n'ai pas internet. Il y a internet moins cher ?",
     "et où est l'ordinateur gratuit le plus proche ?"),
])
def test_a_place_said_in_a_story_is_kept_for_the_place_question(library: Library, language: str, story: str,
                                                               question: str) -> None:
    chat = Chat(library, language=language)
    told = chat.say(story)
    assert told.state["flow"] != "digipunt-results" and told.state.get("where")
    turn = chat.say(question)
    assert turn.state["flow"] == "digipunt-results" and turn.state["data"]["label"] == told.state["where"]["label"]


@pytest.mark.parametrize(("language", "text", "later", "back"), [
    ("nl", "kunt ge mij laten bellen door iemand voor mijn laptop? en waar kan k ondertussen op een computer in de "
           "bloemekenswijk", "ja op dit nummer", "en die computer?"),
    ("en", "can someone call me about my laptop? and where can i use a computer in the meantime in "
           "bloemekenswijk", "yes this number", "and that computer?"),
    ("fr", "quelqu'un peut m'appeler pour mon portable ? et où je peux aller sur un ordinateur dans le "
           "bloemekenswijk", "oui ce numéro", "et cet ordinateur ?"),
])
def test_a_place_request_after_a_callback_is_answered_when_asked_back(
        library: Library, language: str, text: str, later: str, back: str) -> None:
    chat = Chat(library, language=language)
    first = chat.say(text)
    assert first.state["flow"] in ("handoff", "handoff-number")
    assert first.state["later"]["intent"] == "digipunt.find"
    chat.say(later)
    opened = chat.say({"nl": "zo rap as t kan", "en": "as soon as you can", "fr": "dès que vous pouvez"}[language])
    assert [ticket.callback_window for ticket in _tickets(opened)] == ["asap"]
    turn = chat.say(back)
    assert turn.state["flow"] == "digipunt-results" and "loemekenswijk" in turn.state["data"]["label"]


@pytest.mark.parametrize(("language", "start", "when", "window"), [
    ("nl", "kan iemand mij bellen", "dinsdag in de voormiddag", "day:2026-12-01:morning"),
    ("en", "could someone ring me", "Monday afternoon would suit us", "day:2026-11-30:afternoon"),
    ("fr", "quelqu'un peut m'appeler", "lundi après-midi", "day:2026-11-30:afternoon"),
])
def test_a_day_and_its_part_are_both_kept(library: Library, language: str, start: str, when: str,
                                          window: str) -> None:
    assert _callback_window(library, language, when, opener=start) == [window]


@pytest.mark.parametrize(("language", "when"), [
    ("nl", "liefst in de namiddag, s morgens ga ik naar de markt"),
    ("en", "afternoon please, in the morning I am at the market"),
    ("fr", "l'après-midi svp, le matin je suis au marché"),
])
def test_a_part_named_beside_its_opposite_is_no_day(library: Library, language: str, when: str) -> None:
    assert _callback_window(library, language, when) == ["afternoon"]


def test_a_day_window_with_a_part_is_read_and_promised() -> None:
    assert window_day("day:2026-11-30:afternoon") == date(2026, 11, 30)
    assert window_part("day:2026-11-30:afternoon") == "afternoon"
    assert window_part("day:2026-11-30") is None and window_part("afternoon") is None
    made = promise(None, "day:2026-11-30:afternoon", SATURDAY, "Europe/Brussels")
    assert (made.window, made.day, made.part) == ("day", date(2026, 11, 30), "afternoon")


@pytest.mark.parametrize(("language", "words"), [
    ("nl", "op maandag 30/11 in de namiddag"),
    ("en", "on Monday 30/11 in the afternoon"),
    ("fr", "lundi 30/11 l'après-midi"),
])
def test_the_promise_names_the_day_and_its_part(library: Library, language: str, words: str) -> None:
    made = CallbackPromise(window="day", day=date(2026, 11, 30), part="afternoon")
    prefix, when = promise_words(made, library.texts, language, SATURDAY)
    assert prefix == "" and when.lower() == words.lower()


def test_the_promise_with_hours_names_the_first_moment_in_that_part(library: Library) -> None:
    start = datetime(2026, 11, 30, 13, 0, tzinfo=BRUSSELS)
    made = CallbackPromise(window="day", day=date(2026, 11, 30), part="afternoon", start=start, hours_known=True)
    assert promise_words(made, library.texts, "nl", SATURDAY)[1] == "maandag 30/11 in de namiddag, vanaf 13:00"


@pytest.mark.parametrize(("language", "text", "back"), [
    ("nl", "kan er iemand mijn moeder bellen? haar nummer is 0472 55 18 90",
     "nee ni op dit nummer, op da van mijn moeder da k net gaf"),
    ("en", "can someone call my mum? her number is 0472 55 18 90", "no not this one, the one i gave you"),
    ("fr", "quelqu'un peut appeler ma mère ? son numéro est le 0472 55 18 90",
     "non pas celui-ci, celui que j'ai donné"),
])
def test_the_number_given_before_is_pointed_back_to(library: Library, language: str, text: str, back: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    turn = chat.say(back)
    assert turn.state["data"].get("number") == "+32472551890"
    assert turn.state["data"].get("asked") == "window"


@pytest.fixture(scope="module")
def guide_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return library_with_test_guide(Path(tmp_path_factory.mktemp("stories")))


def _at_settings(library: Library, language: str) -> Chat:
    chat = Chat(library, language=language)
    chat.say({"nl": "hotspot aanzetten", "en": "turn on hotspot", "fr": "activer le partage de connexion"}[language])
    turn = chat.say("motorola")
    assert turn.state["guide"]["step_id"] == "settings"
    return chat


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "instellingen open ok"),
    ("en", "settings open ok"),
    ("fr", "ok réglages ouvert"),
])
def test_a_step_named_with_an_ok_goes_on(guide_library: Library, language: str, text: str) -> None:
    chat = _at_settings(guide_library, language)
    turn = chat.say(text)
    assert turn.state["guide"]["step_id"] == "network"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik ben al in netwerk, wat nu"),
    ("en", "i'm already in network, what now"),
    ("fr", "je suis déjà dans réseau, et maintenant"),
])
def test_a_step_already_passed_is_skipped(guide_library: Library, language: str, text: str) -> None:
    chat = _at_settings(guide_library, language)
    turn = chat.say(text)
    assert turn.state["guide"]["step_id"] not in ("settings", "network")


@pytest.mark.parametrize(("language", "start", "later", "window"), [
    ("nl", "kan iemand mij bellen", "svp in de voormiddag", "morning"),
    ("en", "can someone call me", "afternoon would be better", "afternoon"),
    ("fr", "quelqu'un peut m'appeler", "plutôt le matin svp", "morning"),
])
def test_a_window_after_the_ticket_changes_it(library: Library, language: str, start: str, later: str,
                                              window: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    chat.say(YES[language])
    opened = chat.say("1")
    assert [ticket.callback_window for ticket in _tickets(opened)] == ["asap"]
    assert chat.state is not None
    chat.state["ticket"] = "T-1234"  # the service sets it once the ticket is stored
    turn = chat.say(later)
    assert [(e.code, e.window) for e in turn.effects if isinstance(e, ChangeCallbackWindow)] == [("T-1234", window)]
    chat.state["ticket_claimed"] = True
    claimed = chat.say(later)
    assert not [e for e in claimed.effects if isinstance(e, ChangeCallbackWindow)]


@pytest.mark.parametrize(("language", "text", "answer"), [
    ("nl", "zijn jullie dat die mijn nummer hebben? ik wil da ge da wist", "ja alles weg"),
    ("en", "why do you have my number? delete it", "yes delete everything"),
    ("fr", "pourquoi vous avez mon numéro ? effacez-le", "oui effacez tout"),
])
def test_deletion_words_at_the_confirmation_are_the_yes(library: Library, language: str, text: str,
                                                        answer: str) -> None:
    chat = Chat(library, language=language)
    asked = chat.say(text)
    assert asked.state["flow"] == "forget"
    done = chat.say(answer)
    assert [type(effect).__name__ for effect in done.effects] == ["ForgetContact"]


@pytest.mark.parametrize(("language", "start", "again", "when"), [
    ("nl", "kan iemand mij bellen", "mag op dit nummer", "namiddag"),
    ("en", "I need help with my bank app, can someone call me", "this number is fine", "morning is best"),
    ("fr", "quelqu'un peut m'appeler ?", "oui sur ce numéro", "l'après-midi"),
])
def test_telegram_without_a_number_still_gets_a_ticket(library: Library, language: str, start: str, again: str,
                                                      when: str) -> None:
    chat = Chat(library, channel="telegram", language=language)
    first = chat.say(start)
    assert first.state["data"]["asked"] == "number"
    asked = chat.say({"nl": "ja graag", "en": "yes please", "fr": "oui svp"}[language])
    assert asked.state["data"]["asked"] == "number" and not _tickets(asked)
    told = chat.say(again)
    assert told.state["data"].get("no_number") is True
    opened = told if _tickets(told) else chat.say(when)
    assert [(ticket.callback_number, ticket.language) for ticket in _tickets(opened)] == [(None, language)]


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "gelukkig nieuwjaar! mijn itsme werkt ni meer op mijn nieuwe gsm"),
    ("en", "my itsme app stopped working on my new phone"),
    ("fr", "mon itsme ne marche plus sur mon nouveau téléphone"),
])
def test_a_product_without_a_guide_offers_a_helper_not_another_guide(library: Library, language: str,
                                                                      text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["flow"] == "offer" and turn.state["question"]["yes"] == "flow:handoff"
    assert turn.state.get("guide") is None


@pytest.mark.parametrize(("language", "when"), [
    ("nl", "volgende week, dinsdag ofzo"),
    ("en", "next week tuesday"),
    ("fr", "mardi de la semaine prochaine"),
])
def test_a_weekday_of_next_week_is_that_day(library: Library, language: str, when: str) -> None:
    monday = datetime(2026, 12, 28, 10, 0, tzinfo=BRUSSELS)
    assert _callback_window(library, language, when, monday) == ["day:2027-01-05"]


@pytest.mark.parametrize(("language", "text", "named"), [
    ("nl", "ik woon in de sleepstraat waar is er een computer", "De Sleepstraat ken ik nog niet."),
    ("en", "I live in the Sleepstraat, where is a free computer", "I do not know Sleepstraat yet."),
    ("fr", "j'habite Sleepstraat, où est un ordinateur gratuit", "Je ne connais pas encore Sleepstraat."),
])
def test_an_unknown_street_is_named_and_the_area_asked(library: Library, language: str, text: str,
                                                        named: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["flow"] == "digipunt"
    assert turn.replies[0].text.startswith(named) and turn.replies[0].ask_location


@pytest.mark.parametrize(("language", "question", "answer"), [
    ("nl", "wa doen jullie eigenlijk met mijn nummer?", "ja wis alles maar"),
    ("en", "what do you keep about me?", "yes please delete everything"),
    ("fr", "bonjour, je ne veux pas que vous gardiez mon numero et mes messages", "oui, supprimez tout"),
])
def test_a_yes_with_deletion_words_to_the_privacy_notice_deletes(library: Library, language: str, question: str,
                                                                 answer: str) -> None:
    chat = Chat(library, language=language)
    notice = chat.say(question)
    assert any(option["action"] == "forget:ask" for option in notice.state["options"])
    done = chat.say(answer)
    assert [type(effect).__name__ for effect in done.effects] == ["ForgetContact"]


@pytest.mark.parametrize(("language", "start", "works"), [
    ("nl", "kan iemand mij bellen", "ja het werkt, we hebben gebeld. merci"),
    ("en", "can someone call me", "it works now, thanks"),
    ("fr", "quelqu'un peut m'appeler", "ça marche maintenant, merci"),
])
def test_it_works_while_a_helper_is_arranged_means_nobody_calls(library: Library, language: str, start: str,
                                                                works: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    turn = chat.say(works)
    assert not _tickets(turn) and turn.state["flow"] == "" and turn.state["data"] == {}
    assert turn.replies[0].text == library.texts.get(language, "ho_not_needed")


@pytest.mark.parametrize(("language", "answer"), [
    ("nl", "op de tablet, een samsung"),
    ("en", "on the tablet, a samsung"),
    ("fr", "sur la tablette, un samsung"),
])
def test_a_known_word_is_no_typo_of_an_ordinal(library: Library, language: str, answer: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "vroeger belde ik met skype maar het werkt niet meer", "en": "i used skype but it stopped",
              "fr": "j'utilisais skype mais ça ne marche plus"}[language])
    turn = chat.say(answer)
    assert turn.state["flow"] not in ("handoff", "handoff-number")


@pytest.mark.parametrize(("language", "when", "window"), [
    ("nl", "namiddag is best, s morgens is ze naar de kine", "afternoon"),
    ("en", "morning please, in the afternoon I work", "morning"),
    ("fr", "le matin svp, l'apres-midi je travaille", "morning"),
])
def test_of_two_parts_of_the_day_the_first_is_the_wish(library: Library, language: str, when: str,
                                                      window: str) -> None:
    assert _callback_window(library, language, when) == [window]


@pytest.mark.parametrize(("language", "when"), [
    ("nl", "niet vandaag, ik ben bij de dokter. liever een andere dag, maandag bijvoorbeeld"),
    ("en", "not today, I am at the doctor. another day, monday for example"),
    ("fr", "pas aujourd'hui, je suis chez le medecin. plutot un autre jour, lundi par exemple"),
])
def test_a_day_named_after_not_today_is_that_day(library: Library, language: str, when: str) -> None:
    assert _callback_window(library, language, when, THURSDAY) == ["day:2026-11-30"]


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "waar is digipunt kongostraat, welk nummer? en moet ik afspraak maken"),
    ("en", "digipunt kongostraat, which number? do I need an appointment"),
    ("fr", "digipunt kongostraat, quel numero ? il faut un rendez-vous ?"),
])
def test_the_one_digipunt_on_a_street_asked_about_shows_its_detail(library: Library, language: str,
                                                                   text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["history"][-1] == "place:in-gent-kongostraat"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "Hoe kan ik mijn kleinzoon zien op whatsapp in plaats van alleen horen"),
    ("en", "how can I see my grandson on whatsapp instead of only hearing him"),
    ("fr", "comment je peux voir mon petit-fils sur whatsapp au lieu de seulement l'entendre"),
])
def test_seeing_instead_of_hearing_is_video_calling(library: Library, language: str, text: str) -> None:
    assert Chat(library, language=language).say(text).intent == "guide.videocall"


@pytest.mark.parametrize(("language", "ask", "far", "walk"), [
    ("nl", "digipunt zwijnaarde", "is dat ver? ik heb geen auto", "min te voet"),
    ("en", "digipunt near zwijnaarde", "is it far on foot?", "min on foot"),
    ("fr", "digipunt près de zwijnaarde", "c'est loin a pied ?", "min à pied"),
])
def test_how_far_after_a_list_gets_the_distance_and_the_walk(library: Library, language: str, ask: str,
                                                             far: str, walk: str) -> None:
    chat = Chat(library, language=language)
    listed = chat.say(ask)
    assert listed.state["flow"] == "digipunt-results"
    turn = chat.say(far)
    assert walk in turn.replies[0].text and "km" in turn.replies[0].text
    assert turn.state["options"] == listed.state["options"]  # the list can still be picked from


def test_ok_merci_is_flemish_too(library: Library) -> None:
    chat = Chat(library)
    chat.say("goeiemorgen")
    chat.say("digipunt zwijnaarde")
    assert chat.say("ok merci").state["language"] == "nl"


@pytest.mark.parametrize(("language", "start", "late"), [
    ("nl", "kan iemand mij bellen", "dit nummer is goed"),
    ("en", "can someone call me", "this number is fine"),
    ("fr", "quelqu'un peut m'appeler", "ce numéro est bon"),
])
def test_this_number_after_the_ticket_is_acknowledged(library: Library, language: str, start: str,
                                                      late: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    chat.say(YES[language])
    chat.say("1")
    assert chat.state is not None
    chat.state["ticket"] = "T-4321"
    turn = chat.say(late)
    assert turn.replies[0].text == library.texts.get(language, "ho_noted", code="T-4321")


@pytest.mark.parametrize(("language", "start", "answer"), [
    ("nl", "hoe kan ik videobellen met mijn kleinkinderen op whatsapp", "ja het staat al op mijn gsm"),
    ("en", "How do I make a video call to my grandchildren? They use WhatsApp", "Yes it's already on my phone"),
    ("fr", "comment faire un appel vidéo avec mes petits-enfants sur whatsapp", "oui c'est déjà sur mon téléphone"),
])
def test_a_device_word_picks_no_phone_without_apps(library: Library, language: str, start: str,
                                                   answer: str) -> None:
    chat = Chat(library, language=language)
    first = chat.say(start)
    assert first.state["flow"] == "guide"
    turn = chat.say(answer)
    assert turn.state["guide"]["step_id"] != "basic" and "basic" not in turn.state["guide"]["path"]


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "netwerk ok"),
    ("en", "network ok"),
    ("fr", "réseau ok"),
])
def test_a_yes_with_the_screen_label_of_a_step_ahead_skips_to_it(guide_library: Library, language: str,
                                                                 text: str) -> None:
    chat = _at_settings(guide_library, language)
    turn = chat.say(text)
    assert turn.state["guide"]["step_id"] not in ("settings", "network")


@pytest.mark.parametrize(("language", "problem", "still"), [
    ("nl", "mijn printer werkt niet", "het lukt niet"),
    ("en", "my printer does not work", "it doesn't work"),
    ("fr", "mon imprimante ne marche pas", "ça ne marche pas"),
])
def test_it_does_not_work_to_a_helper_offer_takes_the_help(library: Library, language: str, problem: str,
                                                           still: str) -> None:
    chat = Chat(library, language=language)
    offered = chat.say(problem)
    assert offered.state["flow"] == "offer" and offered.state["question"]["yes"] == "flow:handoff"
    turn = chat.say(still)
    assert turn.state["flow"] in ("handoff", "handoff-number")


@pytest.mark.parametrize(("language", "start", "remark"), [
    ("nl", "ik wil whatsapp", "samsung"),
    ("en", "i want whatsapp", "a samsung"),
    ("fr", "je veux whatsapp", "un samsung"),
])
def test_an_ok_after_a_remark_at_a_choice_asks_again_without_a_helper(library: Library, language: str,
                                                                       start: str, remark: str) -> None:
    chat = Chat(library, language=language)
    asked = chat.say(start)
    assert asked.state["flow"] == "guide" and asked.state["options"]
    chat.say(remark)
    turn = chat.say("ok")
    assert turn.state["flow"] == "guide" and [o["label"] for o in turn.state["options"]] == \
        [o["label"] for o in asked.state["options"]]


@pytest.mark.parametrize(("language", "answer", "window"), [
    ("nl", "na 14u is best", "afternoon"),
    ("en", "after 2pm is best, and yes this number", "afternoon"),
    ("fr", "avant 11h si possible", "morning"),
])
def test_an_hour_names_the_part_of_the_day(library: Library, language: str, answer: str, window: str) -> None:
    assert _callback_window(library, language, answer) == [window]


@pytest.mark.parametrize(("language", "answer", "window"), [
    ("nl", "ze is altijd thuis maar na de middag slaapt ze, dus liefst in de voormiddag", "morning"),
    ("en", "she is home all day, but in the morning she sleeps, so the afternoon please", "afternoon"),
    ("fr", "le matin je travaille, donc plutot l'apres-midi", "afternoon"),
])
def test_the_part_said_to_be_preferred_wins(library: Library, language: str, answer: str, window: str) -> None:
    assert _callback_window(library, language, answer) == [window]


@pytest.mark.parametrize(("language", "answer"), [
    ("nl", "niet voor kerstmis aub, mijn familie is hier. na nieuwjaar is goed"),
    ("en", "not before christmas please, after new year is fine"),
    ("fr", "pas avant noel svp, apres le nouvel an c'est bien"),
])
def test_after_new_year_is_the_first_working_day_of_january(library: Library, language: str, answer: str) -> None:
    december = datetime(2026, 12, 20, 10, 0, tzinfo=BRUSSELS)
    assert _callback_window(library, language, answer, december) == ["day:2027-01-02"]


@pytest.mark.parametrize(("language", "answer"), [
    ("nl", "vandaag niet want mijn kleinzoon verjaart. maandag is goed"),
    ("en", "today is not good, my grandson has his birthday. monday is fine"),
    ("fr", "aujourd'hui non, c'est l'anniversaire de mon petit-fils. lundi c'est bien"),
])
def test_not_today_then_a_day_is_that_day(library: Library, language: str, answer: str) -> None:
    assert _callback_window(library, language, answer) == ["day:2026-11-30"]


@pytest.mark.parametrize(("language", "answer"), [
    ("nl", "niet op dit nummer, bel mij op 0486 55 21 09, liefst in de voormiddag"),
    ("en", "not this number, call me on 0486 55 21 09, in the morning please"),
    ("fr", "pas sur ce numéro, appelez moi au 0486 55 21 09, le matin de préférence"),
])
def test_a_number_and_a_time_in_one_message_are_both_kept(library: Library, language: str, answer: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    chat.say(YES[language])
    chat.say(answer)
    opened = chat.say({"nl": "ja dat klopt", "en": "yes that's right", "fr": "oui c'est correct"}[language])
    assert [(t.callback_number, t.callback_window) for t in _tickets(opened)] == [("+32486552109", "morning")]


@pytest.mark.parametrize(("language", "text", "header"), [
    ("nl", "waar is er een computer? ik woon in Gentbrugge", "Dichtbij Gentbrugge"),
    ("en", "where is a free computer near Gentbrugge", "Near Gentbrugge"),
    ("fr", "où est un ordinateur gratuit à Gentbrugge", "Près de Gentbrugge"),
])
def test_a_name_of_neighbouring_wijken_is_answered_at_once(library: Library, language: str, text: str,
                                                           header: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["flow"] == "digipunt-results" and turn.replies[0].text.startswith(header)


@pytest.mark.parametrize(("language", "text", "later"), [
    ("nl", "is er nog een digipunt in de bibliotheek De Krook? moet ik reserveren?", "ik zou zaterdag gaan"),
    ("en", "Hi, is there still a digipunt in De Krook library? Do I need to book before I go?",
     "I would go on Saturday morning"),
    ("fr", "il y a encore un digipunt à la bibliothèque De Krook ? faut-il réserver ?", "j'irais samedi matin"),
])
def test_a_digipunt_at_a_landmark_asked_about_shows_its_detail_also_for_a_day(
        library: Library, language: str, text: str, later: str) -> None:
    chat = Chat(library, language=language)
    first = chat.say(text)
    assert first.state["history"][-1] == "place:de-krook"
    turn = chat.say(later)
    assert turn.state["history"][-1] == "place:de-krook" and turn.state["data"].get("at")


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "Ik wil liever geen berichtjes meer krijgen"),
    ("en", "I would rather not get messages anymore, stop texting me"),
    ("fr", "je ne veux plus de messages svp"),
])
def test_no_more_messages_in_plain_words_stops(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert [type(effect).__name__ for effect in turn.effects] == ["OptOut"]


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "Zalig kerstfeest"),
    ("en", "Merry Christmas"),
    ("fr", "Joyeux noel"),
])
def test_season_greetings_are_greetings(library: Library, language: str, text: str) -> None:
    assert Chat(library, language=language).say(text).intent == "greeting"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "mijn kleindochter vraagt of ik eens met beeld kan bellen. Hoe doe ik dat? Whatsapp heb ik al"),
    ("en", "my granddaughter asks if I can call with video. How do I do that? I have WhatsApp already"),
    ("fr", "ma petite-fille demande si je peux faire un appel vidéo. Comment je fais ? J'ai déjà WhatsApp"),
])
def test_a_bare_question_asks_what_was_said_before_it(library: Library, language: str, text: str) -> None:
    assert Chat(library, language=language).say(text).intent == "guide.videocall"


@pytest.mark.parametrize(("language", "start", "text"), [
    ("nl", "digipunt dampoort", "ok dan maandag. dziękuję"),
    ("en", "digipunt near dampoort", "ok then monday. dziękuję"),
    ("fr", "digipunt près de dampoort", "ok alors lundi. dziękuję"),
])
def test_one_foreign_word_in_a_known_language_brings_no_picker(library: Library, language: str, start: str,
                                                                text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    turn = chat.say(text)
    assert turn.state["flow"] == "digipunt-results" and turn.state["language"] == language


@pytest.mark.parametrize(("language", "start", "where"), [
    ("nl", "ik ben werkloos en moet online solliciteren, waar kan ik hulp krijgen", "ik woon in ledeberg"),
    ("en", "i am unemployed and must apply for jobs online, where can i get help", "i live in ledeberg"),
    ("fr", "je cherche du travail et je dois postuler en ligne, où trouver de l'aide", "j'habite à ledeberg"),
])
def test_a_location_where_the_step_offers_its_addresses_shows_them(library: Library, language: str, start: str,
                                                                   where: str) -> None:
    chat = Chat(library, language=language)
    first = chat.say(start)
    assert first.state["flow"] == "guide" and first.state["guide"]["guide_id"] == "job-help"
    turn = chat.say(where)
    assert turn.state["flow"] == "guide" and "Ledeberg" in turn.replies[0].text


@pytest.mark.parametrize(("language", "words"), [
    ("nl", "ahh ik moest op dat scherm blijven. werkt nu 🙌"),
    ("en", "We're talking now! Thank you ever so much"),
    ("fr", "on se parle maintenant, merci"),
])
def test_it_works_in_other_words_ends_a_guide_late(library: Library, language: str, words: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "hoe zet ik hotspot aan", "en": "how do i turn on hotspot", "fr": "partage de connexion"}[language])
    chat.say("1")  # iPhone
    chat.say("ok")
    turn = chat.say("ok")
    assert turn.state["flow"] == "guide"
    done = chat.say(words)
    assert done.state["flow"] != "guide"
    assert done.replies[0].text.startswith(library.texts.get(language, "guide_done_worked")[:12])


@pytest.mark.parametrize(("language", "text", "purpose"), [
    ("nl", "hey mijn laptop is kapot en ik moet een taak indienen, waar kan ik op een computer in drongen",
     "homework.help"),
    ("en", "hi I need a computer to apply for jobs, I live in Drongen", "job.help"),
    ("fr", "je cherche un ordinateur gratuit pres de la kongostraat, je dois envoyer mon cv", "job.help"),
])
def test_a_place_question_with_a_location_comes_first_and_the_purpose_after(
        library: Library, language: str, text: str, purpose: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["flow"] == "digipunt-results"
    assert turn.state["later"]["intent"] == purpose


@pytest.mark.parametrize(("language", "day"), [
    ("nl", "woensdagnamiddag?"),
    ("en", "wednesday afternoon?"),
    ("fr", "mercredi après-midi ?"),
])
def test_a_weekday_with_its_part_sets_the_moment(library: Library, language: str, day: str) -> None:
    chat = Chat(library, language=language)  # Thursday 26/11
    chat.say({"nl": "digipunt drongen", "en": "digipunt near drongen", "fr": "digipunt près de drongen"}[language])
    turn = chat.say(day)
    assert turn.state["data"]["at"].startswith("2026-12-02T14:00")


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "dag, ik ben Frans uit sint-kruis-winkel. De bank stuurde een brief en ik weet niet hoe de app moet. "
           "Kunnen jullie iemand laten bellen?"),
    ("en", "hello, my name is Frances, I am English and my bank app does not work. Can someone call me?"),
    ("fr", "bonjour, je suis Anglaise mais j'habite à Gand depuis longtemps. Quelqu'un peut m'appeler ?"),
])
def test_a_language_in_a_name_or_a_story_is_no_switch(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["language"] == language and turn.state["flow"] in ("handoff", "handoff-number")


@pytest.mark.parametrize(("language", "problem", "accept"), [
    ("nl", "ik zou graag teruggebeld worden ivm mijn printer", "ja op dit nummer, en liefst morgenvroeg"),
    ("en", "my printer does not work", "yes on this number, tomorrow morning please"),
    ("fr", "mon imprimante ne marche pas", "oui sur ce numéro, demain matin svp"),
])
def test_accepting_a_helper_with_number_and_time_opens_the_ticket(library: Library, language: str, problem: str,
                                                                   accept: str) -> None:
    chat = Chat(library, language=language)  # Thursday 26/11
    chat.say(problem)
    turn = chat.say(accept)
    assert [ticket.callback_window for ticket in _tickets(turn)] == ["day:2026-11-27:morning"]


@pytest.mark.parametrize(("language", "day", "part"), [
    ("nl", "volgende week maandag is goed", "na de middag"),
    ("en", "next week monday is fine", "in the afternoon"),
    ("fr", "lundi de la semaine prochaine", "l'après-midi"),
])
def test_a_part_said_after_a_day_ticket_keeps_the_day(library: Library, language: str, day: str,
                                                       part: str) -> None:
    chat = Chat(library, language=language)  # Thursday 26/11
    chat.say(CALL_ME[language])
    chat.say(YES[language])
    opened = chat.say(day)
    assert [ticket.callback_window for ticket in _tickets(opened)] == ["day:2026-11-30"]
    assert chat.state is not None
    chat.state["ticket"] = "T-5555"
    turn = chat.say(part)
    assert [(e.code, e.window) for e in turn.effects if isinstance(e, ChangeCallbackWindow)] == \
        [("T-5555", "day:2026-11-30:afternoon")]


@pytest.mark.parametrize(("language", "start", "having"), [
    ("nl", "hoe kan ik videobellen met mijn kleinkinderen", "ik heb whatsapp ja"),
    ("en", "how do I video call my grandchildren", "I have WhatsApp already"),
    ("fr", "comment faire un appel vidéo avec mes petits-enfants", "j'ai déjà whatsapp"),
])
def test_saying_what_one_has_inside_a_guide_is_no_new_request(library: Library, language: str, start: str,
                                                              having: str) -> None:
    chat = Chat(library, language=language)
    first = chat.say(start)
    assert first.state["flow"] == "guide"
    turn = chat.say(having)
    assert turn.state["flow"] == "guide" and turn.state["guide"]["guide_id"] == first.state["guide"]["guide_id"]


@pytest.mark.parametrize(("language", "sentence"), [
    ("nl", "ik heb het tandwiel gevonden en het staat open"),
    ("en", "I found the gear and it's on the screen now, done"),
    ("fr", "j'ai trouvé la roue, c'est fait"),
])
def test_a_step_done_in_a_sentence_goes_on(guide_library: Library, language: str, sentence: str) -> None:
    chat = _at_settings(guide_library, language)
    turn = chat.say(sentence)
    assert turn.state["guide"]["step_id"] == "network"


@pytest.mark.parametrize(("language", "ask", "window"), [
    ("nl", "kan iemand mij bellen? liefst maandag in de namiddag", "day:2026-11-30:afternoon"),
    ("en", "can someone call me? monday afternoon would be best", "day:2026-11-30:afternoon"),
    ("fr", "quelqu'un peut m'appeler ? lundi après-midi de préférence", "day:2026-11-30:afternoon"),
])
def test_a_time_in_the_request_is_kept_past_the_consent(library: Library, language: str, ask: str,
                                                        window: str) -> None:
    chat = Chat(library, language=language)  # Thursday 26/11
    asked = chat.say(ask)
    assert asked.state["data"]["asked"] == "consent"
    opened = chat.say(YES[language])
    assert [ticket.callback_window for ticket in _tickets(opened)] == [window]


@pytest.mark.parametrize(("language", "answer"), [("nl", "ja graag"), ("en", "yes please"), ("fr", "oui merci")])
def test_yes_to_when_suits_you_is_the_soonest(library: Library, language: str, answer: str) -> None:
    assert _callback_window(library, language, answer) == ["asap"]


@pytest.mark.parametrize(("language", "ask"), [
    ("nl", "ik wil dat iemand mij belt vandaag nog"),
    ("en", "Could someone call and walk us through it? Any time is fine"),
    ("fr", "quelqu'un peut m'appeler? n'importe quand"),
])
def test_the_soonest_said_with_the_request_is_not_asked_again(library: Library, language: str, ask: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(ask)
    assert chat.state is not None and chat.state["data"].get("asked") == "consent"
    assert [ticket.callback_window for ticket in _tickets(chat.say(YES[language]))] == ["asap"]


@pytest.mark.parametrize(("language", "for_her"), [
    ("nl", "hallo ik ben lotte en ik stuur voor mijn oma. ze wil dat iemand haar belt want ze snapt haar nieuwe gsm "
           "niet"),
    ("en", "hi, I'm writing for my grandma. she wants someone to call her because she doesn't get her new phone"),
    ("fr", "bonjour j'écris pour ma grand-mère, elle voudrait qu'on l'appelle car elle ne comprend pas son téléphone"),
])
def test_a_call_asked_for_someone_else_starts_the_handoff(library: Library, language: str, for_her: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(for_her)
    assert chat.state is not None and chat.state["flow"] == "handoff"


@pytest.mark.parametrize(("language", "answer"), [
    ("nl", "ik wil dat er iemand mij belt"), ("en", "yes please call me"), ("fr", "oui appelez-moi")])
def test_call_me_to_the_consent_question_is_consent(library: Library, language: str, answer: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(CALL_ME[language])
    chat.say(answer)
    assert chat.state is not None and chat.state["data"].get("consent") is True


@pytest.mark.parametrize(("language", "answer", "window"), [
    ("nl", "liefst s morgens, niet te vroeg", "morning"),
    ("en", "in the afternoon please, not before 2", "afternoon"),
])
def test_a_time_with_a_not_to_the_consent_question_is_consent_with_that_time(library: Library, language: str,
                                                                            answer: str, window: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(CALL_ME[language])
    assert [ticket.callback_window for ticket in _tickets(chat.say(answer))] == [window]


@pytest.mark.parametrize(("language", "ask"), [
    ("en", "hi i need to talk with somebody about my itsme app, it says my id card is not valid"),
    ("nl", "ik wil met iemand praten over mijn itsme app"),
    ("fr", "je veux parler avec quelqu'un de mon application itsme"),
])
def test_wanting_to_talk_with_someone_starts_the_handoff(library: Library, language: str, ask: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(ask)
    assert chat.state is not None and chat.state["flow"] == "handoff"


@pytest.mark.parametrize(("language", "ask"), [
    ("nl", "kan iemand mij helpen met mijn laptop, hij is zo traag en er komen overal reclames op"),
    ("en", "can someone help me with my laptop? it is so slow"),
    ("fr", "mon ordinateur est très lent, quelqu'un peut m'aider ?"),
])
def test_a_slow_laptop_and_a_call_for_help_is_a_helper_not_a_donation(library: Library, language: str,
                                                                       ask: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(ask)
    assert chat.state is not None and chat.state["flow"] == "handoff"
