"""What held-out set 28 (written blind) showed: a country is no language, a call ringing is a step done, and a
listed Digipunt named by its number keeps its number when the message also names a day or a place to come from."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.content.library import Library
from tests.engine.understanding import Chat, joined

SATURDAY = 5


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
    chat = Chat(library, language=language)
    chat.say(listing)
    shown = (chat.state or {})["data"]["shown"]
    turn = chat.say(question)
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
