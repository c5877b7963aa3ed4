"""Twilio webhooks for SMS and WhatsApp: signature check first, then handle and answer inline as TwiML."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlparse
from weakref import WeakKeyDictionary

import anyio.to_thread
from anyio import CapacityLimiter
from anyio.to_thread import current_default_thread_limiter
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from starlette.datastructures import ImmutableMultiDict, MultiDict
from starlette.types import ASGIApp, Receive, Scope, Send
from twilio.request_validator import RequestValidator, add_port, compare, remove_port

from bot.channels.twilio.delivery_status import apply_status
from bot.channels.twilio.parse import parse_form
from bot.channels.twilio.twiml import twiml_reply
from bot.messages import Inbound, clean_fields
from bot.runtime import Deps
from bot.service import HandleResult, WriterBusy, finish_forget, handle
from bot.settings import Settings
from storage.db import transaction

log = logging.getLogger("digibuur.channels.twilio")

WEBHOOK_PATH = "/webhooks/twilio"
STATUS_PATH = "/webhooks/twilio/status"
SIGNATURE_HEADER = "X-Twilio-Signature"
XML = "application/xml"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "0.0.0.0", "::1")
FORM_TYPE = "application/x-www-form-urlencoded"
MAX_FIELDS = 200  # Twilio sends a few dozen


def twilio_enabled(settings: Settings) -> bool:
    """Inbound Twilio needs the auth token (to check signatures); without it the webhooks answer 503."""
    return bool(settings.twilio_auth_token)


def _path(request: Request) -> str:
    """`request.url.path` without building the URL when the raw path needs no escaping (the usual case)."""
    path: str = request.scope["path"]
    if path.startswith("//") or "?" in path or "#" in path or "\\" in path:
        return request.url.path
    return path


def signed_url(settings: Settings, request: Request) -> str:
    """The URL Twilio signed: the configured public base URL + path + raw query (correct behind a proxy)."""
    query = request.scope.get("query_string", b"").decode("latin-1")
    url = settings.public_base_url.rstrip("/") + _path(request)
    return f"{url}?{query}" if query else url


_VALIDATORS: dict[str, RequestValidator] = {}


def _validator(token: str) -> RequestValidator:
    validator = _VALIDATORS.get(token)
    if validator is None:
        validator = _VALIDATORS[token] = RequestValidator(token)
    return validator


@lru_cache(maxsize=64)
def _url_forms(url: str) -> tuple[str, str]:
    """The two forms of `url` twilio's `RequestValidator.validate` accepts a signature for (with and without the
    port), the form the URL is written in first: that is the one Twilio signs, the other is the fallback."""
    parsed = urlparse(url)
    with_port, without_port = add_port(parsed), remove_port(parsed)
    return (with_port, without_port) if parsed.port else (without_port, with_port)


def signature_matches(validator: RequestValidator, url: str, form: Mapping[str, str] | MultiDict,
                      signature: str) -> bool:
    """What `validator.validate(url, form, signature)` answers for a form (HMAC-SHA1 over either URL form), with
    one HMAC instead of two when the signature is over the URL as written (every request Twilio sends us)."""
    likely, other = _url_forms(url)
    values = _SignedValues.of(form)
    if compare(validator.compute_signature(likely, values), signature):
        return True
    return bool(compare(validator.compute_signature(other, values), signature))


class _SignedValues(dict[str, list[str]]):
    """A form's values per name in the shape twilio's validator asks for first (`getall`): it tries `getall`,
    then `getlist`, then a plain dict, catching an AttributeError for each name it reads from anything else."""

    @classmethod
    def of(cls, form: Mapping[str, str] | MultiDict) -> _SignedValues:
        values = cls()
        # every value of a repeated name (a starlette MultiDict or FormData; their items() keep only the last)
        pairs = form.multi_items() if isinstance(form, ImmutableMultiDict) else form.items()
        for name, value in pairs:
            values.setdefault(name, []).append(value)
        return values

    def getall(self, name: str) -> list[str]:
        return self[name]


def signature_ok(settings: Settings, request: Request, form: Mapping[str, str] | MultiDict) -> bool:
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not signature:
        return False
    return signature_matches(_validator(settings.twilio_auth_token), signed_url(settings, request), form, signature)


class NotAForm(ValueError):
    """The body is not the URL-encoded form Twilio sends."""


async def read_form(request: Request) -> MultiDict:
    """The body, read once (the size cap has been applied already), parsed as Twilio's URL-encoded form.

    Twilio never sends multipart or JSON to a messaging webhook; anything else is refused before the
    signature is computed, so no file part or odd value reaches the validator."""
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type not in ("", FORM_TYPE):
        raise NotAForm(f"unsupported content type {content_type!r}")
    raw = await request.body()
    try:
        text = raw.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=False, max_num_fields=MAX_FIELDS,
                          errors="strict")
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotAForm(str(exc)) from exc
    return MultiDict(pairs)


@dataclass(frozen=True)
class Handled:
    """The service's answer plus the ids of the logged replies (for status callback URLs)."""

    result: HandleResult
    reply_ids: tuple[int, ...]


