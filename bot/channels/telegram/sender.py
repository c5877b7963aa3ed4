"""Send outbox items through the Telegram Bot API from the (synchronous) drain job, on a private event loop."""

from __future__ import annotations

import asyncio
import logging
import warnings
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.request import HTTPXRequest

from bot.channels.telegram.send import TelegramSendError, send_reply
from bot.outbound.body import inline_buttons, parts_sent, place_only, reply_from_body, without_sent_parts
from bot.outbound.sending import OutboxItem, SendOutcome
from bot.settings import Settings

log = logging.getLogger("digibuur.channels.telegram_sender")


def telegram_unavailable(settings: Settings) -> dict[str, str]:
    """Why Telegram cannot be sent from the outbox (empty = it can)."""
    if not settings.telegram_bot_token:
        return {"telegram": "Telegram is not configured (TELEGRAM_BOT_TOKEN)"}
    return {}


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB warns while it moves retry_after from int to timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def never_reached_telegram(exc: TelegramError) -> bool:
    """A network error raised before the request left (no connection, connection pool full)."""
    cause = exc.__cause__
    return isinstance(cause, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


def classify(exc: TelegramError) -> SendOutcome:
    """RetryAfter, an error answer from the Bot API and no connection are retried; a blocked bot or a bad
    request are final; a timeout or a connection lost after sending is an unknown outcome (never resent)."""
    error = f"telegram {type(exc).__name__}: {exc.message}"[:500]
    if isinstance(exc, RetryAfter):
        return SendOutcome("retry", error=error, retry_after=retry_after_seconds(exc))
    if isinstance(exc, (Forbidden, BadRequest)):
        return SendOutcome("failed", error=error)
    if isinstance(exc, (TimedOut, NetworkError)) and exc.__cause__ is not None and not isinstance(
        exc.__cause__, TelegramError
    ):
        # raised by the HTTP layer, not an error answer from Telegram
        return SendOutcome("retry" if never_reached_telegram(exc) else "unknown", error=error)
    return SendOutcome("retry", error=error)  # Telegram answered with an error (5xx): it did not take the message


def after_failure(body: dict[str, Any], exc: TelegramSendError) -> SendOutcome:
    """The outcome of a failed send, with the body left to send when some of it already went out."""
    outcome = classify(exc.cause)
    if outcome.status != "retry":
        return outcome
    if exc.text_sent:
        remaining: dict[str, Any] | None = place_only(body)
    elif exc.parts_sent > parts_sent(body):
        remaining = without_sent_parts(body, exc.parts_sent)
    else:
        remaining = None
    return SendOutcome("retry", error=outcome.error, retry_after=outcome.retry_after, remaining_body=remaining)


class TelegramSender:
    """Builds the Bot on first use; `close()` shuts it down and closes the loop."""

    def __init__(self, settings: Settings, *, read_timeout: float | None = None) -> None:
        self.settings = settings
        self.read_timeout = read_timeout
        self.loop: asyncio.AbstractEventLoop | None = None
        self.bot: Bot | None = None
        self.broken: SendOutcome | None = None

    def _ready(self) -> Bot | None:
        if self.bot is not None:
            return self.bot
        if self.broken is not None:
            return None
        self.loop = asyncio.new_event_loop()
        request = HTTPXRequest(read_timeout=self.read_timeout) if self.read_timeout is not None else None
        bot = Bot(self.settings.telegram_bot_token, base_url=self.settings.telegram_api_base_url, request=request)
        try:
            self.loop.run_until_complete(bot.initialize())
        except TelegramError as exc:
            # nothing of ours was sent yet (e.g. a wrong token, or getMe timed out): try again next run
            outcome = classify(exc)
            self.broken = SendOutcome("retry", error=outcome.error, retry_after=outcome.retry_after)
            log.warning("Telegram Bot API not reachable from the outbox drain: %s", type(exc).__name__)
            return None
        self.bot = bot
        return bot

    def send(self, item: OutboxItem) -> SendOutcome:
        bot = self._ready()
        if bot is None or self.loop is None:
            return self.broken or SendOutcome("retry", error="Telegram bot not ready")
        reply = reply_from_body(item.body)
        try:
            sent = self.loop.run_until_complete(
                send_reply(
                    bot,
                    item.address,
                    reply,
                    item.language,
                    inline=inline_buttons(item.body),
                    skip_parts=parts_sent(item.body),
                )
            )
        except TelegramSendError as exc:
            return after_failure(item.body, exc)
        return SendOutcome("sent", provider_id=str(sent.message_id) if sent.message_id is not None else None)

    def close(self) -> None:
        if self.loop is None:
            return
        try:
            if self.bot is not None:
                self.loop.run_until_complete(self.bot.shutdown())
        finally:
            self.loop.close()
            self.loop = None
            self.bot = None
