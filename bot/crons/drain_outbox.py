"""Send due outbox rows (helper messages, reminders, notifications) by SMS, WhatsApp and Telegram."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime

from bot.channels.outbox import DrainPolicy, Sender, drain
from bot.channels.telegram_sender import TelegramSender, telegram_unavailable
from bot.channels.twilio_sender import TwilioSender, twilio_unavailable
from bot.service import Deps
from bot.settings import Settings


def senders_for(settings: Settings, stack: ExitStack) -> tuple[dict[str, Sender], dict[str, str]]:
    """The senders of the configured channels, and the reason each other channel cannot send."""
    unavailable = {
        **twilio_unavailable(settings),
        **telegram_unavailable(settings),
        "console": "the console channel has no way to deliver later messages",
    }
    senders: dict[str, Sender] = {}
    if "sms" not in unavailable or "whatsapp" not in unavailable:
        twilio = TwilioSender(settings)
        for channel in ("sms", "whatsapp"):
            if channel not in unavailable:
                senders[channel] = twilio
    if "telegram" not in unavailable:
        telegram = TelegramSender(settings)
        stack.callback(telegram.close)
        senders["telegram"] = telegram
    return senders, unavailable


def run(deps: Deps, now: datetime) -> dict[str, int]:
    settings = deps.settings
    policy = DrainPolicy(template_available=bool(settings.twilio_whatsapp_template_sid))
    with ExitStack() as stack:
        senders, unavailable = senders_for(settings, stack)
        return drain(deps.db, now, senders, unavailable=unavailable, policy=policy)
