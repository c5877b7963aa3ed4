"""Residents who correct a place, ask for deletion in their own words, say a step is done before it is shown, name
a Digipunt with a hyphen, ask two things at once or say which language they read better: each understood in nl, en
and fr (held-out 13's classes, in other words than that set's)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.content.library import Library
from bot.effects import ChangeCallbackWindow, OpenTicket
from bot.messages import GeoPoint
from places.geo import distance_m
from places.moments import parse_moment
from tests.engine.understanding import Chat, joined

BRUSSELS = ZoneInfo("Europe/Brussels")
CALL_ME = {"nl": "kan er iemand mij bellen", "en": "can someone call me", "fr": "quelqu'un peut m'appeler"}


@pytest.mark.parametrize(("language", "first", "correction", "meant"), [
    ("nl", "waar is een digipunt in ledeberg", "nee niet ledeberg, gentbrugge bedoel ik", "Gentbrugge"),
    ("nl", "computer in wondelgem?", "sorry, mariakerke bedoel ik. niet wondelgem", "Mariakerke"),
    ("en", "where is a digipunt in mariakerke", "sorry I meant Wondelgem, not Mariakerke", "Wondelgem"),
    ("fr", "un digipunt à ledeberg svp", "pardon, pas Ledeberg. Gentbrugge", "Gentbrugge"),
    ("nl", "gratis computer mariakerke", "sorry wondelgm niet mariakerke", "Wondelgem"),
    ("en", "computer in mariakerke please", "wondelgem not mariakerke sorry", "Wondelgem"),
    ("fr", "un ordinateur à mariakerke", "wondelgem pas mariakerke", "Wondelgem"),
])
def test_a_corrected_place_is_the_one_meant(library: Library, language: str, first: str, correction: str,
                                            meant: str) -> None:
    chat = Chat(library, language=language)
    chat.say(first)
    chat.say(correction)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert meant in str(chat.state["data"]["label"])


def test_a_denied_place_alone_is_still_read(library: Library) -> None:
    """'niet in ledeberg' with no other place: nothing is corrected, the text is read as it stands."""
    chat = Chat(library, language="nl")
    chat.say("waar is een digipunt in ledeberg")
    chat.say("ik woon niet in ledeberg")
    assert chat.state is not None and "Ledeberg" in str(chat.state["data"]["label"])


@pytest.mark.parametrize(("text", "hour"), [
    ("zaterdag na 3", 15), ("friday after 4", 16), ("mardi après 2", 14), ("vanaf 10", 10),
    ("na 2 dagen", None), ("after 3 tries", None), ("après 2 semaines", None),
])
def test_an_hour_after_a_time_word(text: str, hour: int | None) -> None:
    now = datetime(2027, 1, 27, 20, 0, tzinfo=BRUSSELS)
    moment = parse_moment(text, now)
    got = moment.hour if moment is not None and (moment.hour or moment.minute) else None
    assert got == hour


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik wil graag dat mijn nummer en mijn adres verwijderd worden"),
    ("en", "please have my phone number and my address deleted"),
    ("fr", "je voudrais que mon numero soit supprimé"),
])
def test_deletion_in_own_words_asks_the_one_confirmation(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "forget"
    assert library.texts.get(language, "forget_confirm") in joined(turn)


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik heb mijn nummer verwijderd uit mijn oude gsm"),
    ("en", "I deleted everything on the old phone"),
])
def test_wiping_a_device_is_no_deletion_request(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is None or chat.state.get("flow") != "forget"


@pytest.mark.parametrize(("language", "opening", "done"), [
    ("nl", "skype werkt niet meer, hoe moet ik nu videobellen?", "ik heb teams al geïnstalleerd"),
    ("en", "skype stopped working, how do I video call now?", "I installed teams already"),
    ("fr", "skype ne fonctionne plus, comment faire un appel vidéo?", "j'ai déjà installé teams"),
])
def test_an_option_whose_first_step_is_said_done_goes_past_it(library: Library, language: str, opening: str,
                                                               done: str) -> None:
    chat = Chat(library, language=language)
    chat.say(opening)
    assert chat.state is not None and chat.state["guide"]["guide_id"] == "teams"
    chat.say(done)
    guide = chat.state["guide"]
    assert guide["guide_id"] == "teams" and len(guide["path"]) >= 3  # the choice, install, and the step after it


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "is IN-Gent open op vrijdag?"),
    ("en", "when does IN-Gent open?"),
    ("fr", "IN-Gent ouvre à quelle heure?"),
])
def test_in_gent_with_its_hyphen_is_that_digipunt(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None
    assert chat.state["history"][-1] == "place:in-gent-kongostraat"


def test_a_guide_asked_beside_a_question_about_a_named_place_comes_next(library: Library) -> None:
    chat = Chat(library, channel="whatsapp", language="en")
    turn = chat.say("how do I get on the free proximus wifi? and does the library have wifi too?")
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert (chat.state["later"] or {}).get("intent") == "guide.proximus_wifi"
    assert library.texts.get("en", "also_asked", label="Proximus Public Wi-Fi").split(":")[0] in joined(turn)
    chat.say("an iphone")  # the phone, for the guide kept for later
    assert chat.state["guide"]["guide_id"] == "proximus-wifi"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "hoe kan ik mijn kleindochter zien op de gsm met whatsapp"),
    ("en", "how can I see my grandson on the phone with whatsapp"),
])
def test_seeing_someone_named_with_the_app_is_video_calling(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["guide"]["guide_id"] == "videocall"
    assert not chat.state.get("later")


def test_i_speak_french_better_switches_mid_guide(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("hoe kan ik videobellen met whatsapp")
    step = chat.state["guide"]["step_id"] if chat.state else None
    turn = chat.say("excusez-moi, je parle mieux français. c'est possible en français?")
    assert chat.state is not None and chat.state["language"] == "fr"
    assert chat.state["guide"]["step_id"] == step
    assert library.texts.get("fr", "language_set") in joined(turn)


@pytest.mark.parametrize(("language", "confused"), [
    ("nl", "wat"), ("nl", "hoe bedoel je?"), ("nl", "?"), ("en", "what do you mean"), ("en", "??"),
    ("fr", "je comprends pas"), ("fr", "quoi ?"),
])
def test_confusion_at_a_numbered_question_is_explained_then_a_helper(library: Library, language: str,
                                                                     confused: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    offered = [option["label"] for option in chat.state["options"]] if chat.state else []
    turn = chat.say(confused)
    assert joined(turn).startswith(library.texts.get(language, "explain_choice"))
    assert [option["label"] for option in chat.state["options"]] == offered
    again = chat.say(confused)
    assert library.texts.get(language, "fallback_offer_helper") in joined(again)


def test_a_description_with_i_do_not_know_is_no_confusion(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("hoe deel ik internet van mijn gsm")
    turn = chat.say("ik weet het niet, een witte samsung")
    assert library.texts.get("nl", "explain_choice") not in joined(turn)


@pytest.mark.parametrize(("language", "numbers"), [("nl", "1 en 2"), ("en", "1 and 3"), ("fr", "2 et 3")])
def test_two_numbers_after_a_list_give_both_details(library: Library, language: str, numbers: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "digipunt in ledeberg", "en": "digipunt in ledeberg", "fr": "digipunt à ledeberg"}[language])
    assert chat.state is not None
    shown = chat.state["data"]["shown"]
    turn = chat.say(numbers)
    wanted = [shown[int(word) - 1] for word in numbers.split() if word.isdigit()]
    assert [reply.place.name for reply in turn.replies if reply.place] == \
        [library.places.get(place_id).name for place_id in wanted]  # type: ignore[union-attr]


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "bellen is beter"), ("en", "a call is better"), ("fr", "appeler c'est mieux"),
])
def test_calling_in_words_is_the_yes_to_the_callback_consent(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    turn = chat.say(text)
    assert joined(turn).startswith(library.texts.get(language, "ho_window_prompt"))


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "is dit geen oplichterij?"), ("en", "is this a scam?"), ("fr", "c'est une arnaque ?"),
])
def test_a_scam_worry_gets_who_we_are(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(text)
    assert joined(turn) == library.texts.get(language, "about_me")


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "hallo, ben je een robot?"), ("en", "am I talking to a robot?"), ("fr", "bonjour, vous êtes un robot ?"),
])
def test_asked_if_a_person_answers_an_automatic_helper_and_offers_a_call(library: Library, language: str,
                                                                         text: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(text)
    assert joined(turn) == library.texts.get(language, "about_bot", city=library.texts.deployment.city)
    assert chat.state is not None and chat.state["flow"] == "offer"
    chat.say({"nl": "ja", "en": "yes", "fr": "oui"}[language])
    assert chat.state["flow"] == "handoff"


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "wanneer kunnen jullie?"), ("en", "when can you call?"), ("fr", "vous appelez quand ?"),
])
def test_when_asked_back_at_the_window_question(library: Library, language: str, question: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    chat.say({"nl": "ja", "en": "yes", "fr": "oui"}[language])
    turn = chat.say(question)
    assert joined(turn) == library.texts.get(language, "ho_window_when")
    assert chat.state is not None and chat.state["data"].get("asked") == "window"
    assert len(chat.state["options"]) == 4


@pytest.mark.parametrize(("language", "text", "window"), [
    ("fr", "après 14h, le matin je travaille", "afternoon"),
    ("nl", "na 15u, s morgens ben ik weg", "afternoon"),
    ("en", "before 11, in the afternoon I sleep", "morning"),
    ("nl", "liefst in de voormiddag, na 14u kan ook", "morning"),
])
def test_an_hour_outweighs_a_part_of_day_said_unavailable(library: Library, language: str, text: str,
                                                          window: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    chat.say({"nl": "ja", "en": "yes", "fr": "oui"}[language])
    turn = chat.say(text)
    assert [effect.callback_window for effect in turn.effects if isinstance(effect, OpenTicket)] == [window]


def test_a_helper_question_after_thanks_is_about_the_place_shown(library: Library) -> None:
    chat = Chat(library, language="en")
    chat.say("is there a digipunt in rabot")
    chat.say("1")
    chat.say("ok thank you")
    turn = chat.say("and is there somebody to help me there?")
    assert chat.state is not None and chat.state["history"][-1].startswith("place:")
    assert library.texts.get("en", "fallback_first") not in joined(turn)


@pytest.mark.parametrize(("language", "trouble"), [
    ("nl", "de inlogpagina komt niet"), ("en", "the login page does not come"),
    ("fr", "la page de connexion ne vient pas"),
])
def test_trouble_in_a_wifi_guide_stays_in_that_guide(library: Library, language: str, trouble: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "ik ben klant bij proximus, kan ik hier gratis op hun wifi?",
              "en": "I am a proximus customer, can I use their free wifi here?",
              "fr": "je suis client proximus, je peux utiliser leur wifi gratuit ici ?"}[language])
    assert chat.state is not None and chat.state["guide"]["guide_id"] == "proximus-wifi"
    chat.say(trouble)
    assert chat.state["guide"]["guide_id"] == "proximus-wifi" and chat.state["flow"] == "guide"


@pytest.mark.parametrize(("text", "month", "day"), [
    ("is het open op paasmaandag?", 3, 29), ("open on easter monday?", 3, 29), ("ouvert le lundi de pâques ?", 3, 29),
    ("met kerstavond", 12, 24), ("on christmas eve", 12, 24), ("le jour de noël", 12, 25),
    ("op pinkstermaandag", 5, 17),
])
def test_a_public_holiday_named_is_that_day(text: str, month: int, day: int) -> None:
    moment = parse_moment(text, datetime(2027, 3, 20, 10, 0, tzinfo=BRUSSELS))
    assert moment is not None and (moment.month, moment.day) == (month, day)


def test_a_detail_asked_for_another_day_names_that_day(library: Library) -> None:
    chat = Chat(library, language="nl")
    turn = chat.say("is de serre open op paasmaandag?")
    text = joined(turn)
    assert "Maandag 29/3: gesloten" in text  # Easter Monday 2027, a public holiday
    assert "opent morgen" not in text  # 'opens ...' is said from today, not from that day


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "mijn dochter zegt mama bel mij eens met video. hoe moet ik videobellen?"),
    ("en", "my granddaughter says grandma call me with video. how do I do that?"),
])
def test_call_me_quoted_inside_a_video_question_is_video_calling(library: Library, language: str,
                                                                 text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and (chat.state.get("guide") or {}).get("guide_id") == "videocall"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik wil niet dat jullie mijn gegevens bijhouden. kan dat weg?"),
    ("en", "I don't want you to keep my data. can you delete it?"),
    ("fr", "je ne veux pas que vous gardiez mes données. vous pouvez les effacer ?"),
])
def test_can_that_go_asks_the_deletion(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "forget"


HOTSPOT = {"nl": "hoe deel ik internet van mijn gsm", "en": "how do I share internet from my phone",
           "fr": "comment partager internet de mon téléphone"}
SAMSUNG = {"nl": "samsung", "en": "samsung", "fr": "samsung"}


def _step_number(chat: Chat, turn: object) -> str:
    return joined(turn).split(":")[0]  # type: ignore[arg-type]


@pytest.mark.parametrize(("language", "again"), [
    ("nl", "nog eens aub, ik zie slecht"), ("en", "again please, the letters are small"), ("fr", "encore une fois svp"),
])
def test_asked_again_the_last_message_comes_again(library: Library, language: str, again: str) -> None:
    chat = Chat(library, language=language)
    first = chat.say("digipunt à ledeberg" if language == "fr" else "digipunt in ledeberg")
    turn = chat.say(again)
    assert [reply.text for reply in turn.replies] == [reply.text for reply in first.replies]


def test_thanks_again_is_no_repeat(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("digipunt in ledeberg")
    turn = chat.say("nog eens bedankt")
    assert "Dichtbij" not in joined(turn)


@pytest.mark.parametrize(("language", "jump", "step"), [
    ("nl", "nog eens stap 3 aub", 3), ("en", "show me step 3", 3), ("fr", "l'étape 3 svp", 3),
    ("nl", "stap 1 en 2 gedaan, wat nu", 3), ("en", "done step 1 and 2, what next", 3),
])
def test_a_step_named_by_its_number(library: Library, language: str, jump: str, step: int) -> None:
    chat = Chat(library, language=language)
    chat.say(HOTSPOT[language])
    chat.say(SAMSUNG[language])
    turn = chat.say(jump)
    word = {"nl": "Stap", "en": "Step", "fr": "Étape"}[language]
    assert joined(turn).startswith(f"{word} {step} ")


@pytest.mark.parametrize(("language", "back"), [("nl", "vorige stap"), ("en", "previous step"),
                                                ("fr", "étape précédente")])
def test_previous_step_goes_back(library: Library, language: str, back: str) -> None:
    chat = Chat(library, language=language)
    chat.say(HOTSPOT[language])
    chat.say(SAMSUNG[language])
    chat.say("ok")
    turn = chat.say(back)
    word = {"nl": "Stap", "en": "Step", "fr": "Étape"}[language]
    assert joined(turn).startswith(f"{word} 1 ")


def test_a_question_without_its_mark_about_a_step_ahead_shows_that_step(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say(HOTSPOT["nl"])
    chat.say("samsung")
    chat.say("ok")
    chat.say("ok")  # step 3 of 6; the password is two steps further
    turn = chat.say("waar is het wachtwoord")
    assert "wachtwoord" in joined(turn).lower() and not joined(turn).startswith("Stap 1 ")


@pytest.mark.parametrize(("language", "text"), [
    ("en", "skype stopped. how can I call my sister in Ghana with video?"),
    ("nl", "skype werkt niet meer. hoe kan ik mijn broer bellen met beeld?"),
])
def test_calling_someone_by_video_picks_no_helper_option(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "guide"


def test_a_digipunt_named_with_a_booking_question_gets_its_detail(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("ik kom zaterdag naar de stad. is er in de krook een digipunt en moet ik op voorhand reserveren")
    assert chat.state is not None and chat.state["history"][-1] == "place:de-krook"


@pytest.mark.parametrize(("language", "text", "weekday"), [
    ("nl", "ik heb zaterdagvoormiddag een pc nodig, ergens in de buurt van de dampoort?", 5),
    ("en", "I need a computer on friday morning, somewhere near the dampoort?", 4),
])
def test_a_day_in_one_clause_and_a_place_in_another(library: Library, language: str, text: str,
                                                    weekday: int) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    assert datetime.fromisoformat(chat.state["data"]["at"]).weekday() == weekday


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "nee ik kan dat niet lezen zo klein. bel mij maar"), ("en", "no I can't read that. just call me please"),
])
def test_call_me_after_a_no_at_the_consent_is_a_yes(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    turn = chat.say(text)
    assert joined(turn).startswith(library.texts.get(language, "ho_window_prompt"))


@pytest.mark.parametrize(("language", "text", "window"), [
    ("nl", "na de school, om 4u ben ik thuis", "afternoon"), ("en", "at 3 I am home", "afternoon"),
    ("fr", "vers 10h c'est bien", "morning"),
])
def test_a_time_at_the_window_question(library: Library, language: str, text: str, window: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    chat.say({"nl": "ja", "en": "yes", "fr": "oui"}[language])
    turn = chat.say(text)
    assert [effect.callback_window for effect in turn.effects if isinstance(effect, OpenTicket)] == [window]


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "vandaag niet, ik werk tot 10u s avonds"), ("en", "not today, I work until late"),
    ("fr", "pas aujourd'hui, je travaille"),
])
def test_not_today_at_the_consent_asks_the_day(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(CALL_ME[language])
    turn = chat.say(text)
    assert chat.state is not None
    windows = [effect.callback_window for effect in turn.effects if isinstance(effect, OpenTicket)]
    # the first working day after today when the words name it ('vandaag niet' on a Thursday: Friday), else asked
    assert (windows and windows[0].startswith("day:")) or chat.state["data"].get("asked") == "day"


def test_the_soonest_asked_in_the_request_is_kept_where_the_number_is_asked(library: Library) -> None:
    chat = Chat(library, channel="telegram", language="nl")
    chat.say("kan iemand zo snel mogelijk bellen, mijn moeder geraakt niet op haar burgerprofiel")
    assert chat.state is not None and chat.state["data"].get("window") == "asap"


@pytest.mark.parametrize(("language", "text", "guide_id"), [
    ("nl", "hoe kan ik videobellen met mijn zus in het buitenland, zij heeft een tablet", "videocall"),
    ("en", "how do I share internet with my son's laptop, he has a laptop from school", "hotspot"),
])
def test_who_has_which_device_asks_for_no_device(library: Library, language: str, text: str, guide_id: str) -> None:
    chat = Chat(library, language=language)
    chat.say(text)
    assert chat.state is not None and (chat.state.get("guide") or {}).get("guide_id") == guide_id


@pytest.mark.parametrize(("language", "text"), [
    ("en", "It worked, I can see his name. Thank you, I will ring him on Sunday."),
    ("fr", "la tablette est connectée, merci beaucoup"),
    ("nl", "het is gelukt, ik zie haar. dank u wel, ik bel morgen opnieuw"),
])
def test_the_goal_told_with_thanks_ends_the_guide_at_any_step(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say(HOTSPOT[language])
    chat.say("iphone")
    turn = chat.say(text)
    assert joined(turn).startswith(library.texts.get(language, "guide_done_worked"))


def test_teams_without_skype_named_says_nothing_of_skype(library: Library) -> None:
    chat = Chat(library, language="en")
    turn = chat.say("my accountant sent a teams link, how do I join on my phone")
    assert "Skype" not in joined(turn)


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "Ik zou liefst in de voormiddag gebeld worden want in de namiddag moet ik werken."),
    ("fr", "Je préfère être appelée le matin parce que l'après-midi je travaille."),
])
def test_a_window_told_in_a_long_sentence_where_the_number_is_asked(library: Library, language: str,
                                                                    text: str) -> None:
    chat = Chat(library, channel="telegram", language=language)
    chat.say(CALL_ME[language])
    chat.say(text)
    assert chat.state is not None and chat.state["data"].get("window") == "morning"


@pytest.mark.parametrize(("language", "question"), [
    ("nl", "welke is het dichtst"), ("en", "which is closest"), ("fr", "lequel est le plus proche ?"),
])
def test_which_is_closest_after_a_list_gives_the_nearest_in_detail(library: Library, language: str,
                                                                   question: str) -> None:
    chat = Chat(library, language=language)
    chat.say("digipunt à ledeberg" if language == "fr" else "digipunt in ledeberg")
    assert chat.state is not None
    point = chat.state["data"]["point"]
    here = GeoPoint(point[0], point[1])
    shown = [library.places.get(place_id) for place_id in chat.state["data"]["shown"]]
    nearest = min((distance_m(here, library.places.anchor(place).point), place.id)  # type: ignore[union-attr]
                  for place in shown if place is not None)[1]
    chat.say(question)
    assert chat.state["history"][-1] == f"place:{nearest}"


def test_an_hour_after_the_ticket_changes_its_window(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say(CALL_ME["nl"])
    chat.say("ja")
    chat.say("zo snel mogelijk")
    assert chat.state is not None
    chat.state["ticket"] = "T-1234"  # the service sets it once the ticket is stored
    turn = chat.say("na 11u want ik slaap")
    assert [effect.window for effect in turn.effects if isinstance(effect, ChangeCallbackWindow)] == ["morning"]


def test_a_wijk_named_where_a_guide_offers_its_addresses(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("ik zoek werk en moet bij de vdab alles online doen, waar kan ik daarvoor terecht")
    assert chat.state is not None and chat.state["flow"] == "guide"
    turn = chat.say("ik woon in gentbrugge")
    assert library.texts.get("nl", "reask_choice") not in joined(turn)
