"""Twilio Voice webhooks: signed recorded payloads, TwiML checked structurally, forged signatures, repeated
actions, silence, wrong keys, withheld numbers, SMS through the outbox, status callbacks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import httpx
import pytest
from sqlmodel import Session, col, select

from bot.channels.twilio.voice import caller_address, parse_call
from bot.runtime import Deps
from storage.models import Contact, Message, Outbox, Ticket, VoiceCall
from tests.channels.conftest import PUBLIC, app_client, count
from tests.channels.voice_call import PAYLOADS, VOICE_PATH, Call, parse_twiml, post_signed

NL = ("nl-BE", "Polly.Lisa-Neural")


def outbox(deps: Deps) -> list[Outbox]:
    with Session(deps.db) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.id))))


def tickets(deps: Deps) -> list[Ticket]:
    with Session(deps.db) as session:
        return list(session.exec(select(Ticket).order_by(col(Ticket.id))))


def calls(deps: Deps) -> list[VoiceCall]:
    with Session(deps.db) as session:
        return list(session.exec(select(VoiceCall)))


async def test_incoming_call_answers_a_gather_with_belgian_dutch_speech(client: httpx.AsyncClient) -> None:
    twiml = await Call(client, "CA" + "1" * 32).start()
    assert twiml.order == ["Gather", "Redirect"]  # no key before the timeout: the redirect hears the silence
    gather = twiml.gather
    assert gather is not None
    assert gather["input"] == "dtmf" and gather["method"] == "POST" and gather["numDigits"] == "1"
    assert gather["action"].startswith(PUBLIC + VOICE_PATH + "?t=")
    assert twiml.redirect == gather["action"] and twiml.redirect_method == "POST"
    dutch = [say for say in twiml.says if say.language == "nl-BE"]
    assert dutch and all(say.voice == "Polly.Lisa-Neural" for say in dutch)
    assert "druk 1" in twiml.spoken and "druk 9" in twiml.spoken
    # the way to another language is said by the other languages' own voices
    assert ("en-GB", "For another language, press 9.") in [(say.language, say.text) for say in twiml.says]
    assert any(say.language == "fr-BE" and say.voice == "Polly.Isabelle-Neural" for say in twiml.says)


async def test_forged_signature_is_refused_and_writes_nothing(client: httpx.AsyncClient, wired: Deps) -> None:
    call = Call(client, "CA" + "2" * 32)
    form = call.form()
    before = (count(wired, Message), count(wired, Contact), count(wired, VoiceCall))
    for response in (
        await post_signed(client, PUBLIC + VOICE_PATH, form, token="not-the-auth-token"),
        await post_signed(client, PUBLIC + VOICE_PATH, form, signature=""),
        await post_signed(client, PUBLIC + VOICE_PATH + "?t=3", {**form, "Digits": "1"}, token="wrong"),
        await post_signed(client, PUBLIC + VOICE_PATH + "/status", dict(PAYLOADS["status_completed"]), token="x"),
    ):
        assert response.status_code == 403
    # a signature for another URL (the public base URL is part of what Twilio signs)
    response = await post_signed(client, "https://elsewhere.example.org" + VOICE_PATH, form)
    assert response.status_code == 403
    assert (count(wired, Message), count(wired, Contact), count(wired, VoiceCall)) == before


async def test_a_repeated_action_is_answered_the_same_and_handled_once(client: httpx.AsyncClient,
                                                                         wired: Deps) -> None:
    call = Call(client, "CA" + "3" * 32)
    await call.start()
    await call.press("1")
    action = call.last.gather["action"] if call.last and call.last.gather else ""
    places = await call.press("9040")
    sms_action = places.gather["action"] if places.gather else ""
    first = await call.press("1")  # send by SMS
    queued = len(outbox(wired))
    assert queued >= 1
    messages = count(wired, Message)
    # Twilio retries the same action (same CallSid, turn and Digits): same TwiML, nothing done twice
    gather = {**call.form(**{str(k): str(v) for k, v in PAYLOADS["gather"].items()}), "Digits": "1"}
    again = parse_twiml((await post_signed(client, sms_action, gather)).text)
    assert again.raw == first.raw
    assert len(outbox(wired)) == queued and count(wired, Message) == messages
    assert action != sms_action


async def test_silence_repeats_once_then_goodbye_and_hangup(client: httpx.AsyncClient, wired: Deps) -> None:
    call = Call(client, "CA" + "4" * 32)
    menu = await call.start()
    repeated = await call.silence()
    assert repeated.gather is not None and "druk 1" in repeated.spoken
    assert repeated.turn != menu.turn
    goodbye = await call.silence()
    assert goodbye.hangup and goodbye.gather is None and goodbye.order[-1] == "Hangup"
    assert "Ik hoor niets" in goodbye.spoken
    row = calls(wired)[0]
    assert row.goodbye and row.last_step == "ended"


async def test_a_key_that_is_not_a_choice_says_so_and_asks_the_same(client: httpx.AsyncClient) -> None:
    call = Call(client, "CA" + "5" * 32)
    await call.start()
    wrong = await call.press("7")
    assert wrong.says[0].text == "Dat is geen keuze."
    assert "Een open Digipunt in de buurt, druk 1." in wrong.spoken
    await call.press("1")
    wrong_postcode = await call.press("12")
    assert "Een postcode heeft vier cijfers." in wrong_postcode.spoken
    assert wrong_postcode.gather is not None and wrong_postcode.gather["numDigits"] == "4"
    unknown = await call.press("1000")
    assert "Die postcode ken ik niet." in unknown.spoken
    back = await call.press("*")
    assert "Een open Digipunt in de buurt, druk 1." in back.spoken


async def test_send_by_sms_queues_the_sms_detail_to_the_caller(client: httpx.AsyncClient, wired: Deps) -> None:
    call = Call(client, "CA" + "6" * 32, caller="+32470987654")
    await call.start()
    await call.press("1")
    places = await call.press("9040")
    assert "Dichtbij jou:" in places.spoken and "Open tot" in places.spoken
    assert "druk 1" in places.says[-1].text  # SMS is offered to a mobile number
    sent = await call.press("1")
    assert "Ik stuur je dit nu per sms." in sent.spoken
    rows = outbox(wired)
    assert 1 <= len(rows) <= 2  # at most the two places said
    assert {(row.channel, row.address, row.status) for row in rows} == {("sms", "+32470987654", "pending")}
    assert rows[0].body["text"].startswith("Digipunt ")  # the SMS detail: the place's full name and address
    assert "Stuur" not in rows[0].body["text"].split("\n")[-1]  # no SMS footer asking for a reply
    # pressing 1 again does not queue the same places again
    await call.press("1")
    assert len(outbox(wired)) == len(rows)
    row = calls(wired)[0]
    assert row.place_found and row.sms_sent and not row.ticket


async def test_a_landline_caller_is_not_offered_sms(client: httpx.AsyncClient, wired: Deps) -> None:
    call = Call(client, "CA" + "7" * 32, caller="+3292661111")  # a Ghent landline
    await call.start()
    await call.press("1")
    places = await call.press("9040")
    assert "druk 1" not in places.says[-1].text
    said = await call.press("1")
    assert "Naar dit nummer kan ik geen sms sturen." in said.spoken
    assert outbox(wired) == []


@pytest.mark.parametrize("hidden", PAYLOADS["withheld_from"])
def test_withheld_caller_ids_are_never_numbers(hidden: str) -> None:
    address = caller_address(hidden, "CA" + "8" * 32)
    assert address.channel == "voice" and address.id == "withheld:CA" + "8" * 32


def test_parse_call_names_the_delivery_by_call_turn_and_keys() -> None:
    now = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    form = {str(k): str(v) for k, v in PAYLOADS["incoming_call"].items()}
    start = parse_call(form, None, now)
    assert start is not None and start.payload == "call-start" and start.text == ""
    assert start.external_id == f"{form['CallSid']}:start:" and start.call_id == form["CallSid"]
    keys = parse_call({**form, "Digits": "9040"}, "3", now)
    assert keys is not None and keys.text == "9040" and keys.external_id == f"{form['CallSid']}:3:9040"
    said = parse_call({**form, **{str(k): str(v) for k, v in PAYLOADS["speech"].items()}}, "3", now)
    assert said is not None and said.payload == "speech" and said.text == "negen nul vier nul"
    assert parse_call({**form, "CallSid": ""}, None, now) is None


async def test_withheld_number_types_a_callback_number_read_back_and_confirmed(client: httpx.AsyncClient,
                                                                               wired: Deps) -> None:
    call = Call(client, "CA" + "9" * 32, caller="anonymous")
    await call.start()
    ask = await call.press("2")
    assert "Je nummer is verborgen." in ask.spoken and "hekje" in ask.spoken
    assert ask.gather is not None and "numDigits" not in ask.gather and ask.gather["finishOnKey"] == "#"
    wrong = await call.press("12345")
    assert "Dat nummer klopt niet." in wrong.spoken
    readback = await call.press("0470112233")  # Belgian, without +32; Twilio leaves out the '#'
    assert "Je tikte 0, 4, 7, 0, 1, 1, 2, 2, 3, 3." in readback.spoken
    window = await call.press("1")
    assert "Wanneer past het best?" in window.spoken
    done = await call.press("3")
    assert "Je vraag heeft nummer T, " in done.spoken
    assert "per sms" not in done.spoken  # nothing is texted to a withheld caller
    [ticket] = tickets(wired)
    assert ticket.callback_number == "+32470112233" and ticket.channel == "voice"
    assert ticket.callback_window == "afternoon" and ticket.language == "nl"
    digits = ", ".join(ticket.code.replace("-", ""))
    assert digits in done.spoken
    assert outbox(wired) == []
    # the transcript of the call's steps goes with the ticket
    said = [line["text"] for line in ticket.transcript]
    assert "0470112233" in said and any("Wanneer past het best?" in text for text in said)


async def test_callback_ticket_is_said_digit_by_digit_and_texted(client: httpx.AsyncClient, wired: Deps) -> None:
    call = Call(client, "CA" + "a" * 32)
    await call.start()
    consent = await call.press("2")
    assert "Mag een helper je terugbellen op dit nummer? Druk 1." in consent.spoken
    await call.press("1")
    done = await call.press("1")
    [ticket] = tickets(wired)
    assert ticket.callback_number == "+32470123456" and ticket.channel == "voice" and ticket.callback_window == "asap"
    assert ", ".join(ticket.code.replace("-", "")) in done.spoken
    assert "Je krijgt het nummer ook per sms." in done.spoken
    [sms] = outbox(wired)
    assert (sms.channel, sms.address) == ("sms", "+32470123456") and ticket.code in sms.body["text"]
    assert calls(wired)[0].ticket


async def test_status_callback_is_stored(client: httpx.AsyncClient, wired: Deps) -> None:
    call = Call(client, PAYLOADS["status_completed"]["CallSid"])
    await call.start()
    status = {str(k): str(v) for k, v in PAYLOADS["status_completed"].items()}
    response = await post_signed(client, PUBLIC + VOICE_PATH + "/status", status)
    assert response.status_code == 204
    [row] = calls(wired)
    assert (row.status, row.duration_seconds, row.last_step) == ("completed", 94, "menu")
    assert row.ended_at is not None


async def test_speech_switch_and_configured_voice(wired: Deps) -> None:
    settings = replace(wired.settings, voice_speech=True, voice_tts_voice="Google.nl-BE-Wavenet-A")
    async with app_client(settings, wired) as http:
        call = Call(http, "CA" + "b" * 32)
        menu = await call.start()
        assert menu.gather is not None and menu.gather["input"] == "dtmf speech"
        assert menu.gather["language"] == "nl-BE"
        assert {say.voice for say in menu.says if say.language == "nl-BE"} == {"Google.nl-BE-Wavenet-A"}
        await call.say("een")
        places = await call.say("negen nul vier nul")
        assert "Dichtbij jou:" in places.spoken


async def test_voice_is_off_without_twilio_credentials(wired: Deps) -> None:
    settings = replace(wired.settings, twilio_auth_token="")
    async with app_client(settings, wired) as http:
        response = await http.post(VOICE_PATH, data={"CallSid": "CA1"})
        assert response.status_code == 503
