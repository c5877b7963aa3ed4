"""Held-out 22 and 23 (typing on the move, follow-ups and second thoughts), their classes in other words, in nl, en
and fr: an option named by its synonym, a computer described at a step, a day at the callback question that is
for the call, 'after 12 I work', a weekday with 'any time', 'maandag morgen', today denied beside a weekday, thanks
to 'when suits you?', an hour backing a part of the day, 'weghalen' after the privacy notice, a lone 'computer',
and seeing one's contacts at the end of a guide."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.content.library import Library
from bot.effects import ChangeCallbackWindow, OpenTicket, OptOut
from bot.engine import Turn
from places.moments import parse_moment
from tests.engine.understanding import BRUSSELS, THURSDAY, Chat, joined

SATURDAY = datetime(2026, 11, 28, 10, 0, tzinfo=BRUSSELS)  # Tuesday is 2026-12-01, Wednesday 2026-12-02
CALL_ME = {"nl": "kan iemand mij bellen", "en": "can someone call me", "fr": "vous pouvez m'appeler"}
YES = {"nl": "ja", "en": "yes", "fr": "oui"}
NOTED = {"nl": "Oké, dank je.", "en": "OK, thank you.", "fr": "D'accord, merci."}
FORGET_CONFIRM = {"nl": "Wil je dat we je nummer en al je berichten wissen?",
                  "en": "Do you want us to delete your number and all your messages?",
                  "fr": "Voulez-vous que nous effacions votre numéro et tous vos messages ?"}
NAV_HINT = {"nl": "voor de volgende stap", "en": "for the next step", "fr": "pour l'étape suivante"}


def _last_turn(library: Library, language: str, *said: str) -> Turn:
    """The turn that answers the last of the messages, each said in turn in one conversation."""
    chat = Chat(library, language=language)
    turns = [chat.say(text) for text in said]
    return turns[-1]


def _tickets(turn: object) -> list[OpenTicket]:
    return [effect for effect in getattr(turn, "effects", []) if isinstance(effect, OpenTicket)]


@pytest.mark.parametrize(("language", "opener", "answer"), [
    ("nl", "ik heb geen internet thuis", "met mijn gsm, voor de computer van mijn kleinzoon"),
    ("en", "no internet at home", "with my phone, for my grandson's laptop"),
    ("fr", "pas d'internet à la maison", "avec mon téléphone, pour le portable de mon petit-fils"),
])
def test_an_option_named_by_its_synonym_in_a_sentence_is_picked(library: Library, language: str, opener: str,
                                                                answer: str) -> None:
    chat = Chat(library, language=language)
    assert chat.say(opener).state["guide"]["guide_id"] == "internet-access"
    turn = chat.say(answer)
    assert turn.state["guide"]["guide_id"] == "hotspot"


@pytest.mark.parametrize(("language", "opener", "device"), [
    ("nl", "ik wil whatsapp installeren", "het is een laptop met windows"),
    ("en", "i want to install whatsapp", "it's an old dell laptop"),
    ("fr", "je veux installer whatsapp", "c'est un ordinateur portable avec windows"),
])
def test_a_computer_described_at_a_step_is_noted_not_a_place(library: Library, language: str, opener: str,
                                                            device: str) -> None:
    chat = Chat(library, language=language)
    step = chat.say(opener).state["guide"]
    turn = chat.say(device)
    assert joined(turn).startswith(NOTED[language])
    assert NAV_HINT[language] not in joined(turn)
    assert turn.state["guide"] == step


@pytest.mark.parametrize(("language", "answer"), [
    ("nl", "morgen kan niet, dan moet ik naar het UZ. woensdag misschien?"),
    ("en", "not tomorrow, I'm at the hospital then. wednesday?"),
    ("fr", "pas demain, je suis à l'hôpital. mercredi ?"),
])
def test_a_day_beside_a_landmark_at_the_consent_question_is_for_the_call(library: Library, language: str,
                                                                        answer: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(CALL_ME[language])
    turn = chat.say(answer)
    assert turn.state["flow"] != "digipunt-results"
    windows = [ticket.callback_window for ticket in _tickets(turn)]
    assert windows == ["day:2026-12-02"] or turn.state["data"].get("window") == "day:2026-12-02"


def _window(library: Library, language: str, answer: str, opener: str | None = None) -> list[str]:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(opener or CALL_ME[language])
    chat.say(YES[language])
    return [ticket.callback_window for ticket in _tickets(chat.say(answer))]


@pytest.mark.parametrize(("language", "busy", "reason"), [
    ("nl", "na 13u ben ik aan het werk", "na 15u want s morgens werk ik"),
    ("en", "after 1pm I'm at work", "after 3pm because I work mornings"),
    ("fr", "après 13h je travaille", "après 15h parce que le matin je travaille"),
])
def test_an_hour_after_which_one_works_names_the_morning(library: Library, language: str, busy: str,
                                                        reason: str) -> None:
    assert _window(library, language, busy) == ["morning"]
    assert _window(library, language, reason) == ["afternoon"]


@pytest.mark.parametrize(("language", "answer"), [
    ("nl", "volgende dinsdag, om het even wanneer"),
    ("en", "next Tuesday, any time"),
    ("fr", "mardi prochain, n'importe quand"),
])
def test_a_weekday_with_any_time_is_that_day(library: Library, language: str, answer: str) -> None:
    assert _window(library, language, answer) == ["day:2026-12-01"]


@pytest.mark.parametrize(("language", "thanks"), [("nl", "dank u wel"), ("en", "thank you"), ("fr", "merci beaucoup")])
def test_thanks_to_when_suits_you_keeps_the_call(library: Library, language: str, thanks: str) -> None:
    assert _window(library, language, thanks) == ["asap"]


@pytest.mark.parametrize(("language", "asking"), [
    ("nl", "kan iemand mij bellen, liefst s middags na 14u"),
    ("en", "can someone call me, in the afternoon after 2pm"),
    ("fr", "vous pouvez m'appeler, l'après-midi après 14h"),
])
def test_a_part_of_the_day_backed_by_an_hour_in_the_request_is_kept(library: Library, language: str,
                                                                   asking: str) -> None:
    chat = Chat(library, now=SATURDAY, language=language)
    chat.say(asking)
    turn = chat.say(YES[language])
    assert [ticket.callback_window for ticket in _tickets(turn)] == ["afternoon"]


@pytest.mark.parametrize(("text", "day", "hour"), [
    ("dinsdag morgen", 1, 9),
    ("vrijdagmorgen graag", 4, 9),
    ("tuesday morning", 1, 9),
    ("mardi matin", 1, 9),
    ("morgen", 6, 0),  # alone it is tomorrow (Sunday)
])
def test_morgen_after_a_weekday_is_its_morning(text: str, day: int, hour: int) -> None:
    moment = parse_moment(text, SATURDAY)
    assert moment is not None and (moment.weekday(), moment.hour) == (day, hour)


@pytest.mark.parametrize(("text", "day"), [
    ("vandaag niks? en donderdag?", 3),
    ("not today then, what about thursday?", 3),
    ("rien aujourd'hui ? et jeudi ?", 3),
    ("vandaag, zaterdag", 5),  # today named with its own weekday: today
    ("today? it's saturday", 5),
])
def test_today_denied_beside_a_weekday_means_that_weekday(text: str, day: int) -> None:
    moment = parse_moment(text, SATURDAY)
    assert moment is not None and moment.weekday() == day


@pytest.mark.parametrize(("language", "question", "take_away"), [
    ("nl", "wie leest wat ik hier schrijf?", "kunnen jullie dat allemaal weghalen?"),
    ("en", "who reads what I write here?", "can you get rid of all that?"),
    ("fr", "qui lit ce que j'écris ici ?", "vous pouvez retirer tout ça ?"),
    ("nl", "wie leest wat ik hier schrijf?", "kunt ge dat allemaal uitvegen, mijn adres en alles"),
    ("en", "who reads what I write here?", "please wipe my address and everything"),
    ("fr", "qui lit ce que j'écris ici ?", "vous pouvez effacer mon adresse et tout le reste ?"),
])
def test_taking_it_away_after_the_privacy_notice_asks_to_confirm(library: Library, language: str, question: str,
                                                                 take_away: str) -> None:
    turn = _last_turn(library, language, question, take_away)
    assert turn.state["flow"] == "forget" and FORGET_CONFIRM[language] in joined(turn)


@pytest.mark.parametrize(("language", "word"), [("nl", "computer"), ("en", "a computer"), ("fr", "ordinateur")])
def test_a_lone_computer_asks_for_a_computer_nearby(library: Library, language: str, word: str) -> None:
    turn = Chat(library, language=language).say(word)
    assert turn.intent == "digipunt.find"


@pytest.mark.parametrize(("language", "opener", "done"), [
    ("nl", "ik wil whatsapp installeren", "het is gelukt, ik zie mijn contacten. dank je wel!"),
    ("en", "i want to install whatsapp", "done, i can see my contacts. thanks a lot!"),
    ("fr", "je veux installer whatsapp", "c'est bon, je vois mes contacts. merci beaucoup !"),
])
def test_seeing_ones_contacts_with_thanks_ends_the_guide(library: Library, language: str, opener: str,
                                                        done: str) -> None:
    turn = _last_turn(library, language, opener, done)
    assert turn.state.get("guide") is None or turn.state["flow"] != "guide"


@pytest.mark.parametrize(("language", "opener", "goal"), [
    ("nl", "ik wil internet delen met mijn laptop", "de tablet doet het al"),
    ("en", "share internet from my phone to my laptop", "oh the laptop is online already"),
    ("fr", "partager internet avec mon portable", "la tablette marche déjà"),
])
def test_the_goal_named_at_the_first_step_ends_the_guide(library: Library, language: str, opener: str,
                                                         goal: str) -> None:
    chat = Chat(library, language=language)
    chat.say(opener)
    chat.say("samsung")
    assert chat.state is not None and chat.state["flow"] == "guide"
    turn = chat.say(goal)
    assert turn.state["flow"] == "" and turn.state.get("guide") is None


@pytest.mark.parametrize(("language", "story"), [
    ("nl", "ik heb de app gedownload en het werkt nu 😀"),
    ("en", "i downloaded the app and it works now 😀"),
    ("fr", "j'ai téléchargé l'appli et ça marche 😀"),
])
def test_a_story_ending_on_it_works_with_an_emoji_ends_the_guide(library: Library, language: str,
                                                                story: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "ik wil whatsapp installeren", "en": "i want to install whatsapp",
              "fr": "je veux installer whatsapp"}[language])
    turn = chat.say(story)
    assert turn.state["flow"] == "" and turn.state.get("guide") is None


@pytest.mark.parametrize("text", ["prettige feestdagen. maar ik wil geen smskes meer van jullie",
                                  "fijne kerst, maar ik wil geen smsjes meer van jullie ontvangen"])
def test_no_more_text_messages_in_diminutives_unsubscribes(library: Library, text: str) -> None:
    turn = Chat(library, language="nl").say(text)
    assert turn.state["opted_out"] is True


@pytest.mark.parametrize(("language", "question", "follow_up", "header"), [
    ("nl", "waar is een computer in Ledeberg", "en zaterdag in de namiddag?", "Dichtbij Ledeberg, zaterdag"),
    ("en", "where is a computer in Ledeberg", "and on saturday afternoon?", "Near Ledeberg, Saturday"),
    ("fr", "où est un ordinateur à Ledeberg", "et samedi après-midi ?", "Près de Ledeberg, samedi"),
])
def test_a_day_and_afternoon_after_a_list_lists_again_for_then(library: Library, language: str, question: str,
                                                                follow_up: str, header: str) -> None:
    chat = Chat(library, now=datetime(2026, 11, 26, 10, 30, tzinfo=BRUSSELS), language=language)
    chat.say(question)
    turn = chat.say(follow_up)
    assert turn.state["flow"] == "digipunt-results" and joined(turn).startswith(header)


MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)


@pytest.mark.parametrize("text", ["vandaag niet, maandag is goed", "not today, Monday is fine",
                                  "pas aujourd'hui, lundi ça va"])
def test_today_denied_on_that_weekday_means_next_week(text: str) -> None:
    moment = parse_moment(text, MONDAY)
    assert moment is not None and moment.date().isoformat() == "2026-12-07"


@pytest.mark.parametrize(("language", "correction"), [
    ("nl", "nee ik bedoel mrg nm"),
    ("en", "no I mean tomorrow afternoon"),
    ("fr", "non je veux dire demain après-midi"),
])
def test_a_correction_after_the_ticket_changes_its_window(library: Library, language: str, correction: str) -> None:
    chat = Chat(library, now=THURSDAY, language=language)
    chat.say(CALL_ME[language])
    chat.say(YES[language])
    assert _tickets(chat.say({"nl": "voormiddag", "en": "morning", "fr": "le matin"}[language]))
    assert chat.state is not None
    chat.state["ticket"] = "T-1234"  # the service sets it once the ticket is stored
    turn = chat.say(correction)
    changes = [effect for effect in turn.effects if isinstance(effect, ChangeCallbackWindow)]
    assert [change.window for change in changes] == ["day:2026-11-27:afternoon"]


@pytest.mark.parametrize(("language", "text", "guide_id"), [
    ("nl", "ik zit in het ziekenhuis en mijn data is op. ik heb telenet thuis, kan ik hier op wifi", "wifree"),
    ("en", "my data is gone. I have Proximus at home, can I get on their wifi here at the station?",
     "proximus-wifi"),
    ("fr", "plus de data. j'ai telenet à la maison, je peux aller sur leur wifi ici à la gare ?", "wifree"),
])
def test_a_provider_named_with_a_place_starts_its_wifi_guide(library: Library, language: str, text: str,
                                                             guide_id: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["flow"] == "guide" and turn.state["guide"]["guide_id"] == guide_id



@pytest.mark.parametrize(("language", "story"), [
    ("nl", "Dag, ik ben Rosa. Ik moet een premie aanvragen en dat kan enkel online. Waar kan ik dat samen met "
           "iemand doen? Ik woon vlak bij de Vrijdagmarkt"),
    ("en", "Hello, I'm Rose. I have to apply for a grant and it is only online. Where can I do that together with "
           "someone? I live right by the Vrijdagmarkt"),
    ("fr", "Bonjour, c'est Rose. Je dois demander une prime et c'est seulement en ligne. Où est-ce que je peux faire "
           "ça avec quelqu'un ? J'habite tout près du Vrijdagmarkt"),
])
def test_a_where_question_with_a_location_and_nothing_else_lists_places(library: Library, language: str,
                                                                        story: str) -> None:
    turn = Chat(library, language=language).say(story)
    assert turn.state["flow"] == "digipunt-results" and "Vrijdagmarkt" in joined(turn)


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "is er een begeleider in De Krook die mij kan helpen met mijn tablet? wanneer?"),
    ("en", "is there a helper at De Krook who can help with my tablet? when?"),
    ("fr", "y a-t-il un accompagnateur à De Krook qui peut m'aider avec ma tablette ? quand ?"),
])
def test_a_helper_asked_at_a_named_digipunt_shows_its_detail(library: Library, language: str, question: str) -> None:
    turn = Chat(library, language=language).say(question)
    assert turn.state["flow"] == "digipunt-results" and "De Krook" in joined(turn) and "Miriam" in joined(turn)


@pytest.mark.parametrize(("language", "opener"), [
    ("nl", "mijn familie zit op whatsapp. hoe zet ik dat erop?"),
    ("en", "my family is on whatsapp. how do I put it on my phone?"),
    ("fr", "ma famille est sur whatsapp. comment le mettre sur mon téléphone ?"),
])
def test_asking_how_to_put_whatsapp_on_starts_at_installing(library: Library, language: str, opener: str) -> None:
    turn = Chat(library, language=language).say(opener)
    assert turn.state["flow"] == "guide" and turn.state["guide"]["step_id"] == "store"


@pytest.mark.parametrize(("language", "opener", "stuck", "family"), [
    ("nl", "ik wil whatsapp installeren", "het lukt niet", "ah wacht, ik zie de familie al staan!"),
    ("en", "i want to install whatsapp", "it doesn't work", "oh wait, i can see my family now!"),
    ("fr", "je veux installer whatsapp", "ça ne marche pas", "ah attendez, je vois ma famille !"),
])
def test_seeing_the_family_when_a_helper_is_offered_needs_no_call(library: Library, language: str, opener: str,
                                                                 stuck: str, family: str) -> None:
    turn = _last_turn(library, language, opener, stuck, family)
    assert turn.state["flow"] not in ("handoff", "handoff-number", "offer")
    assert not _tickets(turn)


@pytest.mark.parametrize(("start_in", "asking", "language", "explained"), [
    ("fr", "ma carte ne marche plus dans l'appli. kan iemand mij bellen in het Nederlands?", "nl", "Zo werkt het"),
    ("nl", "mijn bankkaart werkt niet in de app. can someone call me in English?", "en", "How it works"),
    ("nl", "ma carte ne marche plus dans l'application. quelqu'un peut m'appeler en français ?", "fr",
     "Comment cela marche"),
])
def test_a_call_asked_in_another_language_starts_the_handoff_in_it(library: Library, start_in: str, asking: str,
                                                                   language: str, explained: str) -> None:
    turn = Chat(library, language=start_in).say(asking)
    assert turn.state["flow"] in ("handoff", "handoff-number") and turn.state["language"] == language
    assert joined(turn).startswith(explained)


@pytest.mark.parametrize(("language", "opener", "stop"), [
    ("nl", "ik heb een laptop nodig", "ik wil geen berichten meer ontvangen, dank u"),
    ("en", "i need a laptop", "I do not want to receive messages anymore, thanks"),
    ("fr", "j'ai besoin d'un ordinateur portable", "je ne veux plus recevoir de messages merci"),
])
def test_no_more_messages_in_words_at_a_guide_choice_unsubscribes(library: Library, language: str, opener: str,
                                                                 stop: str) -> None:
    chat = Chat(library, language=language)
    chat.say(opener)
    assert chat.state is not None and chat.state["flow"] == "guide"
    assert chat.say(stop).state["opted_out"] is True


@pytest.mark.parametrize(("language", "opener", "stuck", "done"), [
    ("nl", "hoe kom ik op telenet wifree", "het lukt niet", "ok gedaan"),
    ("en", "how do i get on telenet wifree", "it doesn't work", "ok done that"),
    ("fr", "je veux installer whatsapp", "ça ne marche pas", "ah c'est bon, j'ai trouvé"),
])
def test_done_when_a_helper_is_offered_goes_on_in_one_message(library: Library, language: str, opener: str,
                                                              stuck: str, done: str) -> None:
    turn = _last_turn(library, language, opener, stuck, done)
    assert turn.state["flow"] == "guide" and len(turn.replies) == 1


@pytest.mark.parametrize(("language", "question", "about"), [
    ("nl", "wie stuurt mij hier al die berichten", "Dit is digibuur van Stad Gent"),
    ("en", "who is sending me all these messages", "This is digibuur from Stad Gent"),
    ("fr", "qui m'envoie tous ces messages", "Ici digibuur de Stad Gent"),
])
def test_who_sends_these_messages_is_told_who_writes(library: Library, language: str, question: str,
                                                     about: str) -> None:
    assert joined(Chat(library, language=language).say(question)).startswith(about)


def test_running_the_laptop_off_the_phone_is_the_hotspot(library: Library) -> None:
    turn = Chat(library, language="en").say("our broadband is down. can I run the laptop off my iPhone?")
    assert turn.intent == "guide.hotspot"


@pytest.mark.parametrize(("language", "said"), [
    ("en", "what about monday?"),
    ("en", "nothing today then? what about monday? I live in Ledeberg, need a computer"),
    ("nl", "en wat met maandag?"),
    ("nl", "vandaag niks meer dan? wat met maandag? ik woon in ledeberg, heb een computer nodig"),
    ("fr", "et pour lundi, c'est quoi?"),
    ("fr", "rien aujourd'hui alors? et lundi? j'habite a Ledeberg, besoin d'un ordinateur"),
])
def test_another_day_asked_for_is_not_a_privacy_question(library: Library, language: str, said: str) -> None:
    """'what about monday?' read like 'what about me?': a day named and no deletion asked is about that day."""
    assert _privacy_notice(library, language) not in joined(_last_turn(library, language, said))


@pytest.mark.parametrize(("language", "about_me", "delete"), [
    ("en", "what about me?", "delete my data on monday"),
    ("nl", "wat houden jullie bij over mij?", "verwijder maandag al mijn gegevens"),
    ("fr", "qu'est-ce que vous gardez sur moi?", "supprimez mes données lundi"),
])
def test_privacy_asked_with_or_without_a_day_is_still_privacy(library: Library, language: str, about_me: str,
                                                             delete: str) -> None:
    assert _privacy_notice(library, language) in joined(_last_turn(library, language, about_me))
    assert FORGET_CONFIRM[language] in joined(_last_turn(library, language, delete))


def _privacy_notice(library: Library, language: str) -> str:
    """The privacy notice's words before its first value ('... after {days} days')."""
    return library.texts.sentences[language]["privacy_notice"].split("{")[0]