def handle_inbound(inbound: Inbound, deps: Deps) -> Handled:
    """Run the service (synchronous: call it in a worker thread); it returns the ids of the logged replies."""
    return _handled(handle(inbound, deps))


def _handled(result: HandleResult) -> Handled:
    ids = result.reply_ids
    return Handled(result=result, reply_ids=ids if len(ids) == len(result.replies) else ())


async def handle_webhook(inbound: Inbound, deps: Deps) -> Handled:
    """The service's answer, stored before we answer Twilio: on SQLite handled right here when no other writer
    is busy and no worker thread is running (a short local turn: no thread hand-off), otherwise (PostgreSQL, a
    busy writer, a console page rendering in a worker thread) in a worker thread. A busy worker thread would
    make every database call of a turn on the event loop wait for the GIL, and every request wait with it."""
    if _thread_limiter().borrowed_tokens:
        return await _in_turn_thread(inbound, deps)
    try:
        result = handle(inbound, deps, wait=False)
    except WriterBusy:
        return await _in_turn_thread(inbound, deps)
    if result.forgotten:
        await run_in_threadpool(finish_forget, deps)
    return _handled(result)


async def _in_turn_thread(inbound: Inbound, deps: Deps) -> Handled:
    """The turn in a worker thread of the webhooks' own (as many as the console's, WEB_THREADS): a turn does not
    queue behind console pages rendering in the shared ones."""
    limiter = _per_loop(_TURN_LIMITERS, lambda: CapacityLimiter(_thread_limiter().total_tokens))
    return await anyio.to_thread.run_sync(handle_inbound, inbound, deps, limiter=limiter)


_TURN_LIMITERS: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = WeakKeyDictionary()
_LIMITERS: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter] = WeakKeyDictionary()


def _per_loop(limiters: WeakKeyDictionary[asyncio.AbstractEventLoop, CapacityLimiter],
              make: Callable[[], CapacityLimiter]) -> CapacityLimiter:
    """The running event loop's limiter in `limiters`, made once per loop."""
    loop = asyncio.get_running_loop()
    limiter = limiters.get(loop)
    if limiter is None:
        limiter = limiters[loop] = make()
    return limiter


def _thread_limiter() -> CapacityLimiter:
    """The running event loop's worker-thread limiter, remembered per loop: anyio looks up the async library on
    every call, about as long as the rest of the check."""
    return _per_loop(_LIMITERS, current_default_thread_limiter)


def status_callback_url(settings: Settings) -> str | None:
    """Where Twilio reports delivery; None when the public URL is a local address Twilio cannot reach."""
    return _status_callback_url(settings.public_base_url)


@lru_cache(maxsize=8)
def _status_callback_url(public_base_url: str) -> str | None:
    host = urlparse(public_base_url).hostname or ""
    if not host or host in LOCAL_HOSTS:
        return None
    return public_base_url.rstrip("/") + STATUS_PATH


