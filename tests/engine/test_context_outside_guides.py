"""Words read in context outside the guide steps (blind sets 1-3), in nl, en and fr: deletion in plain words, a
language named to describe a problem, a relative's number for the callback, 'that Digipunt in <street>', a
denial among the options, and a remark after a list."""

from __future__ import annotations

import pytest

from bot.content.library import Library
from tests.engine.understanding import Chat, joined, options


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik wil dat jullie alles van mij wissen, ook mijn nummer"),
    ("en", "please could you erase everything about me"),
    ("fr", "je veux que vous effaciez toutes mes infos"),
])
def test_deletion_in_plain_words_goes_to_the_one_confirmation(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    asked = chat.say(text)
    assert asked.state["flow"] == "forget" and len(options(asked)) == 2
    done = chat.say({"nl": "ja zeker", "en": "yes sure", "fr": "oui bien sûr"}[language])
    assert [type(effect).__name__ for effect in done.effects] == ["ForgetContact"]


@pytest.mark.parametrize(("language", "text", "other"), [
    ("nl", "mijn gsm doet raar, alles staat in het engels, kan iemand mij bellen", "en"),
    ("en", "my phone is all in french now, can someone call me", "fr"),
    ("fr", "mon téléphone est en anglais, quelqu'un peut m'appeler ?", "en"),
])
def test_a_language_named_to_describe_is_no_switch(library: Library, language: str, text: str, other: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["language"] == language
    assert turn.state["flow"] in ("handoff", "handoff-number")


@pytest.mark.parametrize(("language", "text", "switched"), [
    ("nl", "kan je in het engels schrijven aub", "en"),
    ("en", "can you write in dutch please", "nl"),
    ("fr", "vous pouvez écrire en anglais svp", "en"),
])
def test_a_language_asked_for_still_switches(library: Library, language: str, text: str, switched: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["language"] == switched


@pytest.mark.parametrize(("language", "start", "answer"), [
    ("nl", "kan iemand mij bellen", "nee bel liever mijn zoon"),
    ("en", "can someone call me", "no, call my daughter instead"),
    ("fr", "je voudrais parler à quelqu'un", "non appelez plutot le numero de mon mari"),
])
def test_a_relatives_number_is_another_number(library: Library, language: str, start: str, answer: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    turn = chat.say(answer)
    assert turn.state["flow"] in ("handoff", "handoff-number") and turn.state["data"].get("asked") == "number"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "waar is dat digipunt in de kongostraat en wanneer is dat open"),
    ("en", "where is the digipunt in kongostraat"),
    ("fr", "ou est le digipunt de la kongostraat"),
])
def test_the_one_digipunt_on_a_named_street_is_shown_in_full(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["history"][-1] == "place:in-gent-kongostraat"
    assert "Kongostraat 42" in joined(turn)


def test_a_street_alone_still_gets_the_list(library: Library) -> None:
    turn = Chat(library, language="nl").say("ik woon in de kongostraat")
    assert len(turn.state["data"]["shown"]) >= 2


@pytest.mark.parametrize(("language", "start", "answer", "picked"), [
    ("nl", "hoe kom ik op telenet wi-free", "nee ik ben geen klant en ik heb geen code", 4),
    ("en", "how do i use telenet wi-free", "no im not a telenet customer myself", 4),
    ("fr", "comment utiliser telenet wi-free", "non je ne suis pas client et pas de code", 4),
])
def test_a_denial_picks_among_the_denying_options(
        library: Library, language: str, start: str, answer: str, picked: int) -> None:
    chat = Chat(library, language=language)
    first = chat.say(start)
    labels = options(first)
    assert len(labels) >= picked
    turn = chat.say(answer)
    assert turn.state["flow"] == "guide"
    assert library.texts.get(language, "reask_choice") not in joined(turn)
    chosen = chat.state["guide"]["path"][-2] if chat.state and chat.state.get("guide") else None
    assert chosen is not None


@pytest.mark.parametrize(("language", "start", "answer"), [
    ("nl", "hoe kom ik op telenet wi-free", "ja ben klant"),
    ("en", "how do i use telenet wi-free", "yes i am a customer"),
    ("fr", "comment utiliser telenet wi-free", "oui je suis client chez telenet"),
])
def test_the_option_sharing_most_words_is_picked(library: Library, language: str, start: str, answer: str) -> None:
    chat = Chat(library, language=language)
    chat.say(start)
    turn = chat.say(answer)
    assert library.texts.get(language, "reask_choice") not in joined(turn)
    assert turn.state["flow"] == "guide"


@pytest.mark.parametrize(("language", "place", "remark"), [
    ("nl", "dampoort", "een computer om mijn mails te lezen"),
    ("en", "dampoort", "a computer to read my emails"),
    ("fr", "dampoort", "un ordinateur pour lire mes mails"),
])
def test_a_remark_about_a_computer_after_a_list_shows_the_list(
        library: Library, language: str, place: str, remark: str) -> None:
    chat = Chat(library, language=language)
    chat.say(place)
    assert chat.state is not None and chat.state["flow"] == "digipunt-results"
    turn = chat.say(remark)
    assert turn.state["flow"] == "digipunt-results" and turn.state["data"]["shown"]
    assert library.texts.get(language, "fallback_offer_helper") not in joined(turn)


@pytest.mark.parametrize(("language", "text", "wanted"), [
    ("nl", "in het frans aub, mijn nederlands is slecht", "fr"),
    ("en", "french please, my english is bad", "fr"),
    ("fr", "euh en francais svp, je parle mal le neerlandais", "fr"),
])
def test_the_language_read_badly_is_not_the_one_asked_for(
        library: Library, language: str, text: str, wanted: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["language"] == wanted


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "hoe laat is de kringwinkel aan de vlaamsekaai open vandaag"),
    ("en", "what time does the kringwinkel on the vlaamsekaai open today"),
    ("fr", "a quelle heure ouvre la kringwinkel vlaamsekaai aujourd'hui"),
])
def test_a_named_digipunt_is_shown_in_full_with_no_second_request(
        library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["history"][-1] == "place:kringwinkel-vlaamsekaai"
    assert len(turn.replies) == 1


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "ik ben in ledeberg, meierij"),
    ("en", "i am in ledeberg, meierij street"),
    ("fr", "je suis a Ledeberg, rue Meierij"),
])
def test_a_wijk_and_a_street_together_are_a_place(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["flow"] == "digipunt-results" and turn.state["data"]["shown"]


@pytest.mark.parametrize(("language", "text", "wanted"), [
    ("nl", "Engels aub, die nederlandse menus zijn verwarrend", "en"),
    ("en", "English please, the Dutch menus confuse me", "en"),
    ("fr", "en anglais svp, le francais des menus est difficile", "en"),
])
def test_of_two_languages_named_the_one_asked_for_wins(
        library: Library, language: str, text: str, wanted: str) -> None:
    chat = Chat(library, language=language)
    turn = chat.say(text)
    assert turn.state["language"] == wanted


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "hoe laat gaat die eerste open dan"),
    ("en", "when does the first one open"),
    ("fr", "le premier ouvre a quelle heure"),
])
def test_an_ordinal_after_a_list_shows_that_digipunt(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    listed = chat.say("dampoort")
    first = listed.state["data"]["shown"][0]
    turn = chat.say(text)
    assert turn.state["history"][-1] == f"place:{first}"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "is er een digipunt in de kongostraat?"),
    ("en", "is there a digipunt in kongostraat?"),
    ("fr", "Il y a un Digipunt dans la Kongostraat ?"),
])
def test_a_digipunt_asked_on_a_street_with_one_is_that_one(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["history"][-1] == "place:in-gent-kongostraat"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "kan er iemand mijn moeder bellen, ze krijgt haar tablet ni op internet. haar nummer is 0472 55 18 90"),
    ("en", "can someone call my mum about her tablet, her number is 0472 55 18 90"),
    ("fr", "quelqu'un peut appeler ma mère pour sa tablette ? son numéro est le 0472 55 18 90"),
])
def test_a_number_in_the_request_is_the_one_confirmed(library: Library, language: str, text: str) -> None:
    turn = Chat(library, language=language).say(text)
    assert turn.state["data"].get("number") == "+32472551890" and turn.state["data"].get("asked") == "confirm"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "is er daar iemand om te helpen?"),
    ("en", "is there someone there who can help me with an online form?"),
    ("fr", "est-ce que quelqu'un peut m'aider la-bas ?"),
])
def test_a_helper_question_about_the_place_shown_is_no_callback(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "is er een digipunt in de kongostraat?", "en": "is there a digipunt in kongostraat?",
              "fr": "Il y a un Digipunt dans la Kongostraat ?"}[language])
    turn = chat.say(text)
    assert turn.state["flow"] == "digipunt-results"
    assert turn.state["history"][-1] == "place:in-gent-kongostraat"


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "is er daar iemand om te helpen?"),
    ("en", "is there someone there who can help me?"),
    ("fr", "il y a quelqu'un pour m'aider ?"),
])
def test_a_helper_question_after_a_list_lists_places_with_a_helper(
        library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say("dampoort")
    turn = chat.say(text)
    assert turn.state["flow"] == "digipunt-results" and turn.state["data"]["helper_only"] is True


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "moet ik reserveren?"),
    ("en", "do i need to book?"),
    ("fr", "il faut prendre rendez-vous ?"),
])
def test_a_booking_question_about_a_shown_place_gets_its_detail(library: Library, language: str, text: str) -> None:
    chat = Chat(library, language=language)
    chat.say({"nl": "is er een digipunt in de kongostraat?", "en": "is there a digipunt in kongostraat?",
              "fr": "Il y a un Digipunt dans la Kongostraat ?"}[language])
    turn = chat.say(text)
    assert turn.state["flow"] == "digipunt-results"
    assert turn.state["history"][-1] == "place:in-gent-kongostraat"
