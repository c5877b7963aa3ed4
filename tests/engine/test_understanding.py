"""Understanding residents in context (issue 13), class by class, in Dutch, English and French, through the pure
engine: natural yes/no, trouble inside a guide, free text at a choice, a place and a question in one message,
clauses and two requests, privacy in plain words, the shortest path, a language switch mid-flow, progress."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.library import Library
from bot.effects import ForgetContact, OpenTicket, OptOut
from tests.engine.understanding import Chat, joined, library_with_test_guide, options, segments

LANGUAGES = ("nl", "en", "fr")


@pytest.fixture(scope="module")
def guide_library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    return library_with_test_guide(tmp_path_factory.mktemp("content"))


def _texts(library: Library, language: str, key: str) -> str:
    return library.texts.get(language, key).split("{", 1)[0].strip()


# ---- 1. yes and no in natural words, at every yes/no question ----

@pytest.mark.parametrize(("language", "yes", "no"), [
    ("nl", "ja graag", "nee dank je"), ("en", "yes please", "no thanks"), ("fr", "oui volontiers", "non merci")])
def test_yes_and_no_at_the_helper_offer(library: Library, language: str, yes: str, no: str) -> None:
    for answer, expected in ((yes, "ho_consent"), (no, "menu_prompt")):
        chat = Chat(library, language=language)
        chat.say("xqzzy vlorp")
        offer = chat.say("blorp xqzzy")
        assert _texts(library, language, "fallback_offer_helper") in joined(offer)
        reply = joined(chat.say(answer))
        assert library.texts.get(language, expected) in reply, reply
        assert library.texts.get(language, "thanks_reply") not in reply  # "nee dank je" is no, not thanks


@pytest.mark.parametrize(("language", "worked", "failed"), [
    ("nl", "ja het werkt 👍", "nog steeds niet"), ("en", "it worked", "still not working"),
    ("fr", "ça marche merci", "toujours pas")])
def test_did_it_work_in_natural_words(guide_library: Library, language: str, worked: str, failed: str) -> None:
    for answer, key in ((worked, "guide_done_worked"), (failed, "guide_failed_offer")):
        chat = Chat(guide_library, language=language)
        for text in ("hotspot iphone", "ok", "ok"):
            chat.say(text)
        assert _texts(guide_library, language, key) in chat.text(answer)


def test_an_emoji_alone_answers_a_yes_no_question(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("vergeet mij")
    turn = chat.say("👍")
    assert any(isinstance(effect, ForgetContact) for effect in turn.effects)


# ---- 2. trouble at a guide step stays in the guide ----

@pytest.mark.parametrize(("language", "said", "simpler"), [
    ("nl", "het lukt niet", "Zoek het grijze tandwiel"), ("en", "it doesn't work", "Look for the grey gear"),
    ("fr", "ça ne marche pas", "Cherchez la roue grise")])
def test_trouble_gives_simpler_words_a_helper_or_later(guide_library: Library, language: str, said: str,
                                                       simpler: str) -> None:
    chat = Chat(guide_library, language=language)
    chat.say("hotspot iphone")
    turn = chat.say(said)
    assert simpler in joined(turn)
    assert options(turn) == [guide_library.texts.get(language, key) for key in
                             ("option_found", "option_call_me", "option_later")]
    assert guide_library.texts.get(language, "menu_prompt") not in joined(turn)
    assert turn.state["flow"] == "guide" and turn.state["guide"]["step_id"] == "settings"
    assert max(segments(turn)) <= 2
    chat.say("2")  # a helper: the ticket carries the guide and the step
    chat.say("1")
    opened = [e for e in chat.say("1").effects if isinstance(e, OpenTicket)]
    assert opened and opened[0].context == {"guide": "hotspot", "step": "settings"}


@pytest.mark.parametrize("said", ["ik zie dat niet", "waar staat dat?", "moet ik eerst iets anders doen?"])
def test_a_question_or_problem_at_a_step_is_trouble_not_another_guide(guide_library: Library, said: str) -> None:
    chat = Chat(guide_library, language="nl")
    chat.say("hotspot iphone")
    turn = chat.say(said)
    assert "Zoek het grijze tandwiel" in joined(turn)
    assert turn.state["guide"]["guide_id"] == "hotspot"


def test_trouble_without_a_trouble_text_repeats_the_step_and_still_not_calls_a_helper(
        guide_library: Library) -> None:
    chat = Chat(guide_library, language="nl")
    for text in ("hotspot iphone", "ok", "2"):  # 'Niet te zien' leads to the step without a trouble text
        chat.say(text)
    first = chat.say("het lukt niet")
    assert 'Tik op "Meer".' in joined(first)
    again = chat.say("nog steeds niet")
    assert again.state["flow"] == "handoff" and guide_library.texts.get("nl", "ho_consent") in joined(again)


def test_later_stops_the_guide_for_now_and_verder_comes_back(guide_library: Library) -> None:
    chat = Chat(guide_library, language="fr")
    chat.say("hotspot iphone")
    assert "CONTINUER" in chat.text("d'accord je continue demain avec ma fille")
    resumed = chat.say("continuer")
    assert "1 sur 3" in joined(resumed) or "étape 1" in joined(resumed).lower()


# ---- 3. free text at a numbered choice ----

@pytest.mark.parametrize(("language", "said", "step"), [
    ("nl", "ik heb een oude nokia met knopjes", "basic"), ("nl", "een motorola", "settings"),
    ("en", "an old nokia with buttons", "basic"), ("en", "iphone 12", "settings"),
    ("fr", "j'ai un vieux nokia", "basic"), ("fr", "un motorola", "settings")])
def test_free_text_picks_an_option_by_label_or_synonym(guide_library: Library, language: str, said: str,
                                                       step: str) -> None:
    chat = Chat(guide_library, language=language)
    chat.say("hotspot")
    assert chat.say(said).state["guide"]["step_id"] == step


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unknown_answer_gets_the_same_question_briefly(guide_library: Library, language: str) -> None:
    chat = Chat(guide_library, language=language)
    shown = chat.say("hotspot")
    turn = chat.say("xqzzy vlorp")
    assert joined(turn) == guide_library.texts.get(language, "reask_choice")
    assert options(turn) == options(shown)
    assert _texts(guide_library, language, "guide_hint_unexpected") not in joined(turn)
    assert max(segments(turn)) <= 2


def test_the_navigation_hint_belongs_to_instruction_steps(guide_library: Library) -> None:
    chat = Chat(guide_library, language="nl")
    chat.say("hotspot iphone")
    assert _texts(guide_library, "nl", "guide_hint_unexpected") in chat.text("xqzzy vlorp")


@pytest.mark.parametrize(("language", "ok"), [("nl", "ok"), ("en", "ok"), ("fr", "d'accord")])
def test_ok_picks_a_clear_done_option(guide_library: Library, language: str, ok: str) -> None:
    chat = Chat(guide_library, language=language)
    chat.say("hotspot iphone")
    chat.say("ok")
    assert chat.say(ok).state["guide"]["step_id"] == "connect"
    chat = Chat(guide_library, language=language)
    chat.say("hotspot")
    chat.say("nokia met knopjes" if language == "nl" else "old nokia" if language == "en" else "vieux nokia")
    assert _texts(guide_library, language, "guide_done") in chat.text(ok)


@pytest.mark.parametrize(("language", "place"), [("nl", "ik woon in ledeberg"), ("en", "I am at Dampoort station"),
                                                 ("fr", "je suis à Gentbrugge")])
def test_a_place_at_a_choice_answers_the_place_question(library: Library, language: str, place: str) -> None:
    chat = Chat(library, language=language)
    chat.say("menu")
    turn = chat.say(place)
    assert turn.state["flow"] in ("digipunt-results", "digipunt")
    assert turn.intent == "digipunt.find"


def test_a_clear_other_request_in_a_guide_switches_with_one_line_and_stays_resumable(
        guide_library: Library) -> None:
    chat = Chat(guide_library, language="nl")
    chat.say("hotspot iphone")
    turn = chat.say("waar is het dichtste digipunt in ledeberg?")
    assert turn.state["flow"] == "digipunt-results"
    assert joined(turn).startswith(guide_library.texts.get("nl", "switch_note", title="Hotspot proef"))
    assert "Hotspot proef" in chat.text("verder")


def test_a_weak_match_does_not_leave_the_guide(guide_library: Library) -> None:
    chat = Chat(guide_library, language="nl")
    chat.say("hotspot iphone")
    assert chat.say("samsung a12").state["guide"]["guide_id"] == "hotspot"


# ---- 4. a place question and a location (and a day) in one message; a location is remembered ----

@pytest.mark.parametrize(("language", "message", "label"), [
    ("nl", "ik woon in de londenstraat, waar is er een computer", "Londenstraat"),
    ("nl", "kzoek morgen een pc in rabot", "Rabot"),
    ("en", "any computer near korenmarkt?", "Korenmarkt"),
    ("fr", "il y a un digipunt ouvert samedi près de dampoort?", "Dampoort")])
def test_place_and_question_in_one_message_gives_the_list(library: Library, language: str, message: str,
                                                          label: str) -> None:
    turn = Chat(library, language=language).say(message)
    assert turn.state["flow"] == "digipunt-results", joined(turn)
    assert label in joined(turn)


def test_a_day_in_the_same_message_is_answered(library: Library) -> None:
    turn = Chat(library, language="nl").say("is er zaterdag ergens een computer open in de brugse poort")
    assert "zaterdag" in joined(turn).split("\n")[0]


def test_a_location_said_earlier_is_used_for_the_next_place_question(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("digipunt ledeberg")
    chat.say("menu")
    turn = chat.say("waar kan ik gratis op internet")
    assert joined(turn).startswith("Dichtbij Ledeberg")


# ---- 5. clauses: the request in a story, two requests in one message ----

@pytest.mark.parametrize(("language", "story", "intent"), [
    ("nl", "goeiemiddag. mijn man is gestorven en hij deed alles met de computer. ik krijg brieven van de bank. "
           "kan er iemand mij helpen aan de telefoon?", "handoff.request"),
    ("en", "Hello. We came to Gent from Syria. The kids need internet for school. Internet at home is very "
           "expensive for us. Is there something cheaper?", "internet.access"),
    ("fr", "Bonjour, je suis à Gand depuis deux ans et je cherche du travail. Je n'ai pas d'ordinateur chez moi. "
           "Comment avoir un ordinateur pas cher?", "device.request")])
def test_the_question_in_a_story_is_found(library: Library, language: str, story: str, intent: str) -> None:
    assert Chat(library, language=language).say(story).intent == intent


@pytest.mark.parametrize(("language", "message", "second"), [
    ("nl", "ik zoek een digipunt in oostakker en ik wil ook weten hoe ik whatsapp installeer", "guide.whatsapp"),
    ("en", "i need a computer near dampoort and how do i turn on my hotspot", "guide.hotspot"),
    ("fr", "mon fils a besoin d'aide pour ses devoirs, et moi je cherche un cours d'informatique",
     "learn.digicafe")])
def test_two_requests_answer_the_first_and_offer_the_second(library: Library, language: str, message: str,
                                                            second: str) -> None:
    chat = Chat(library, language=language)
    first = chat.say(message)
    assert first.state["later"]["intent"] == second and first.intent != second
    thanks = {"nl": "bedankt", "en": "thanks", "fr": "merci"}[language]
    offer = chat.say(thanks)
    assert options(offer) == [library.texts.get(language, "option_yes"), library.texts.get(language, "option_no")]
    assert chat.say("1").intent == second


# ---- 7. privacy in plain words ----

@pytest.mark.parametrize(("language", "said", "yes"), [
    ("nl", "verwijder al mijn gegevens", "ja"), ("en", "delete my number", "yes delete it"),
    ("fr", "supprimez mes données svp", "oui")])
def test_privacy_in_plain_words_asks_the_same_confirmation(library: Library, language: str, said: str,
                                                           yes: str) -> None:
    chat = Chat(library, language=language)
    ask = chat.say(said)
    assert joined(ask) == library.texts.get(language, "forget_confirm")
    assert any(isinstance(effect, ForgetContact) for effect in chat.say(yes).effects)


def test_a_privacy_question_with_a_request_says_what_is_kept_first(library: Library) -> None:
    turn = Chat(library, language="nl").say("hoe lang bewaren jullie mijn gegevens? ik wil da ni, wis alles aub")
    assert joined(turn).startswith(library.texts.get("nl", "forget_notice", days=30))


@pytest.mark.parametrize("said", ["laat maar, ik wil geen berichten meer. stop", "stop texting me",
                                  "arretez les messages stp", "ik wil die berichten niet, STOP"])
def test_stop_in_a_sentence(library: Library, said: str) -> None:
    assert any(isinstance(effect, OptOut) for effect in Chat(library).say(said).effects)


@pytest.mark.parametrize(("language", "said"), [("nl", "wie is dit?"), ("en", "who gave you my number?"),
                                                ("fr", "c'est qui?")])
def test_who_is_this(library: Library, language: str, said: str) -> None:
    assert joined(Chat(library, language=language).say(said)) == library.texts.get(language, "about_me")


# ---- 8. the shortest path: a choice the first message answers is skipped, information never ----

@pytest.mark.parametrize(("language", "said"), [("nl", "hoe zet ik hotspot aan op mijn iphone"),
                                                ("en", "how do I turn on hotspot on my iphone"),
                                                ("fr", "partage de connexion sur mon iphone")])
def test_a_guide_starts_at_the_shortest_path(guide_library: Library, language: str, said: str) -> None:
    turn = Chat(guide_library, language=language).say(said)
    assert turn.state["guide"]["step_id"] == "settings"


def test_information_is_never_skipped(library: Library) -> None:
    turn = Chat(library, language="nl").say("mijn dochter heeft hulp nodig met huiswerk op een laptop")
    assert turn.state["guide"]["step_id"] == "answer"


# ---- 11. a language switch mid-flow keeps the flow and repeats the question ----

@pytest.mark.parametrize(("start", "switch", "language", "expected"), [
    ("hotspot iphone", "English please", "en", 'Step 1 of 3: Open "Settings".'),
    ("hotspot iphone", "en français svp", "fr", 'Étape 1 sur 3 : Ouvrez "Réglages".'),
    ("hotspot iphone", "actually can you write in Dutch? I need to practice", "nl", 'Stap 1 van 3: Open "Inst'),
])
def test_a_language_switch_repeats_the_guide_step(guide_library: Library, start: str, switch: str,
                                                  language: str, expected: str) -> None:
    chat = Chat(guide_library, language="nl" if language != "nl" else "en")
    chat.say(start)
    turn = chat.say(switch)
    assert turn.state["language"] == language and turn.state["flow"] == "guide"
    assert guide_library.texts.get(language, "language_set") in joined(turn)
    assert expected in joined(turn)


def test_a_language_switch_repeats_the_callback_question(library: Library) -> None:
    chat = Chat(library, language="nl")
    chat.say("ik wil iemand spreken")
    chat.say("1")
    turn = chat.say("en français svp")
    assert turn.state["flow"] == "handoff"
    assert options(turn)[:3] == ["Le plus vite possible", "Le matin", "L'après-midi"]


def test_a_language_switch_repeats_the_list(library: Library) -> None:
    chat = Chat(library, language="en")
    chat.say("digipunt ledeberg")
    turn = chat.say("kan je in het nederlands schrijven aub")
    assert joined(turn).split("\n")[1].startswith("Dichtbij Ledeberg")


# ---- 12. progress follows the path ----

def test_progress_totals_follow_every_path_of_every_shipped_guide(library: Library) -> None:
    from guides import walk

    for found in library.guides.guides.values():
        todo = [(walk.start(found), None)]
        while todo:
            cursor, total = todo.pop()
            view = walk.show(library.guides, cursor, "nl")
            shown = view.text.startswith("Stap ")
            if shown and total is not None:
                assert view.total == total, (found.id, cursor.path)
            for key in [key for key, _ in view.options] or [None]:
                result = walk.advance(found, cursor, key)
                if isinstance(result, walk.Cursor) and result.step_id not in cursor.path:
                    todo.append((result, view.total if shown else None))


def test_a_branch_through_an_answer_keeps_the_total(library: Library) -> None:
    chat = Chat(library, language="en")
    texts = [chat.text(text) for text in ("proximus wifi", "ok", "ok", "no", "1")]
    assert "Step 3 of 5" in texts[2] and "Step 4 of 5" in texts[3] and "Step 5 of 5" in texts[4]


def test_the_validator_warns_when_a_total_would_change(tmp_path: Path) -> None:
    from guides.validate import parse_and_check

    text = """\
