"""The Digipunt finder dialogue through bot.engine.respond: places, moments, closures, paging, channels."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.content.library import Library
from bot.effects import RecordUnmatched
from bot.engine import Turn, respond
from bot.messages import Address, GeoPoint, Inbound
from bot.render import render
from places.model import Closure

BRUSSELS = ZoneInfo("Europe/Brussels")
THURSDAY_MORNING = datetime(2026, 11, 26, 10, 30, tzinfo=BRUSSELS)
THURSDAY_LUNCH = datetime(2026, 11, 26, 12, 30, tzinfo=BRUSSELS)
CHRISTMAS = datetime(2026, 12, 25, 10, 30, tzinfo=BRUSSELS)
DAMPOORT = GeoPoint(51.0564, 3.7406)


class Chat:
    """One resident's conversation with the pure engine, on one channel, at a fixed moment."""

    def __init__(self, library: Library, channel: str = "sms", now: datetime = THURSDAY_MORNING) -> None:
        self.library = library
        self.channel = channel
        self.now = now
        self.state: dict[str, Any] | None = None

    def say(self, text: str, location: GeoPoint | None = None) -> Turn:
        inbound = Inbound(Address(self.channel, "+32470000009"), text, self.now, location=location)
        result = respond(inbound, self.state, self.library, self.now)
        self.state = result.state
        return result

    def text(self, text: str, location: GeoPoint | None = None) -> str:
        return "\n".join(reply.text for reply in self.say(text, location).replies)


def segments(result: Turn, channel: str = "sms") -> list[int]:
    return [render(reply, channel).segments for reply in result.replies]


# ---- understanding the first message ----


@pytest.mark.parametrize(
    ("message", "header"),
    [
        ("digipunt in ledeberg", "Dichtbij Ledeberg:"),
        ("computer bij de dampoort", "Dichtbij Dampoort:"),
        ("waar is een digipunt in sint amandsberg", "Dichtbij Sint-Amandsberg:"),
        ("digipunt in de kongostraat", "Dichtbij Kongostraat:"),
    ],
)
def test_a_place_in_the_first_message_is_answered_at_once(library: Library, message: str, header: str) -> None:
    result = Chat(library).say(message)
    assert result.intent == "digipunt.find"
    assert result.flow == "digipunt-results"
    assert result.replies[0].text.startswith(header)
    assert not result.replies[0].ask_location


def test_a_request_without_a_place_asks_where_and_remembers_the_day(library: Library) -> None:
    chat = Chat(library)
    result = chat.say("is het digipunt morgen open")
    assert result.replies[0].ask_location
    assert "Waar ben je?" in result.replies[0].text
    reply = chat.text("ledeberg")
    assert reply.startswith("Dichtbij Ledeberg, morgen:")
    assert "open vanaf 10u" in reply


def test_helper_words_in_the_first_message_filter_at_once(library: Library) -> None:
    reply = Chat(library).text("digipunt met begeleider in ledeberg")
    assert reply.startswith("Met begeleider, dichtbij Ledeberg:")


def test_telegram_and_whatsapp_invite_a_shared_location(library: Library) -> None:
    assert "of deel je locatie" in Chat(library, "telegram").text("waar is een digipunt")
    assert "of deel je locatie" in Chat(library, "whatsapp").text("waar is een digipunt")
    assert "locatie" not in Chat(library, "sms").text("waar is een digipunt")


# ---- coarse, ambiguous, not understood ----


def test_9000_is_too_coarse_and_asks_with_an_example(library: Library) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    result = chat.say("9000")
    assert result.replies[0].text == "9000 Gent is groot. In welke straat of wijk ben je? Bv: Binnenstad of Sluizeken."
    assert result.replies[0].ask_location
    assert result.flow == "digipunt"


def test_a_street_in_two_deelgemeenten_offers_both_and_the_choice_ranks_from_it(library: Library) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    result = chat.say("brugsesteenweg")
    assert [option.label for option in result.replies[0].options] == [
        "Brugsesteenweg (9030 Mariakerke)",
        "Brugsesteenweg (9000 Gent)",
    ]
    reply = chat.text("1")
    assert "1 Kringwinkel, Brugsesteenweg 354" in reply and "(0,0 km)" in reply


