"""Send due outbox rows (helper messages, reminders, notifications) by SMS, WhatsApp and Telegram."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import datetime

from bot.channels.email.sender import EmailSender, email_unavailable
from bot.channels.telegram.sender import TelegramSender, telegram_unavailable
from bot.channels.twilio.sender import TwilioSender, twilio_unavailable
from bot.outbound.drain import DrainPolicy, drain
from bot.outbound.sending import Sender
from bot.runtime import Deps
from bot.settings import Settings


def senders_for(settings: Settings, stack: ExitStack) -> tuple[dict[str, Sender], dict[str, str]]:
    """The senders of the configured channels, and the reason each other channel cannot send."""
    unavailable = {
        **twilio_unavailable(settings),
        **telegram_unavailable(settings),
        **email_unavailable(settings),
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
    if "email" not in unavailable:
        senders["email"] = EmailSender(settings)
    return senders, unavailable


def policy_for(settings: Settings) -> DrainPolicy:
    """The rate limits per sender from the settings: spacing between two sends, and per Telegram chat."""
    return DrainPolicy(
        per_run_cap=settings.outbox_batch,
        spacing_seconds={"sms": 1.0 / settings.sms_per_second, "whatsapp": 1.0 / settings.whatsapp_per_second,
                         "telegram": 1.0 / settings.telegram_per_second, "email": 0.0},
        per_address_seconds={"telegram": settings.telegram_chat_seconds},
        template_available=bool(settings.twilio_whatsapp_template_sid),
    )


def run(deps: Deps, now: datetime) -> dict[str, int]:
    settings = deps.settings
    policy = policy_for(settings)
    with ExitStack() as stack:
        senders, unavailable = senders_for(settings, stack)
        return drain(deps.db, now, senders, unavailable=unavailable, policy=policy)
