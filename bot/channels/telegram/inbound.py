"""Telegram webhook: secret-token check, handle the update before answering 200, then reply through the Bot API."""

from __future__ import annotations

import hmac
import importlib
import inspect
import json
import logging
import time
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import Application

from bot.channels.telegram.parse import ClaimPress, LinkRequest, parse_update, update_problem
from bot.channels.telegram.send import TelegramSendError, has_keyboard, send_reply
from bot.channels.telegram.sender import after_failure
from bot.messages import Reply
from bot.outbound.body import body_from_reply
from bot.runtime import Deps
from bot.service import handle, reply_from_log
from bot.settings import Settings
from bot.web.rate_limit import RateLimiter
from storage import queries
from storage.db import transaction

log = logging.getLogger("digibuur.channels.telegram")

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
CLAIMS_MODULE = "handoff.telegram_claims"
ALLOWED_UPDATES = ("message", "callback_query")
CALLBACK_ANSWER_MAX = 200
INIT_RETRY_SECONDS = 30.0
LINK_TRIES_PER_MINUTE = 5
TelegramApplication = Application[Any, Any, Any, Any, Any, Any]


def telegram_enabled(settings: Settings) -> bool:
    """The webhook needs both the bot token and the webhook secret; without them it answers 503."""
    return bool(settings.telegram_bot_token and settings.telegram_webhook_secret)


def secret_ok(settings: Settings, given: str | None) -> bool:
    """Constant-time comparison of the secret-token header with TELEGRAM_WEBHOOK_SECRET."""
    return hmac.compare_digest((given or "").encode("utf-8"), settings.telegram_webhook_secret.encode("utf-8"))


def build_application(settings: Settings, *, with_updater: bool = False) -> TelegramApplication:
    """A PTB Application used as a client only (no updater, no update queue) unless polling."""
    builder = Application.builder().token(settings.telegram_bot_token).base_url(settings.telegram_api_base_url)
    if not with_updater:
        builder = builder.updater(None)
    application: TelegramApplication = builder.build()
    return application