@pytest.mark.parametrize(("language", "said"), [
    ("nl", "goeienavond, in de kringwinkel aan de vlaamse kaai, is daar dinsdagvoormiddag iemand om te helpen?"),
    ("en", "is there someone to help at the kringwinkel on the vlaamse kaai on tuesday morning?"),
    ("fr", "au kringwinkel de la vlaamse kaai, il y a quelqu'un pour aider mardi matin ?"),
])
def test_a_street_named_like_a_language_is_a_street(library: Library, language: str, said: str) -> None:
    """'vlaamse kaai' is the Vlaamsekaai written loose, not a wish for Flemish: the place is answered."""
    chat = Chat(library, language=language)
    turn = chat.say(said)
    assert turn.state["language"] == language
    assert "Vlaamsekaai" in joined(turn)


@pytest.mark.parametrize(("start", "asked", "language"), [
    ("en", "in het vlaams aub", "nl"),
    ("nl", "in english please", "en"),
])
def test_a_language_asked_for_still_switches(library: Library, start: str, asked: str, language: str) -> None:
    assert Chat(library, language=start).say(asked).state["language"] == language


@pytest.mark.parametrize(("language", "said"), [
    ("en", "hi, can you stop sending me stuff pls. sorted my wifi ages ago"),
    ("nl", "kunt u stoppen met berichten sturen aub, mijn wifi werkt al lang"),
    ("fr", "pouvez-vous arreter de m envoyer des trucs svp, mon wifi marche depuis longtemps"),
])
def test_stop_asked_politely_with_a_story_unsubscribes(library: Library, language: str, said: str) -> None:
    turn = _last_turn(library, language, said)
    assert any(isinstance(effect, OptOut) for effect in turn.effects)


@pytest.mark.parametrize(("language", "opener", "yes", "works"), [
    ("nl", "ik wil videobellen met mijn kleinzoon", "ja",
     "het werkt, ik zie de foto van mijn kleinzoon op video. dank je"),
    ("en", "i want to video call my grandson", "yes", "it works, i see my grandson on video now. thanks"),
    ("fr", "je voudrais faire un appel video avec mon petit fils", "oui",
     "ca marche, je vois la photo de mon petit fils. merci"),
])
def test_it_works_after_the_guide_closed_is_thanks_not_the_guide_again(library: Library, language: str, opener: str,
                                                                        yes: str, works: str) -> None:
    """Its words read as the video calling request, but it tells that the guide just closed worked."""
    chat = Chat(library, language=language)
    for said in (opener, "ok", "ok", yes):
        chat.say(said)
    assert chat.state["flow"] == "" and chat.state["guide"] is None
    turn = chat.say(works)
    assert turn.state["guide"] is None and turn.state["flow"] != "guide"
    assert library.texts.get(language, "thanks_reply") in joined(turn)
