"""Send one Reply through the Telegram Bot API: text with a reply keyboard, a location button, a venue pin."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import TelegramError

from bot.channels.text_split import split_text
from bot.content_base.languages import shipped_languages
from bot.content_base.yamlio import load_yaml_file
from bot.messages import Rendered, Reply
from bot.outbound.body import InlineButton
from bot.render import render

BUTTONS_FILE = Path(__file__).with_name("buttons.yaml")
TELEGRAM_MAX_CHARS = 4096
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


@cache
def _button_words() -> dict[str, dict[str, str]]:
    data = load_yaml_file(BUTTONS_FILE)
    return {key: value for key, value in data.items() if isinstance(value, dict)}


def button_label(key: str, language: str) -> str:
    """A button's words in the resident's language (else the picker's languages, else the source language)."""
    words = _button_words()[key]
    listed = shipped_languages()
    for code in (language, *listed.picker, listed.source):
        if words.get(code):
            return str(words[code])
    return next(iter(words.values()))


def has_keyboard(reply: Reply) -> bool:
    return bool(reply.options) or reply.ask_location or reply.ask_contact


def reply_markup(
    rendered: Rendered, language: str, inline: Sequence[Sequence[InlineButton]] = (), remove_keyboard: bool = False
) -> Markup | None:
    """Inline buttons when given; else one keyboard button per option (+ a "share my location" or "share my
    number" button)."""
    if inline:
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(b.text, callback_data=b.callback_data) for b in row] for row in inline]
        )
    rows = [[KeyboardButton(option.label)] for option in rendered.options]
    if rendered.ask_contact:
        rows.insert(0, [KeyboardButton(button_label("share_contact", language), request_contact=True)])
    if rendered.ask_location:
        rows.append([KeyboardButton(button_label("share_location", language), request_location=True)])
    if rows:
        return ReplyKeyboardMarkup(rows, one_time_keyboard=True, resize_keyboard=True)
    return ReplyKeyboardRemove() if remove_keyboard else None


class TelegramSendError(Exception):
    """Sending a reply failed; `text_sent` says whether all its text already went out (only the pin is left),
    `parts_sent` how many text parts went out before the failure (counting parts skipped as sent before)."""

    def __init__(self, cause: TelegramError, *, text_sent: bool, parts_sent: int = 0) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.text_sent = text_sent
        self.parts_sent = parts_sent


@dataclass(frozen=True)
class Sent:
    """What went out for one reply: the Telegram message id of the last message sent."""

    message_id: int | None


async def send_reply(
    bot: Bot,
    chat_id: int | str,
    reply: Reply,
    language: str,
    *,
    inline: Sequence[Sequence[InlineButton]] = (),
    remove_keyboard: bool = False,
    skip_parts: int = 0,
) -> Sent:
    """Send the reply's text (split at 4096 characters, keyboard on the last part), then its venue.
    `skip_parts` leaves out text parts that went out on an earlier try (the split is the same every time)."""
    rendered = render(reply, "telegram")
    markup = reply_markup(rendered, language, inline, remove_keyboard)
    last_id: int | None = None
    text_sent = False
    parts_sent = max(skip_parts, 0)
    try:
        if rendered.text.strip():
            parts = split_text(rendered.text, lambda part: len(part) <= TELEGRAM_MAX_CHARS)
            for index, part in enumerate(parts):
                if index < parts_sent:
                    continue
                last = index == len(parts) - 1
                message = await bot.send_message(chat_id=chat_id, text=part, reply_markup=markup if last else None)
                last_id = message.message_id
                parts_sent = index + 1
            text_sent = True
        if rendered.place is not None:
            place = rendered.place
            venue = await bot.send_venue(
                chat_id=chat_id,
                latitude=place.lat,
                longitude=place.lon,
                title=place.name,
                address=place.address or place.name,
            )
            last_id = venue.message_id
    except TelegramError as exc:
        raise TelegramSendError(exc, text_sent=text_sent, parts_sent=parts_sent) from exc
    return Sent(message_id=last_id)