class TelegramRuntime:
    """The process's Bot, started and stopped in the app lifespan; initialisation is retried if it failed."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.application: TelegramApplication | None = None
        self.initialized = False
        self.retry_at = 0.0  # monotonic time before which a failed initialisation is not retried

    async def start(self) -> None:
        self.application = build_application(self.settings)
        await self._initialize()

    async def _initialize(self) -> None:
        assert self.application is not None
        if time.monotonic() < self.retry_at:
            return
        try:
            await self.application.initialize()
            self.initialized = True
        except (TelegramError, OSError) as exc:
            self.retry_at = time.monotonic() + INIT_RETRY_SECONDS
            log.error("Telegram Bot API not reachable (%s); replies go to the outbox until it is", type(exc).__name__)

    async def bot(self) -> Bot:
        if self.application is None:
            self.application = build_application(self.settings)
        if not self.initialized:
            await self._initialize()
        return self.application.bot  # type: ignore[no-any-return]

    async def stop(self) -> None:
        if self.application is not None and self.initialized:
            await self.application.shutdown()
        self.initialized = False


async def answer_callback(bot: Bot, callback_query_id: str, text: str = "") -> None:
    """Always answer a button press (the phone shows a spinner until we do); failures are only logged."""
    try:
        await bot.answer_callback_query(callback_query_id, text=text[:CALLBACK_ANSWER_MAX] or None)
    except TelegramError as exc:
        log.warning("answering a callback query failed: %s", type(exc).__name__)


async def run_claim(deps: Deps, claim: ClaimPress) -> str:
    """Hand a claim press to handoff.telegram_claims.handle_claim when that module exists."""
    try:
        module = importlib.import_module(CLAIMS_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != CLAIMS_MODULE:
            raise
        log.warning("claim button pressed but %s is not installed", CLAIMS_MODULE)
        return ""
    function = getattr(module, "handle_claim", None)
    if function is None:
        return ""
    result = await run_in_threadpool(
        lambda: function(deps, claim.ticket_code, claim.telegram_user_id, claim.display_name, deps.clock(),
                         chat_id=claim.chat_id)
    )
    if inspect.isawaitable(result):
        result = await result
    return str(result or "")


def queue_for_retry(deps: Deps, chat_id: str, bodies: Sequence[dict[str, Any]]) -> None:
    """Replies that could not be sent now go to the outbox, which retries them."""
    with transaction(deps.db) as session:
        contact = queries.find_contact(session, "telegram", chat_id)
        for body in bodies:
            row = queries.enqueue(
                session, "telegram", chat_id, body, contact_id=contact.id if contact else None, purpose="reply"
            )
            row.next_attempt_at = deps.clock()  # due now, on the service's clock
            session.add(row)


async def run_link(bot: Bot, deps: Deps, link: LinkRequest, limiter: RateLimiter) -> None:
    """`/link CODE` from a helper: link their account (a few tries per minute per Telegram user) and answer."""
    try:
        module = importlib.import_module(CLAIMS_MODULE)
    except ModuleNotFoundError:
        return
    if limiter.allow(str(link.telegram_user_id)):
        text = await run_in_threadpool(module.handle_link, deps, link.code, link.telegram_user_id, deps.clock(),
                                       link.language)
    else:
        texts = module.helper_texts()
        text = texts.get(link.language if link.language in texts.sentences else "nl", "link_refused")
    try:
        await bot.send_message(chat_id=link.chat_id, text=str(text))
    except TelegramError as exc:
        log.warning("answering /link failed: %s", type(exc).__name__)


def _record_delivery(deps: Deps, ids: Sequence[int], sent: int) -> None:
    with transaction(deps.db) as session:
        queries.mark_replies(session, list(ids[:sent]), "delivered")
        queries.mark_replies(session, list(ids[sent:]), "queued")


STALE_CLAIM = timedelta(minutes=2)  # a delivery claimed longer ago than this died: a repeated update resends


def _unsent(deps: Deps, ids: Sequence[int]) -> tuple[tuple[int, ...], tuple[Reply, ...]]:
    """The logged replies that never went out, claimed for this delivery (a concurrent one sends the rest)."""
    with transaction(deps.db) as session:
        claimed = queries.claim_replies(session, list(ids), deps.clock() - STALE_CLAIM)
        rows = queries.unsent_replies(session, claimed, claimed=True)
        return tuple(row.id for row in rows if row.id is not None), tuple(reply_from_log(row) for row in rows)


def _claim(deps: Deps, ids: Sequence[int]) -> tuple[int, ...]:
    with transaction(deps.db) as session:
        return tuple(queries.claim_replies(session, list(ids), deps.clock() - STALE_CLAIM))


async def deliver_logged(bot: Bot, deps: Deps, chat_id: str, replies: Sequence[Reply], ids: Sequence[int],
                         language: str) -> None:
    """Send logged replies and record it on their log rows (delivered, or queued in the outbox)."""
    queued = await deliver(bot, deps, chat_id, replies, language)
    if ids and len(ids) == len(replies):
        await run_in_threadpool(_record_delivery, deps, ids, len(replies) - queued)


async def deliver(bot: Bot, deps: Deps, chat_id: str, replies: Sequence[Reply], language: str) -> int:
    """Send the replies in order; on the first failure queue it and the rest. Returns how many were queued."""
    any_keyboard = any(has_keyboard(reply) for reply in replies)
    for index, reply in enumerate(replies):
        last = index == len(replies) - 1
        try:
            await send_reply(bot, chat_id, reply, language, remove_keyboard=last and not any_keyboard)
        except Exception as exc:
            body = body_from_reply(reply)
            outcome = after_failure(body, exc) if isinstance(exc, TelegramSendError) else None
            rest = [body_from_reply(r) for r in replies[index + 1 :]]
            if outcome is not None and outcome.status != "retry":  # perhaps delivered: never send it twice
                log.warning("Telegram send failed (%s): %s; the rest is queued", type(exc).__name__, outcome.status)
                bodies = rest
            else:
                log.warning("Telegram send failed (%s); queued for retry", type(exc).__name__)
                bodies = [(outcome.remaining_body if outcome else None) or body, *rest]
            await run_in_threadpool(queue_for_retry, deps, chat_id, bodies)
            return len(bodies)
    return 0


async def process_update(update: Update, bot: Bot, deps: Deps, link_limiter: RateLimiter | None = None) -> None:
    """Handle one update completely (stored, answered, replies sent or queued). Same code for webhook and polling.
    A repeated update (Telegram delivers again after a crash) gets the logged replies that never went out."""
    parsed = parse_update(update, deps.clock())
    if parsed.link is not None:
        await run_link(bot, deps, parsed.link, link_limiter or RateLimiter(LINK_TRIES_PER_MINUTE))
        return
    if parsed.claim is not None:
        text = await run_claim(deps, parsed.claim)
        await answer_callback(bot, parsed.claim.callback_query_id, text)
        return
    if parsed.inbound is None:
        if parsed.callback_query_id:
            await answer_callback(bot, parsed.callback_query_id)
        return
    result = await run_in_threadpool(handle, parsed.inbound, deps)
    if parsed.callback_query_id:
        await answer_callback(bot, parsed.callback_query_id)
    if result.opted_out or not result.replies:
        return
    chat_id = parsed.inbound.address.id
    if result.duplicate:
        ids, replies = await run_in_threadpool(_unsent, deps, result.reply_ids)
        if replies:
            log.info("repeated update: sending %d logged replies that never went out", len(replies))
            await deliver_logged(bot, deps, chat_id, replies, ids, result.language)
        return
    if result.reply_ids and len(result.reply_ids) == len(result.replies):
        claimed = await run_in_threadpool(_claim, deps, result.reply_ids)
        if claimed != tuple(result.reply_ids):  # a repeated update got there first and sends them
            return
    await deliver_logged(bot, deps, chat_id, result.replies, result.reply_ids, result.language)


def _off() -> Response:
    return Response(
        "Telegram channel is not configured (TELEGRAM_BOT_TOKEN, TELEGRAM_WEBHOOK_SECRET)",
        status_code=503,
        media_type="text/plain",
    )


def router(deps: Deps, settings: Settings, app: FastAPI) -> APIRouter:
    """The Telegram webhook route; it answers 503 when Telegram is not configured."""
    enabled = telegram_enabled(settings)
    api = APIRouter()
    runtime: TelegramRuntime | None = None
    link_limiter = RateLimiter(LINK_TRIES_PER_MINUTE)
    if enabled:
        runtime = TelegramRuntime(settings)
        app.state.telegram = runtime
        app.state.startup_hooks.append(runtime.start)
        app.state.shutdown_hooks.append(runtime.stop)
    else:
        missing = [
            name
            for name, value in (
                ("TELEGRAM_BOT_TOKEN", settings.telegram_bot_token),
                ("TELEGRAM_WEBHOOK_SECRET", settings.telegram_webhook_secret),
            )
            if not value
        ]
        log.warning("Telegram channel is off: %s not set; %s answers 503", " and ".join(missing), WEBHOOK_PATH)

    @api.post(WEBHOOK_PATH)
    async def telegram_webhook(request: Request) -> Response:
        if runtime is None:
            return _off()
        if not secret_ok(settings, request.headers.get(SECRET_HEADER)):
            return Response("invalid secret token", status_code=403, media_type="text/plain")
        try:
            data = json.loads(await request.body())
        except (ValueError, RecursionError):
            return Response("invalid JSON", status_code=400, media_type="text/plain")
        if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
            return Response("not a Telegram update", status_code=400, media_type="text/plain")
        problem = update_problem(data)
        bot = await runtime.bot()
        try:
            update = None if problem else Update.de_json(data, bot)
        except (TypeError, KeyError, ValueError, AttributeError) as exc:
            problem = f"unreadable update ({type(exc).__name__})"
        if update is None:
            # signed by Telegram but not something we can act on: answer 200 so it is not delivered again
            log.warning("Telegram update ignored: %s", problem)
            return JSONResponse({"ok": True})
        await process_update(update, bot, deps, link_limiter)
        return JSONResponse({"ok": True})

    return api
