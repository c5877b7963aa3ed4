"""`digibuur telegram set-webhook` and `digibuur telegram poll`."""

from __future__ import annotations

import argparse

from bot import logs
from bot.settings import Settings


def _set_webhook(_args: argparse.Namespace) -> int:
    from bot.channels.telegram.ops import set_webhook

    url = set_webhook(Settings.from_env())
    print(f"Telegram webhook set to {url} (with the secret token)")
    return 0


def _poll(_args: argparse.Namespace) -> int:
    from bot.channels.telegram.ops import poll
    from bot.runtime import build_deps

    settings = Settings.from_env()
    logs.setup(settings.log_level)
    poll(build_deps(settings, migrate=settings.database_url.startswith("sqlite")), settings)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    telegram = sub.add_parser("telegram", help="Telegram bot: register the webhook, or poll for local development")
    actions = telegram.add_subparsers(dest="telegram_command", required=True, metavar="ACTION")
    webhook = actions.add_parser(
        "set-webhook",
        help="register PUBLIC_BASE_URL + /webhooks/telegram with TELEGRAM_WEBHOOK_SECRET at the Bot API",
    )
    webhook.set_defaults(func=_set_webhook)
    poll = actions.add_parser(
        "poll",
        help="fetch updates by long polling (local development). Polling DELETES the bot's webhook: "
        "use a separate bot token, never the production bot.",
        description="Fetch updates by long polling and handle them like the webhook does. Polling deletes the "
        "bot's webhook at Telegram, so use a separate development bot (its own TELEGRAM_BOT_TOKEN), never the "
        "production bot. Stop with Ctrl-C.",
    )
    poll.set_defaults(func=_poll)