id: uneven
spec_version: 1
title: {nl: U, en: U, fr: U}
intents: []
steps:
  - id: one
    text: {nl: a, en: a, fr: a}
    options:
      - label: {nl: Lang, en: Long, fr: Long}
        target: two
      - label: {nl: Kort, en: Short, fr: Court}
        target: end
  - id: two
    text: {nl: b, en: b, fr: b}
    next: end
  - id: end
    kind: check
    text: {nl: c, en: c, fr: c}
"""
    _, problems = parse_and_check("uneven.yaml", text)
    assert any("progress changes along one -> end" in problem.message for problem in problems)


# ---- every message of the new paths fits two SMS segments ----

@pytest.mark.parametrize(("language", "said"), [("nl", "het lukt niet"), ("en", "it doesn't work"),
                                                ("fr", "ça ne marche pas")])
def test_trouble_at_every_step_of_every_shipped_guide_fits_two_segments(library: Library, language: str,
                                                                        said: str) -> None:
    from guides import walk

    for found in library.guides.guides.values():
        paths = {found.first: (found.first,)}
        todo = [found.first]
        while todo:
            step_id = todo.pop()
            for target in found.steps[step_id].targets():
                if target in found.steps and target not in paths:
                    paths[target] = (*paths[step_id], target)
                    todo.append(target)
        for step_id, path in paths.items():
            cursor = walk.Cursor(found.id, step_id, path)
            state = {"language": language, "language_known": True, "flow": "guide", "guide": cursor.to_dict(),
                     "guide_at": "2026-11-26T10:00:00+01:00"}
            chat = Chat(library, language=language)
            chat.state = state
            turn = chat.say(said)
            assert max(segments(turn)) <= 2, (found.id, step_id, joined(turn))
            assert sum(segments(turn)) <= 2, (found.id, step_id, joined(turn))