def status_urls(settings: Settings, reply_ids: tuple[int, ...]) -> list[str | None]:
    """One status callback URL per inline reply, naming the logged reply (`m`) so the callback finds it."""
    base = status_callback_url(settings)
    return [f"{base}?m={message_id}" for message_id in reply_ids] if base else []


def _form_dict(form: MultiDict) -> dict[str, str]:
    return {key: value for key, value in form.items() if isinstance(value, str)}


def _hint(request: Request) -> int | None:
    raw = request.query_params.get("m", "")
    return int(raw) if raw.isdigit() else None


def _off() -> Response:
    return Response("Twilio channel is not configured (TWILIO_AUTH_TOKEN)", status_code=503, media_type="text/plain")


def _forbidden() -> Response:
    return Response("invalid Twilio signature", status_code=403, media_type="text/plain")


def _unsupported() -> Response:
    return Response("expected an application/x-www-form-urlencoded body", status_code=415, media_type="text/plain")


def router(deps: Deps, settings: Settings, app: FastAPI) -> APIRouter:
    """The Twilio webhook routes; they answer 503 when Twilio is not configured."""
    enabled = twilio_enabled(settings)
    if not enabled:
        log.warning("Twilio channel is off: TWILIO_AUTH_TOKEN is not set; %s answers 503", WEBHOOK_PATH)
    api = APIRouter()

    @api.post(WEBHOOK_PATH)
    async def twilio_webhook(request: Request) -> Response:
        if not enabled:
            return _off()
        try:
            form = await read_form(request)
        except NotAForm:
            return _unsupported()
        if not signature_ok(settings, request, form):
            return _forbidden()
        inbound = parse_form(_form_dict(form), deps.clock())
        if inbound is None:
            return Response("missing From", status_code=400, media_type="text/plain")
        handled = await handle_webhook(inbound, deps)
        replies = () if handled.result.opted_out else handled.result.replies
        body = twiml_reply(replies, inbound.address.channel, status_urls(settings, handled.reply_ids))
        return Response(body, media_type=XML)

    webhook_route = api.routes[-1]
    assert isinstance(webhook_route, APIRoute) and webhook_route.path == WEBHOOK_PATH
    app.add_middleware(WebhookFastPath, route=webhook_route)

    @api.post(STATUS_PATH)
    async def twilio_status(request: Request) -> Response:
        if not enabled:
            return _off()
        try:
            form = await read_form(request)
        except NotAForm:
            return _unsupported()
        if not signature_ok(settings, request, form):
            return _forbidden()
        fields = clean_fields(_form_dict(form))
        sid = fields.get("MessageSid") or fields.get("SmsSid") or ""
        status = fields.get("MessageStatus") or fields.get("SmsStatus") or ""
        if sid and status:
            await run_in_threadpool(_store_status, deps, sid, status, fields.get("ErrorCode"), _hint(request))
        return Response(status_code=204)

    return api


class WebhookFastPath:
    """Pure ASGI: `POST /webhooks/twilio` goes straight to its endpoint, past the router's matching and FastAPI's
    per-route wrappers (the route has no dependencies and raises no HTTPException); every other request, and the
    webhook under a root path, is routed as usual. Added first, so it sits inside all the app's middleware
    (request id, security headers, body limit, latency metrics): what wraps the webhook is unchanged."""

    def __init__(self, app: ASGIApp, route: APIRoute) -> None:
        self.app = app
        self.route = route
        self.endpoint = route.endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["path"] != WEBHOOK_PATH or scope["method"] != "POST"
                or scope.get("root_path")):
            await self.app(scope, receive, send)
            return
        scope["endpoint"] = self.endpoint
        scope["route"] = self.route
        scope["path_params"] = {}
        response = await self.endpoint(Request(scope, receive, send))
        await response(scope, receive, send)


def _store_status(deps: Deps, sid: str, status: str, error_code: str | None, hint: int | None) -> str:
    with transaction(deps.db) as session:
        return apply_status(session, sid, status, error_code, hint)
