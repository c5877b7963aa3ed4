"""Twilio Voice: a call comes in and every keypress arrives here, signed exactly like the SMS webhook (same
helper, checked first); the service answers, TwiML speaks. Call status callbacks are stored for the dashboard."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

import phonenumbers
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import MultiDict

from bot.channels.twilio.inbound import XML, NotAForm, read_form, signature_ok, twilio_enabled
from bot.channels.twilio.voice_twiml import Voice, voice_twiml
from bot.content.library import Library
from bot.flows.voice_common import CHANNEL, SPEECH, START, WITHHELD_PREFIX
from bot.messages import Address, Inbound, Reply, clean_fields
from bot.runtime import Deps
from bot.service import handle
from bot.settings import Settings
from storage.db import transaction
from storage.voice_calls import record_status

log = logging.getLogger("digibuur.channels.twilio_voice")

VOICE_PATH = "/webhooks/twilio/voice"
VOICE_STATUS_PATH = "/webhooks/twilio/voice/status"
TURN = "t"  # the query parameter naming the turn a keypress answers (absent: the call has just come in)
# What carriers and Twilio put in From when the caller hides their number: words, and the same words typed on a
# phone keypad (ANONYMOUS, RESTRICTED, UNAVAILABLE, UNKNOWN, BLOCKED). Anything that is not a valid number is
# treated the same way: nothing is ever sent to it.
WITHHELD = frozenset({"", "anonymous", "restricted", "private", "unknown", "unavailable", "blocked", "withheld",
                      "+266696687", "+7378742833", "+86282452253", "+8656696", "+2562533"})


def caller_address(raw_from: str, call_sid: str) -> Address:
    """The caller's E.164 number, or withheld:<CallSid> (one conversation per call) when it is hidden."""
    value = raw_from.strip()
    if value.lower() not in WITHHELD and value.startswith("+"):
        try:
            parsed = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            parsed = None
        if parsed is not None and phonenumbers.is_valid_number(parsed):
            return Address(CHANNEL, str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)))
    return Address(CHANNEL, f"{WITHHELD_PREFIX}{call_sid}")


def parse_call(form: Mapping[str, str], turn: str | None, received_at: datetime) -> Inbound | None:
    """One webhook of a call as an Inbound: the keys pressed (or what was said), or the call's start.
    The external id (CallSid, turn, keys) makes a retried delivery of the same action a duplicate."""
    form = clean_fields(form)
    call_sid = (form.get("CallSid") or "").strip()
    if not call_sid:
        return None
    digits = "".join(ch for ch in form.get("Digits", "") if ch in "0123456789*#")
    said = (form.get("SpeechResult") or "").strip()
    if turn is None:
        payload, text = START, ""
    elif digits or not said:
        payload, text = None, digits
    else:
        payload, text = SPEECH, said[:200]
    return Inbound(
        address=caller_address(form.get("From", ""), call_sid),
        text=text,
        received_at=received_at,
        external_id=f"{call_sid}:{turn or 'start'}:{text}"[:128],
        payload=payload,
        call_id=call_sid,
    )


def voices(settings: Settings, library: Library) -> dict[str, Voice]:
    """Locale and voice per language from the language list; VOICE_TTS_VOICE for the source language. A
    language without a voice is spoken by the source language's (its flow says so)."""
    catalogue = library.texts.catalogue
    found: dict[str, Voice] = {}
    for language in catalogue.languages:
        if language.voice_locale and language.voice_name:
            found[language.code] = (language.voice_locale, language.voice_name)
    source = found.get(catalogue.source, ("nl-BE", settings.voice_tts_voice))
    found[catalogue.source] = (source[0], settings.voice_tts_voice or source[1])
    return found


def answer(settings: Settings, library: Library, replies: tuple[Reply, ...]) -> str:
    """The TwiML for the service's replies: action URLs under the public base URL (what Twilio signs)."""
    known = voices(settings, library)
    fallback = known[library.texts.catalogue.source]
    base = settings.public_base_url.rstrip("/") + VOICE_PATH
    return voice_twiml(
        replies,
        action_url=lambda turn: f"{base}?{TURN}={turn}",
        voice_for=lambda code: known.get(code, fallback),
        speech=settings.voice_speech,
    )


def _form_dict(form: MultiDict) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _duration(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def router(deps: Deps, settings: Settings, app: FastAPI) -> APIRouter:
    """The voice routes; 503 when Twilio is not configured, 403 (and nothing stored) on a wrong signature."""
    enabled = twilio_enabled(settings)
    api = APIRouter()

    def refused(status: int, text: str) -> Response:
        return Response(text, status_code=status, media_type="text/plain")

    async def signed_form(request: Request) -> MultiDict | Response:
        """The webhook's form, or the refusal: 503 when off, 415 when not a form, 403 on a wrong signature."""
        if not enabled:
            return refused(503, "Twilio channel is not configured (TWILIO_AUTH_TOKEN)")
        try:
            form = await read_form(request)
        except NotAForm:
            return refused(415, "expected an application/x-www-form-urlencoded body")
        if not signature_ok(settings, request, form):
            return refused(403, "invalid Twilio signature")
        return form

    @api.post(VOICE_PATH)
    async def twilio_voice(request: Request) -> Response:
        form = await signed_form(request)
        if isinstance(form, Response):
            return form
        turn = request.query_params.get(TURN)
        inbound = parse_call(_form_dict(form), turn if turn and turn.isdigit() else None, deps.clock())
        if inbound is None:
            return refused(400, "missing CallSid")
        result = await run_in_threadpool(handle, inbound, deps)
        return Response(answer(settings, deps.library(), result.replies), media_type=XML)

    @api.post(VOICE_STATUS_PATH)
    async def twilio_voice_status(request: Request) -> Response:
        form = await signed_form(request)
        if isinstance(form, Response):
            return form
        fields = clean_fields(_form_dict(form))
        sid, status = fields.get("CallSid", "").strip(), fields.get("CallStatus", "").strip().lower()
        if sid and status:
            await run_in_threadpool(_store_status, deps, sid, status, _duration(fields.get("CallDuration")))
        return Response(status_code=204)

    return api


def _store_status(deps: Deps, sid: str, status: str, duration: int | None) -> None:
    with transaction(deps.db) as session:
        record_status(session, sid, status, duration, deps.clock())
