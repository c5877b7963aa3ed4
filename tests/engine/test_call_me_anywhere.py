"""'Call me' wherever it stands (blind set 3): inside a guide step next to a complaint ('het lukt ni ... kan er
iemand mij gwn bellen': not option 'Nee'), in English after a long sentence, and a number typed with a 'non'
in front when digibuur asks which number to call."""

from __future__ import annotations

from bot.content.library import Library
from tests.engine.understanding import Chat, joined, options


def test_call_me_at_a_choice_inside_a_guide_is_the_helper_with_the_step(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("hoe kan ik buiten op proximus wifi")
    chat.say("ok")
    step = (chat.state or {})["guide"]["step_id"]
    answer = chat.say("het lukt ni, hij vraagt iets van fon en ik snap er niks van. kan er iemand mij gwn bellen")
    assert "helper" in joined(answer) and options(answer)[:2] == ["Ja", "Ander nummer"]
    assert (chat.state or {})["data"]["context"] == {"guide": "proximus-wifi", "step": step}  # for the ticket


def test_talk_to_a_real_person_inside_an_instruction_step(library: Library) -> None:
    chat = Chat(library, language="en")
    chat.say("how do i share my phone internet with my tablet")
    chat.say("iphone 11")
    answer = chat.say("there is no personal hotspot in my settings, only mobile data. honestly can I just talk to "
                      "a real person")
    assert "helper" in joined(answer) and "Send OK" not in joined(answer)
    assert (chat.state or {})["data"]["context"]["guide"] == "hotspot"


def test_the_first_message_asking_for_a_call_keeps_its_language(library: Library) -> None:
    chat = Chat(library)
    answer = joined(chat.say("j'ai besoin d'aide pour mon ordinateur, quelqu'un peut m'appeler?"))
    assert "assistant" in answer and (chat.state or {})["language"] == "fr"


def test_a_number_after_non_is_the_number_to_call(library: Library) -> None:
    chat = Chat(library, channel="telegram", language="fr")  # on Telegram the number is asked for
    asked = joined(chat.say("Quelqu'un peut appeler mon père pour l'aider?"))
    assert "numéro" in asked
    answer = joined(chat.say("non, sur son numero a lui svp : 0471 55 20 19"))
    assert "+32 471 55 20 19" in answer and "personne ne vous appellera" not in answer


def test_calling_someone_else_in_a_guide_is_no_request_for_a_helper(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("hoe bel ik met video via whatsapp")
    answer = joined(chat.say("ik bel mijn zoon in canada"))
    assert "Mag een helper je bellen" not in answer
