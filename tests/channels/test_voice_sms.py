"""What a call leaves behind by SMS: the guide goes on in the SMS conversation, the language chosen by phone is
the SMS language too, a STOP by SMS holds for calls, and a helper's message reaches a caller by SMS."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle
from handoff.resident import message_resident
from storage import queries
from storage.db import transaction
from storage.models import Outbox, Ticket
from tests.channels.voice_call import play

CALLER = "+32470123456"


def sms(deps: Deps, text: str, sid: str) -> str:
    result = handle(Inbound(Address("sms", CALLER), text, deps.clock(), external_id=sid), deps)
    return "\n".join(reply.text for reply in result.replies)


def queued(deps: Deps) -> list[Outbox]:
    with Session(deps.db) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.id))))


def test_a_guide_chosen_by_phone_goes_on_by_sms(deps: Deps) -> None:
    results = play(deps, "CA" + "1" * 32, CALLER, ["3", "1"])  # guide 1: sharing the phone's internet
    assert "Ik stuur je de eerste stap per sms." in " ".join(r.text for r in results[-1].replies)
    [first] = queued(deps)
    assert (first.channel, first.address, first.purpose) == ("sms", CALLER, "voice_guide")
    assert "Welke gsm heb je?" in first.body["text"]
    answer = sms(deps, "1", "SM" + "1" * 32)  # the resident answers the SMS: iPhone
    assert "Instellingen" in answer and "Stap 1 van" in answer


def test_the_language_chosen_by_phone_is_the_sms_language(deps: Deps) -> None:
    play(deps, "CA" + "2" * 32, CALLER, ["9", "3"])  # français
    with Session(deps.db) as session:
        contact = queries.find_contact(session, "sms", CALLER)
    assert contact is not None and contact.language == "fr"
    french_menu = deps.library().texts.get("fr", "menu_prompt")
    assert sms(deps, "menu", "SM" + "2" * 32).startswith(french_menu)


def test_a_stop_by_sms_holds_for_calls(deps: Deps) -> None:
    sms(deps, "STOP", "SM" + "4" * 32)
    results = play(deps, "CA" + "4" * 32, CALLER, ["1", "9040", "1"])
    said = " ".join(reply.text for reply in results[-2].replies)
    assert "Wil je dit per sms, druk 1." not in said and "Andere plaatsen, druk 2." in said
    assert "Je hebt onze sms gestopt." in " ".join(reply.text for reply in results[-1].replies)
    callback = play(deps, "CA" + "5" * 32, CALLER, ["2", "1", "1"])
    assert "per sms" not in " ".join(reply.text for reply in callback[-1].replies)
    assert queued(deps) == []


def test_a_helper_message_reaches_a_caller_by_sms(deps: Deps) -> None:
    play(deps, "CA" + "6" * 32, CALLER, ["2", "1", "1"])
    with transaction(deps.db) as session:
        ticket = session.exec(select(Ticket)).one()
        row = message_resident(session, ticket, lambda language: f"hello in {language}", purpose="claimed",
                               now=deps.clock() + timedelta(minutes=5))
        assert row is not None and (row.channel, row.address, row.contact_id) == ("sms", CALLER, None)
    withheld = play(deps, "CA" + "7" * 32, "anonymous", ["2", "0470112233", "1", "1"])
    assert withheld[-1].replies
    with transaction(deps.db) as session:
        hidden = session.exec(select(Ticket).where(Ticket.callback_number == "+32470112233")).one()
        assert message_resident(session, hidden, lambda language: "x", purpose="claimed", now=deps.clock()) is None
