"""The Twilio webhook: signed recorded payloads (SMS, WhatsApp text/location/media/button, STOP/START), 403s
that write nothing, duplicate MessageSids, TwiML splitting, and delivery status callbacks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlmodel import Session, select

from bot.channels.twilio.parse import parse_form
from bot.messages import Inbound, Option, Reply
from bot.render import render
from bot.runtime import Deps
from bot.service import HandleResult, handle
from guides.sms import segment_info
from storage import queries
from storage.models import Contact, Conversation, Message, Outbox
from tests.channels.conftest import PUBLIC, TWILIO_TOKEN, app_client, count, post_twilio, sign

PAYLOADS = yaml.safe_load((Path(__file__).parent / "payloads" / "twilio_inbound.yaml").read_text(encoding="utf-8"))
SMS_FORM: dict[str, str] = PAYLOADS["sms_text"]["steps"][0]["form"]


def messages(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.text)
    assert root.tag == "Response"
    return [element.text or "" for element in root.findall("Message")]


def sms(body: str, sid: str, sender: str = "+32470123456") -> dict[str, str]:
    return {**SMS_FORM, "Body": body, "MessageSid": sid, "SmsSid": sid, "SmsMessageSid": sid, "From": sender}


def contact(deps: Deps, channel: str, address: str) -> Contact | None:
    with Session(deps.db) as session:
        return queries.find_contact(session, channel, address)


@pytest.mark.parametrize("case", sorted(PAYLOADS))
async def test_recorded_payloads(case: str, client: httpx.AsyncClient, wired: Deps) -> None:
    expect: dict[str, Any] = {}
    for step in PAYLOADS[case]["steps"]:
        form = {key: str(value) for key, value in step["form"].items()}
        texts = messages(await post_twilio(client, form))
        assert len(texts) == step["messages"], texts
        joined = "\n".join(texts)
        for piece in step.get("reply_contains", []):
            assert piece in joined
        expect = step.get("expect", expect)
        row = contact(wired, expect["channel"], expect["address"])
        assert row is not None
        if "opted_out" in step:
            assert row.opted_out is step["opted_out"]


def test_parse_whatsapp_location_media_and_button() -> None:
    now = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
    location = parse_form(PAYLOADS["whatsapp_location"]["steps"][0]["form"], now)
    assert location is not None and location.location is not None
    assert (location.address.channel, location.address.id) == ("whatsapp", "+32478555666")
    assert (location.location.lat, location.location.lon) == (51.0543, 3.7174)
    assert location.location_label == "Sint-Baafskathedraal"
    assert location.external_id == "SM2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a01"
    media = parse_form(PAYLOADS["media_only"]["steps"][0]["form"], now)
    assert media is not None and media.has_media and media.text == ""
    button = parse_form(PAYLOADS["whatsapp_button"]["steps"][0]["form"], now)
    assert button is not None and button.payload == "menu" and button.text == "Menu"
    text = parse_form(SMS_FORM, now)
    assert text is not None and not text.has_media and text.address.channel == "sms"


Tamper = Callable[[dict[str, str]], tuple[dict[str, str], str]]
TAMPERS: dict[str, Tamper] = {
    "wrong token": lambda form: (form, sign(form, PUBLIC + "/webhooks/twilio", "not-the-token")),
    "wrong url": lambda form: (form, sign(form, "http://127.0.0.1:8000/webhooks/twilio")),
    "tampered body": lambda form: ({**form, "Body": "STOP"}, sign(form, PUBLIC + "/webhooks/twilio")),
    "added field": lambda form: ({**form, "Extra": "1"}, sign(form, PUBLIC + "/webhooks/twilio")),
    "no signature": lambda form: (form, ""),
}


@pytest.mark.parametrize("how", sorted(TAMPERS))
async def test_bad_signatures_are_refused_and_write_nothing(how: str, client: httpx.AsyncClient, wired: Deps) -> None:
    form, signature = TAMPERS[how](dict(SMS_FORM))
    headers = {"X-Twilio-Signature": signature} if signature else {}
    response = await client.post("/webhooks/twilio", data=form, headers=headers)
    assert response.status_code == 403
    status = await client.post(
        "/webhooks/twilio/status", data={"MessageSid": "SMx", "MessageStatus": "sent"}, headers=headers
    )
    assert status.status_code == 403
    assert count(wired, Message) == 0
    assert count(wired, Contact) == 0
    assert count(wired, Conversation) == 0


async def test_signature_covers_the_raw_query_string(client: httpx.AsyncClient, wired: Deps) -> None:
    form = sms("Hallo", "SM" + "7" * 32)
    path = "/webhooks/twilio?source=sms&x=a%20b"
    ok = await client.post(path, data=form, headers={"X-Twilio-Signature": sign(form, PUBLIC + path)})
    assert len(messages(ok)) == 1
    signed_without_query = sign(form, PUBLIC + "/webhooks/twilio")
    refused = await client.post(path, data=form, headers={"X-Twilio-Signature": signed_without_query})
    assert refused.status_code == 403


async def test_repeated_message_sid_gets_the_stored_reply_and_changes_nothing(
    client: httpx.AsyncClient, wired: Deps
) -> None:
    first = await post_twilio(client, sms("Hallo", "SM" + "1" * 32))
    await post_twilio(client, sms("2", "SM" + "2" * 32))
    rows_before = count(wired, Message)
    with Session(wired.db) as session:
        turns_before = session.exec(select(Conversation.turns)).one()
    again = await post_twilio(client, sms("Hallo", "SM" + "1" * 32))
    assert messages(again) == messages(first)
    assert count(wired, Message) == rows_before
    with Session(wired.db) as session:
        assert session.exec(select(Conversation.turns)).one() == turns_before


@pytest.mark.parametrize("keyword", ["STOP", "STOPPEN", "UIT", "ARRET", "UNSUBSCRIBE"])
async def test_stop_keywords_confirm_once_then_silence(keyword: str, client: httpx.AsyncClient, wired: Deps) -> None:
    assert len(messages(await post_twilio(client, sms("Hallo", "SM" + "a" * 32)))) == 1
    confirmation = messages(await post_twilio(client, sms(keyword, "SM" + "b" * 32)))
    assert len(confirmation) == 1 and "START" in confirmation[0]
    for number, text in enumerate(["Hallo", "help", "1"]):
        assert messages(await post_twilio(client, sms(text, f"SM{number:032d}"))) == []
    row = contact(wired, "sms", "+32470123456")
    assert row is not None and row.opted_out


LONG_REPLY = Reply(
    text=(
        "Digipunt De Serre, Rerum Novarumplein 10, 9000 Gent. Open vanaf 9u. Uren: di 13:30-17:00; "
        "vr 09:00-12:00 en 13:00-17:00; niet op feestdagen. Een begeleider helpt je. Gratis, zonder afspraak.\n"
        "Ontmoetingsplek in Nieuw Gent. Ook een Digibank: je kan er een toestel lenen. Tel 0490 44 65 42."
    ),
    options=(Option("1", "Route"), Option("2", "Andere Digipunten"), Option("3", "Menu")),
)


async def test_long_sms_reply_is_split_at_line_boundaries(
    client: httpx.AsyncClient, wired: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    def long_answer(inbound: Inbound, deps: Deps, **options: Any) -> HandleResult:
        real = handle(inbound, deps, **options)  # stored and deduplicated as usual; the answer is made long on purpose
        return replace(real, replies=(*real.replies, LONG_REPLY))

    monkeypatch.setattr("bot.channels.twilio.inbound.handle", long_answer)
    rendered = render(LONG_REPLY, "sms")
    assert rendered.segments > 2
    texts = messages(await post_twilio(client, sms("Hallo", "SM" + "e" * 32)))
    assert texts[-2:] == [LONG_REPLY.text, "1 Route  2 Andere Digipunten  3 Menu"]  # cut at a line break
    assert len(texts) == 3  # the greeting, then the long reply in two parts
    assert all(segment_info(text).segments <= 2 for text in texts)
    assert all(segment_info(text).encoding == "GSM-7" for text in texts)


async def test_status_callbacks_never_move_backwards(client: httpx.AsyncClient, wired: Deps) -> None:
    response = await post_twilio(client, sms("Hallo", "SM" + "f" * 32))
    root = ET.fromstring(response.text)
    action = root.find("Message").get("action")  # type: ignore[union-attr]
    assert action is not None and action.startswith(PUBLIC + "/webhooks/twilio/status?m=")
    message_id = int(action.rsplit("=", 1)[1])
    path = action[len(PUBLIC) :]
    sid = "SM" + "9" * 32
    for status in ["queued", "sent", "delivered", "sent", "sending"]:
        answer = await post_twilio(client, {"MessageSid": sid, "MessageStatus": status, "AccountSid": "AC1"}, path=path)
        assert answer.status_code == 204
    with Session(wired.db) as session:
        row = session.get(Message, message_id)
        assert row is not None
        assert (row.status, row.provider_id, row.direction) == ("delivered", sid, "out")
    # later callbacks find the row by provider id alone
    await post_twilio(client, {"MessageSid": sid, "MessageStatus": "read"}, path="/webhooks/twilio/status")
    with Session(wired.db) as session:
        assert session.get(Message, message_id).status == "read"  # type: ignore[union-attr]


async def test_status_callback_on_an_outbox_row_and_21610(client: httpx.AsyncClient, wired: Deps) -> None:
    await post_twilio(client, sms("Hallo", "SM" + "3" * 32))
    with Session(wired.db) as session:
        resident = queries.find_contact(session, "sms", "+32470123456")
        assert resident is not None
        row = Outbox(
            channel="sms",
            address="+32470123456",
            contact_id=resident.id,
            body={"text": "Hoi"},
            status="sent",
            provider_id="SM" + "4" * 32,
            attempts=1,
        )
        session.add(row)
        session.commit()
        outbox_id = row.id
    for status, code in [("sent", None), ("undelivered", "21610"), ("sending", None)]:
        form = {"MessageSid": "SM" + "4" * 32, "MessageStatus": status}
        if code:
            form["ErrorCode"] = code
        assert (await post_twilio(client, form, path="/webhooks/twilio/status")).status_code == 204
    with Session(wired.db) as session:
        stored = session.get(Outbox, outbox_id)
        assert stored is not None and stored.status == "undelivered" and "21610" in (stored.last_error or "")
        resident = queries.find_contact(session, "sms", "+32470123456")
        assert resident is not None and resident.opted_out
    # the engine also stays silent now, until START
    assert messages(await post_twilio(client, sms("Hallo", "SM" + "5" * 32))) == []


async def test_twilio_without_auth_token_answers_503(deps: Deps) -> None:
    settings = replace(deps.settings, twilio_auth_token="", public_base_url=PUBLIC)
    async with app_client(settings, deps) as http:
        form = dict(SMS_FORM)
        headers = {"X-Twilio-Signature": sign(form, PUBLIC + "/webhooks/twilio", TWILIO_TOKEN)}
        assert (await http.post("/webhooks/twilio", data=form, headers=headers)).status_code == 503
        assert (await http.post("/webhooks/twilio/status", data=form)).status_code == 503
    assert count(deps, Message) == 0


async def test_local_public_url_validates_but_asks_no_status_callbacks(wired: Deps) -> None:
    local = "http://127.0.0.1:8000"
    settings = replace(wired.settings, public_base_url=local)
    form = sms("Hallo", "SM" + "6" * 32)
    async with app_client(settings, wired) as http:
        response = await http.post(
            "/webhooks/twilio", data=form, headers={"X-Twilio-Signature": sign(form, local + "/webhooks/twilio")}
        )
    root = ET.fromstring(response.text)
    assert [m.get("action") for m in root.findall("Message")] == [None]


async def test_a_signature_over_the_url_with_the_default_port_is_accepted(client: httpx.AsyncClient,
                                                                          wired: Deps) -> None:
    form = sms("Hallo", "SM" + "5" * 32)  # PUBLIC has no port; twilio's validator also accepts it with :443
    response = await post_twilio(client, form, signed_url=PUBLIC.replace(".org", ".org:443") + "/webhooks/twilio")
    assert len(messages(response)) == 1


async def test_a_signature_over_the_url_without_its_port_is_accepted(wired: Deps) -> None:
    local = "http://127.0.0.1:8000"  # the configured URL has a port; twilio's validator also accepts it without
    settings = replace(wired.settings, public_base_url=local)
    form = sms("Hallo", "SM" + "4" * 32)
    async with app_client(settings, wired) as http:
        response = await post_twilio(http, form, signed_url="http://127.0.0.1/webhooks/twilio")
        refused = await post_twilio(http, form, signed_url="http://127.0.0.1:8001/webhooks/twilio")
    assert len(messages(response)) == 1
    assert refused.status_code == 403