def test_an_ambiguous_digipunt_name_shows_the_chosen_place(library: Library) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    result = chat.say("kringwinkel")
    assert [option.label for option in result.replies[0].options] == [
        "Digipunt Kringwinkel Vlaamsekaai",
        "Digipunt Kringwinkel Brugsesteenweg",
        "Digipunt Kringwinkel Getouwstraat",
    ]
    assert chat.text("3").startswith("Digipunt Kringwinkel Getouwstraat, Getouwstraat 5, 9000 Gent.")
    assert "1 Kringwinkel, Getouwstraat 5" in chat.text("meer")


def test_an_ambiguous_area_ranks_from_the_chosen_part(library: Library) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    result = chat.say("kanaaldorpen")
    assert [option.label for option in result.replies[0].options] == ["Desteldonk", "Mendonk", "Sint-Kruis-Winkel"]
    assert chat.text("2").startswith("Dichtbij Mendonk:")


def test_an_ambiguous_name_of_neighbouring_wijken_is_answered_at_once(library: Library) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    assert chat.text("stationsbuurt").startswith("Dichtbij Stationsbuurt")


def test_not_understood_twice_offers_the_wijken_and_a_helper(library: Library) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    first = chat.say("xyzzy")
    assert "Die plaats vind ik niet" in first.replies[0].text
    assert first.replies[0].ask_location
    assert any(isinstance(effect, RecordUnmatched) and effect.reason == "place_unknown" for effect in first.effects)
    second = chat.say("qwerty")
    labels = [option.label for option in second.replies[0].options]
    assert labels[-1] == "Iemand spreken"
    assert {"Binnenstad", "Dampoort", "Rabot"} <= set(labels)
    rabot = chat.text(str(labels.index("Rabot") + 1))
    assert rabot.startswith("Digipunten in Rabot - Blaisantvest:")
    assert "Wijkkantoor Rabot" in rabot  # a place without map coordinates is still listed by its wijk
    assert "Digipunt Wijkkantoor Rabot" in chat.text("1")


@pytest.mark.parametrize(
    ("message", "flow", "expected"),
    [
        ("hotspot", "guide", "Welke gsm heb je?"),
        ("iemand spreken", "handoff", "Mag een helper je bellen"),
        ("skype bestaat niet meer", "guide", "Microsoft Teams"),  # a street name fuzzily; means the Skype branch
    ],
)
def test_other_intents_are_not_swallowed_while_asking_where(
    library: Library, message: str, flow: str, expected: str
) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    result = chat.say(message)
    assert result.flow == flow
    assert expected.lower() in "\n".join(reply.text for reply in result.replies).lower()


def test_other_intents_are_not_swallowed_after_a_list(library: Library) -> None:
    chat = Chat(library)
    chat.say("digipunt in ledeberg")
    result = chat.say("hotspot")
    assert result.flow == "guide"
    assert result.intent == "guide.hotspot"


# ---- the list, the numbers, the detail ----


def test_digits_after_a_list_select_the_listed_place(library: Library) -> None:
    chat = Chat(library)
    listed = chat.say("digipunt in ledeberg")
    first_line = listed.replies[0].text.splitlines()[1]
    assert first_line.startswith("1 Kringwinkel, Vlaamsekaai 10")
    detail = chat.say("1").replies[0]
    assert detail.text.startswith("Digipunt Kringwinkel Vlaamsekaai, Vlaamsekaai 10, 9000 Gent.")
    assert chat.say("2").replies[0].text.startswith("Digipunt Bibliotheek De Krook")
    assert "nummer uit de lijst (1 tot 3)" in chat.text("7")


