"""Booking by message through the real service: transcripts in nl/en/fr on SMS and WhatsApp, status, cancel,
limits; every step within the SMS budget."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.content.library import Library
from bot.render import render
from bot.runtime import Deps
from bot.service import HandleResult
from storage.db import transaction
from storage.models import Booking, BookingSlot
from tests.bookings.helpers import send, texts
from tests.conftest import Clock

# language: (start, purpose, yes, booked, status words, cancel words, cancelled)
WORDS = {
    "nl": ("ik wil een afspraak maken", "itsme installeren", "ja", "Gereserveerd! Code", "mijn afspraak",
           "annuleer", "is geannuleerd"),
    "en": ("I want to book a helper", "help with my email", "yes", "Booked! Code", "my appointment",
           "cancel my appointment", "is cancelled"),
    "fr": ("je veux prendre rendez-vous", "mon e-mail", "oui", "Réservé ! Code", "mon rendez-vous",
           "annuler", "est annulé"),
}
CODE = re.compile(r"R-\d{4,5}")


def _within_budget(result: HandleResult) -> None:
    for reply in result.replies:
        assert render(reply, "sms").segments <= reply.sms_max_segments, reply.text


@pytest.mark.parametrize("channel", ["sms", "whatsapp"])
@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_book_see_and_cancel(deps: Deps, language: str, channel: str) -> None:
    start, purpose, yes, booked, status_words, cancel_words, cancelled = WORDS[language]
    number = "+32470000301"
    steps = []

    def say(text: str) -> str:
        result = send(deps, text, number, channel)
        _within_budget(result)
        shown = texts(result, channel)
        steps.append((text, shown))
        return shown

    days = say(start)
    assert "De Krook" in days and "1 " in days and "5 " in days  # four days and MEER
    times = say("1")
    assert "1 13:00" in times and "5 " in times  # four times a message, MEER for more
    more = say("5")
    assert "1 15:00" in more
    asked = say("2")  # 15:30
    assert "1 " in asked  # skipping is an option
    confirm = say(purpose)
    assert "15:30" in confirm and "De Krook" in confirm
    done = say(yes)
    assert booked in done and "Miriam Makebaplein 1" in done and "15:30" in done
    assert ("ANNULEER" in done) or ("ANNULER" in done)
    code = CODE.search(done)
    assert code is not None
    assert code.group(0) in say(status_words)
    assert code.group(0) in say(code.group(0).lower())  # the code alone shows it too
    question = say(cancel_words)
    assert code.group(0) in question and "1 " in question
    assert cancelled in say(yes)
    with transaction(deps.db) as session:
        row = session.exec(select(Booking).where(Booking.code == code.group(0))).one()
        assert row.status == "cancelled" and row.purpose == purpose and row.language == language
        assert row.channel == channel and row.number == number
        slot = session.get(BookingSlot, row.slot_id)
        assert slot is not None and slot.booked == 0  # the seat is free again


def test_skip_purpose_decline_and_one_booking_per_day(deps: Deps) -> None:
    send(deps, "reserveren")
    send(deps, "1")
    send(deps, "1")
    send(deps, "1")  # no purpose
    assert "Goed, ik maak geen afspraak" in texts(send(deps, "nee"))
    send(deps, "reserveren")
    send(deps, "1")
    send(deps, "1")
    send(deps, "overslaan")
    first = texts(send(deps, "ja"))
    assert "Gereserveerd!" in first
    send(deps, "reserveren")
    send(deps, "1")  # the same day again
    send(deps, "1")
    send(deps, "1")
    again = texts(send(deps, "ja"))
    assert "Je hebt al een afspraak bij De Krook" in again and "Eén per dag" in again.replace("Een", "Eén")
    with transaction(deps.db) as session:
        assert len(session.exec(select(Booking)).all()) == 1


def test_no_session_within_two_hours_and_no_cancel_by_message_close_to_it(deps: Deps, clock: Clock) -> None:
    # Thursday 26/11 10:30: 13:00 is bookable (2.5 h ahead), not after noon has passed
    clock.now = clock.now.replace(hour=11, minute=30)
    times = texts(send(deps, "reserveren"))
    times = texts(send(deps, "1"))
    assert "1 13:30" in times  # 13:00 is less than 2 hours away
    send(deps, "1")
    send(deps, "1")
    code = CODE.search(texts(send(deps, "ja")))
    assert code is not None
    clock.now = clock.now + timedelta(hours=1)  # 12:30: one hour before
    send(deps, "annuleer")
    late = texts(send(deps, "ja"))
    assert "kan niet meer" in late and "De Krook" in late
    with transaction(deps.db) as session:
        assert session.exec(select(Booking)).one().status == "booked"


def test_status_without_a_booking_and_an_unknown_code(deps: Deps) -> None:
    assert "Je hebt geen afspraak" in texts(send(deps, "mijn afspraak"))
    assert "geen afspraak met code R-1234" in texts(send(deps, "R-1234"))


def test_someone_elses_code_shows_nothing(deps: Deps) -> None:
    send(deps, "reserveren", "+32470000401")
    send(deps, "1", "+32470000401")
    send(deps, "1", "+32470000401")
    send(deps, "1", "+32470000401")
    code = CODE.search(texts(send(deps, "ja", "+32470000401")))
    assert code is not None
    assert "geen afspraak met code" in texts(send(deps, code.group(0), "+32470000402"))
    send(deps, f"annuleer {code.group(0)}", "+32470000402")
    with transaction(deps.db) as session:
        assert session.exec(select(Booking)).one().status == "booked"


def test_reserveren_on_the_detail_of_de_krook(deps: Deps, library: Library) -> None:
    detail = texts(send(deps, "waar is de krook", channel="whatsapp"))  # a named Digipunt: its detail at once
    assert "Stuur RESERVEREN" in detail
    assert "Afspraak met een helper bij De Krook" in texts(send(deps, "reserveren", channel="whatsapp"))


def test_reserveren_on_the_sms_detail_of_de_krook_within_two_segments(deps: Deps, library: Library) -> None:
    """On SMS the detail drops its lighter lines (the old booking note first) to keep the way to book."""
    replies = send(deps, "waar is de krook", "+32470000411")  # a named Digipunt: its detail at once
    detail = texts(replies)
    assert "Stuur RESERVEREN" in detail and "Vroeger moest je reserveren" not in detail
    assert all(render(reply, "sms").segments <= 2 for reply in replies.replies)
