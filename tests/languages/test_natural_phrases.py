"""Natural first messages in tr, ar, bg and uk that a resident typed while the journeys were played (each once
misunderstood): the answer is in their language and goes where they asked."""

from __future__ import annotations

from bot.content.library import Library
from tests.engine.understanding import Chat, joined


def test_turkish_share_from_my_phone_asks_which_phone(library: Library) -> None:
    turn = Chat(library).say("telefonumdan internet paylasmak istiyorum")
    assert "Telefonunuz hangisi?" in joined(turn)  # not the branch for a phone without apps
    assert turn.state["language"] == "tr"


def test_standard_arabic_computer_asks_where(library: Library) -> None:
    turn = Chat(library).say("أين يوجد حاسوب مجاني؟")
    assert turn.flow == "digipunt" and turn.state["language"] == "ar"
    assert library.texts.get("ar", "dp_ask_location").split(".")[0] in joined(turn)


def test_the_word_computer_is_no_place_in_cyrillic(library: Library) -> None:
    for text, language in (("де є безкоштовний комп'ютер", "uk"), ("къде има компютер", "bg")):
        turn = Chat(library).say(text)
        assert turn.state["language"] == language
        assert "Kouter" not in joined(turn), joined(turn)  # 'kompyuter' is not a typo of the Kouter
        assert library.texts.get(language, "dp_ask_location").split(".")[0] in joined(turn)


def test_egyptian_yes_answers_did_it_work(library: Library) -> None:
    chat = Chat(library, language="ar")
    for text in ("hotspot iphone", "ok", "ok", "ok", "ok"):  # the fifth step asks whether it worked
        chat.say(text)
    assert library.texts.get("ar", "guide_done_worked").split("{")[0].strip() in chat.text("ايوا")


def test_a_named_phone_skips_the_question_that_ends_with_an_arabic_question_mark(library: Library) -> None:
    turn = Chat(library, language="ar").say("hotspot iphone")  # "ما هو هاتفك؟" ends with U+061F
    assert "1 من 5" in joined(turn)