def test_the_detail_carries_the_map_link_and_pin_not_in_its_text(library: Library) -> None:
    chat = Chat(library, "telegram")
    chat.say("digipunt in ledeberg")
    detail = chat.say("1").replies[0]
    assert detail.link == "https://www.openstreetmap.org/?mlat=51.04405&mlon=3.74156"
    assert "openstreetmap" not in detail.text
    assert detail.place is not None and detail.place.name == "Digipunt Kringwinkel Vlaamsekaai"
    assert detail.link in render(detail, "telegram").text
    assert "openstreetmap" not in render(detail, "sms").text


def test_the_list_pins_its_first_place_on_telegram(library: Library) -> None:
    result = Chat(library, "telegram").say("digipunt in ledeberg")
    pin = render(result.replies[0], "telegram").place
    assert pin is not None and pin.name == "Digipunt Kringwinkel Vlaamsekaai"
    assert render(result.replies[0], "sms").place is None


def test_back_goes_from_a_detail_to_the_list_and_from_the_list_to_the_question(library: Library) -> None:
    chat = Chat(library)
    chat.say("waar is een digipunt")
    chat.say("ledeberg")
    chat.say("1")
    chat.say("2")
    assert chat.text("terug").startswith("Dichtbij Ledeberg:")
    back = chat.say("terug")
    assert back.replies[0].ask_location and "Waar ben je?" in back.replies[0].text
    assert chat.text("terug").startswith("Waarmee kan ik je helpen?")


def test_a_listed_name_shows_its_detail(library: Library) -> None:
    chat = Chat(library)
    chat.say("digipunt in ledeberg")
    assert chat.text("de krook").startswith("Digipunt Bibliotheek De Krook")


def test_more_pages_never_repeat_and_end_with_a_way_forward(library: Library) -> None:
    chat = Chat(library)
    pages = [chat.say("digipunt in ledeberg")]
    seen: list[str] = []
    for _ in range(6):
        state = chat.state or {}
        shown = state["data"]["shown"]
        assert not set(shown) & set(seen)
        seen.extend(shown)
        pages.append(chat.say("meer"))
        if pages[-1].replies[0].options:
            break
    last = pages[-1].replies[0]
    assert last.text.startswith("Dat waren alle Digipunten")
    assert [option.label for option in last.options] == ["Lijst opnieuw tonen", "Iemand spreken", "Menu"]
    assert len(seen) == len(set(seen)) >= 6
    again = chat.say("1").replies[0].text
    assert again.startswith("Dichtbij Ledeberg:") and "1 Kringwinkel, Vlaamsekaai 10" in again


def test_only_with_a_helper_when_none_has_one_offers_all_places(library: Library) -> None:
    places = library.places
    without = replace(places, places=tuple(replace(place, helper=False, helper_hours=None) for place in places.places))
    chat = Chat(replace(library, places=without))
    chat.say("digipunt in ledeberg")
    result = chat.say("alleen met begeleider")
    assert result.replies[0].text == "Ik vind geen Digipunt met begeleider. Wat wil je doen?"
    assert result.replies[0].options[0].label == "Ook zonder begeleider"
    assert chat.text("1").startswith("Dichtbij Ledeberg:")


# ---- time: moments, lunch, holidays, closures ----


def test_a_digipunt_closed_for_lunch_says_when_it_opens(library: Library) -> None:
    nl = Chat(library, now=THURSDAY_LUNCH).text("digipunt in ledeberg")
    assert "1 Kringwinkel, Vlaamsekaai 10: open vanaf 13u" in nl
    en = Chat(library, now=THURSDAY_LUNCH).text("where is a digipunt near ledeberg")
    assert "Kringwinkel, Vlaamsekaai 10: open from 13:00" in en


def test_a_later_moment_ranks_for_that_moment_and_now_goes_back(library: Library) -> None:
    chat = Chat(library)
    chat.say("digipunt in ledeberg")
    saturday = chat.text("zaterdag")
    assert saturday.startswith("Dichtbij Ledeberg, zaterdag 28/11:")
    assert saturday.splitlines()[1].startswith("1 De Krook")  # the only one open on Saturday
    assert "Zaterdag 28/11: open vanaf 10u" in chat.text("1")  # the detail speaks about Saturday too
    now = chat.text("nu")
    assert now.startswith("Dichtbij Ledeberg:") and "open tot 12u" in now


