"""What held-out set 28 (written blind) showed: a country is no language, a call ringing is a step done, and a
listed Digipunt named by its number keeps its number when the message also names a day or a place to come from."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.content.library import Library
from bot.effects import OpenTicket
from bot.engine import Turn
from tests.engine.understanding import Chat, joined

SATURDAY = 5


def after_a_list(library: Library, language: str, listing: str, question: str) -> tuple[list[str], Turn]:
    """The Digipunten a listing showed, and the turn of the question asked after it."""
    chat = Chat(library, language=language)
    chat.say(listing)
    shown = (chat.state or {})["data"]["shown"]
    return shown, chat.say(question)


@pytest.mark.parametrize(("language", "text"), [
    ("en", "hello. for christmas i want see my mother in bulgaria on video. i have tablet samsung. how?"),
    ("fr", "je veux appeler ma famille en turquie en video pour noel"),
    ("nl", "ik wil mijn zus in oekraïne zien met videobellen"),
])
def test_a_country_in_a_request_keeps_the_language(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(text)
    assert turn.state["language"] == language
    assert turn.state["flow"] == "guide" and turn.state["guide"]["guide_id"] == "videocall"


def test_a_language_named_alone_still_switches(library: Library) -> None:
    chat = Chat(library, language="en")
    chat.say("bulgarian")
    assert (chat.state or {})["language"] == "bg"


@pytest.mark.parametrize(("language", "opener", "ringing"), [
    ("en", "i want to video call my mother with whatsapp", "i press camera, it calls"),
    ("fr", "je veux faire un appel video avec whatsapp", "j'appuie sur la camera, ça appelle"),
])
def test_a_call_that_rings_is_the_step_done(library: Library, language: str, opener: str, ringing: str) -> None:
    chat = Chat(library, language=language)
    chat.say(opener)
    chat.say("ok")  # the chat is open
    before = (chat.state or {})["guide"]["step_id"]
    turn = chat.say(ringing)
    assert turn.state["flow"] == "guide" and turn.state["guide"]["step_id"] != before
    assert turn.state["misses"] == 0


@pytest.mark.parametrize(("language", "listing", "question", "listed"), [
    ("fr", "il y a un digipunt dans le bloemekenswijk?", "le 1 c ouvert samedi?", 0),
    ("fr", "il y a un digipunt dans le bloemekenswijk?", "et la 2, c'est ouvert samedi ?", 1),
    ("en", "I'm at Gent-Sint-Pieters station. Where can I use a computer?",
     "how do I get to the second one from the station? tram?", 1),
    ("nl", "waar is er een computer in de buurt van de dampoort", "is de eerste open op zaterdag?", 0),
])
def test_a_listed_place_named_by_its_number_with_a_day_or_a_start(library: Library, language: str, listing: str,
                                                                   question: str, listed: int) -> None:
    shown, turn = after_a_list(library, language, listing, question)
    assert turn.state["history"][-1] == f"place:{shown[listed]}"
    assert len(turn.replies) == 1 and library.places.get(shown[listed]).name in joined(turn)
    if any(day in question for day in ("samedi", "zaterdag")):  # the detail is for that day
        assert datetime.fromisoformat(turn.state["data"]["at"]).weekday() == SATURDAY


@pytest.mark.parametrize(("language", "text"), [
    ("en", "my mother is in turkey and she speaks turkish, how do we video call"),
    ("fr", "ma mère est en turquie et elle parle turc, comment faire un appel vidéo"),
    ("nl", "mijn moeder woont in turkije en ze spreekt turks, hoe kunnen we videobellen"),
])
def test_a_language_described_beside_a_request_is_no_language_question(library: Library, language: str,
                                                                        text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["language"] == language
    assert turn.state["flow"] == "guide" and turn.state["guide"]["guide_id"] == "videocall"


# held-out 29 (January), scored once after the tuning above, then tuned on three of its failures


@pytest.mark.parametrize(("language", "listing", "question", "listed"), [
    ("en", "Hello, where can I use a computer near Sint-Pietersplein?",
     "2 please. How do I get there from Sint-Pietersplein, by bus or tram?", 1),
    ("nl", "waar is er een computer in de buurt van de dampoort", "1, hoe geraak ik daar vanaf het station?", 0),
])
def test_a_message_opening_with_a_listed_number_picks_that_place(library: Library, language: str, listing: str,
                                                                 question: str, listed: int) -> None:
    shown, turn = after_a_list(library, language, listing, question)
    assert turn.state["history"][-1] == f"place:{shown[listed]}"


def test_an_hour_opening_the_message_is_no_listed_number(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("waar is er een computer in de buurt van de dampoort")
    turn = chat.say("2 uur morgen, kan dat?")
    assert not turn.state["history"][-1].startswith("place:")  # the list again, for tomorrow at two


@pytest.mark.parametrize(("when", "window"), [
    ("vandaag na 15u", "afternoon"),  # today, after three: the hour says when
    ("zo rap mogelijk aub ik rij vanaf 10u", "asap"),  # the soonest, said in words, stays the soonest
])
def test_today_at_an_hour_is_that_part_of_the_day(library: Library, when: str, window: str) -> None:
    chat = Chat(library, language="nl")
    chat.say("het lukt niet, ik snap het niet. kunnen jullie mij bellen?")
    turn = chat.say(when)
    opened = [effect for effect in turn.effects if isinstance(effect, OpenTicket)]
    assert [effect.callback_window for effect in opened] == [window]


@pytest.mark.parametrize(("text", "guides"), [
    ("Bonjour, l'école de mon fils a envoyé un lien Teams pour l'oudercontact demain à 17h, comment je fais sur "
     "mon téléphone ?", {"videocall", "teams"}),
    ("Bonjour, nous n'avons plus internet à la maison c'est trop cher. Les enfants en ont besoin pour l'école. Il "
     "existe quelque chose de pas cher ?", {"internet-access"}),
])
def test_french_a_is_no_joining_word(library: Library, text: str, guides: set[str]) -> None:
    """French 'a' (has) reads as Cyrillic 'а' (and) once transliterated; it does not cut the request in two (the
    first half alone, 'l'école de mon fils', read as a device for school)."""
    turn = Chat(library, language="fr").say(text)
    assert turn.state["flow"] == "guide" and turn.state["guide"]["guide_id"] in guides


@pytest.mark.parametrize(("language", "asked", "home"), [
    ("nl", "kan iemand mij bellen?", "k ben heel de dag thuis"),
    ("en", "can someone call me?", "I'm home all day"),
    ("fr", "quelqu'un peut m'appeler ?", "je suis à la maison toute la journée"),
])
def test_home_all_day_answers_when_to_call(library: Library, language: str, asked: str, home: str) -> None:
    """At 'may a helper call you on this number?', 'I'm home all day' says yes, at any time: the ticket is made."""
    chat = Chat(library, language=language)
    chat.say(asked)
    turn = chat.say(home)
    assert [effect.callback_window for effect in turn.effects if isinstance(effect, OpenTicket)] == ["asap"]


@pytest.mark.parametrize(("language", "asked", "confirmed"), [
    ("uk", "Hello. You speak Ukrainian?", "Так, українською, будь ласка"),
    ("fr", "Hello, do you speak French?", "oui, en français, merci"),
])
def test_a_language_confirmed_in_a_clause_of_its_own_is_kept(library: Library, language: str, asked: str,
                                                              confirmed: str) -> None:
    """'Так, українською, будь ласка' after the switch: the language, confirmed, not the language picker."""
    chat = Chat(library, language="nl")
    chat.say(asked)
    turn = chat.say(confirmed)
    assert turn.state["language"] == language and turn.state["flow"] != "language"
