"""Telegram operations for the CLI: register the webhook, or poll for updates during local development."""

from __future__ import annotations

import asyncio
import re

from telegram import Bot, Update
from telegram.ext import ContextTypes, TypeHandler

from bot.channels.telegram.inbound import (
    ALLOWED_UPDATES,
    LINK_TRIES_PER_MINUTE,
    WEBHOOK_PATH,
    TelegramApplication,
    build_application,
    process_update,
)
from bot.runtime import Deps
from bot.settings import Settings, SettingsError
from bot.web.rate_limit import RateLimiter

SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


def webhook_url(settings: Settings) -> str:
    return settings.public_base_url.rstrip("/") + WEBHOOK_PATH


def check_webhook_settings(settings: Settings) -> None:
    if not settings.telegram_bot_token:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set")
    if not SECRET_PATTERN.match(settings.telegram_webhook_secret):
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters: letters, digits, _ and -")
    if not settings.public_base_url.startswith("https://"):
        url = settings.public_base_url
        raise SettingsError(f"PUBLIC_BASE_URL must be https:// for a Telegram webhook, got {url!r}")


async def _set_webhook(settings: Settings) -> str:
    url = webhook_url(settings)
    async with Bot(settings.telegram_bot_token, base_url=settings.telegram_api_base_url) as bot:
        await bot.set_webhook(
            url=url, secret_token=settings.telegram_webhook_secret, allowed_updates=list(ALLOWED_UPDATES)
        )
    return url


def set_webhook(settings: Settings) -> str:
    """Register PUBLIC_BASE_URL + /webhooks/telegram with the secret token; returns the URL registered."""
    check_webhook_settings(settings)
    return asyncio.run(_set_webhook(settings))


def polling_application(deps: Deps, settings: Settings) -> TelegramApplication:
    """An Application with an updater whose only handler feeds every update to the webhook's handling code."""
    if not settings.telegram_bot_token:
        raise SettingsError("TELEGRAM_BOT_TOKEN is not set")
    application = build_application(settings, with_updater=True)
    link_limiter = RateLimiter(LINK_TRIES_PER_MINUTE)

    async def on_update(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update):
            await process_update(update, context.bot, deps, link_limiter)

    application.add_handler(TypeHandler(Update, on_update))
    return application


def poll(deps: Deps, settings: Settings) -> None:
    """Long-poll the Bot API until Ctrl-C (this deletes the bot's webhook at Telegram)."""
    polling_application(deps, settings).run_polling(allowed_updates=list(ALLOWED_UPDATES))