def test_a_remembered_moment_that_has_passed_is_forgotten(library: Library) -> None:
    chat = Chat(library)
    chat.say("digipunt in ledeberg")
    chat.say("morgen")
    chat.now = datetime(2026, 11, 30, 10, 30, tzinfo=BRUSSELS)  # the resident comes back on Monday
    reply = chat.text("meer")
    assert "morgen" not in reply.splitlines()[0]


def test_a_public_holiday_closes_every_digipunt(library: Library) -> None:
    sms = Chat(library, now=CHRISTMAS).text("digipunt in ledeberg")
    assert "open tot" not in sms and "open vanaf" not in sms
    assert "Kringwinkel, Vlaamsekaai 10: gesloten, opent ma 10u" in sms
    telegram = Chat(library, "telegram", now=CHRISTMAS).text("digipunt in ledeberg")
    assert telegram.startswith("Kerstmis (feestdag): de meeste Digipunten zijn dicht.")


def test_a_closure_from_the_console_is_respected(library: Library) -> None:
    closure = Closure(
        "kringwinkel-vlaamsekaai",
        date(2026, 11, 26),
        date(2026, 11, 30),
        {"nl": "verbouwing", "en": "renovation", "fr": "travaux"},
    )
    closed = replace(library, places=library.places.with_closures([closure]))
    chat = Chat(closed)
    listed = chat.say("digipunt in ledeberg").replies[0].text.splitlines()
    assert listed[1].startswith("1 De Krook")  # open places first; the nearest one is closed
    assert all("open tot" in line for line in listed[1:4])
    while not any("Vlaamsekaai 10" in line for line in listed):
        listed = chat.say("meer").replies[0].text.splitlines()
    kringwinkel = next(line for line in listed if "Vlaamsekaai 10" in line)
    assert "gesloten (verbouwing), opent di 13u" in kringwinkel
    number = kringwinkel.split(" ")[0]
    assert "Gesloten (verbouwing), opent dinsdag 13u." in chat.text(number)
    assert "Kringwinkel, Vlaamsekaai 10: open tot 12u" in Chat(library).text("digipunt in ledeberg")


# ---- channels ----


def test_a_shared_location_answers_at_once_with_a_pin(library: Library) -> None:
    result = Chat(library, "whatsapp").say("", location=DAMPOORT)
    reply = result.replies[0]
    assert result.intent == "digipunt.find"
    assert reply.text.startswith("Dichtbij Dampoort:")
    assert reply.place is not None and reply.place.name == "Digipunt IN-Gent Kongostraat"


def test_a_shared_location_outside_the_city_says_so(library: Library) -> None:
    reply = Chat(library, "telegram").text("", location=GeoPoint(50.8467, 4.3525))
    assert reply.startswith("Je lijkt niet in Gent te zijn.")


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
@pytest.mark.parametrize("now", [THURSDAY_MORNING, THURSDAY_LUNCH, CHRISTMAS])
def test_sms_lists_and_details_stay_within_two_segments(library: Library, language: str, now: datetime) -> None:
    chat = Chat(library, now=now)
    chat.say({"nl": "nederlands", "en": "english", "fr": "francais"}[language])
    results = [chat.say("digipunt in ledeberg"), chat.say("meer"), chat.say("zaterdag 14u")]
    chat.say("digipunt in de brugse poort")
    results.append(chat.say("begeleider"))
    for place in library.places.places:  # every detail, historical ones included
        assert chat.state is not None
        chat.state["options"] = [{"key": "1", "label": place.name, "action": f"place:{place.id}"}]
        detail = chat.say("1")
        assert detail.replies[0].text.startswith(place.name)
        results.append(detail)
    for result in results:
        assert result.replies
        assert max(segments(result)) <= 2, [reply.text for reply in result.replies]
