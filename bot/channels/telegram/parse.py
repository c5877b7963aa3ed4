"""Turn a Telegram Update into what digibuur acts on: a resident's Inbound, a helper's claim press, or nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from telegram import Message, Update

from bot.messages import Address, GeoPoint, Inbound, clean_text

CLAIM_PREFIX = "claim:"
LINK_COMMAND = re.compile(r"^/link(?:@\w+)?(?:\s+(.*))?$", re.IGNORECASE | re.DOTALL)
MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post")


@dataclass(frozen=True)
class ClaimPress:
    """A helper pressed "claim" under a ticket announcement in a helper group chat."""

    callback_query_id: str
    ticket_code: str
    telegram_user_id: int
    display_name: str
    chat_id: int | None = None  # the chat of the announcement the button is under


@dataclass(frozen=True)
class LinkRequest:
    """A helper sent `/link CODE` to the bot in a private chat, to link their account."""

    code: str
    telegram_user_id: int
    chat_id: int
    language: str = "nl"


@dataclass(frozen=True)
class Parsed:
    """One update: at most one of inbound / claim / link; `callback_query_id` is set for every button press."""

    inbound: Inbound | None = None
    claim: ClaimPress | None = None
    callback_query_id: str | None = None
    link: LinkRequest | None = None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _user_problem(value: Any, where: str) -> str | None:
    if not isinstance(value, dict) or not _is_int(value.get("id")):
        return f"{where} without a user id"
    return None


def _message_problem(value: Any, where: str) -> str | None:
    if not isinstance(value, dict):
        return f"{where} is not an object"
    chat = value.get("chat")
    if not isinstance(chat, dict) or not _is_int(chat.get("id")) or not isinstance(chat.get("type"), str):
        return f"{where} without a chat"
    for name in ("text", "caption"):
        if name in value and not isinstance(value[name], str):
            return f"{where}.{name} is not a string"
    if "from" in value:
        return _user_problem(value["from"], f"{where}.from")
    return None


def update_problem(data: dict[str, Any]) -> str | None:
    """Why a (correctly signed) update cannot be read safely, or None when it can: a message needs a chat and
    string texts, a button press needs an id and a sender. Checked before python-telegram-bot parses it."""
    for kind in MESSAGE_KINDS:
        if kind in data:
            problem = _message_problem(data[kind], kind)
            if problem:
                return problem
    if "callback_query" in data:
        query = data["callback_query"]
        if not isinstance(query, dict) or not isinstance(query.get("id"), str):
            return "callback_query without an id"
        problem = _user_problem(query.get("from"), "callback_query.from")
        if problem:
            return problem
        if "data" in query and not isinstance(query["data"], str):
            return "callback_query.data is not a string"
        if "message" in query:
            return _message_problem(query["message"], "callback_query.message")
    return None


def external_id(update: Update) -> str:
    return f"tg-update-{update.update_id}"


def _has_media(message: Message) -> bool:
    return any(
        (
            message.photo,
            message.document,
            message.voice,
            message.audio,
            message.video,
            message.video_note,
            message.sticker,
            message.animation,
            message.contact,
        )
    )


def _link_request(message: Message) -> LinkRequest | None:
    found = LINK_COMMAND.match((message.text or "").strip())
    if found is None or message.from_user is None:
        return None
    return LinkRequest(code=(found.group(1) or "").strip()[:64], telegram_user_id=message.from_user.id,
                       chat_id=message.chat.id, language=(message.from_user.language_code or "nl")[:2])


def _shared_number(raw: str) -> str:
    """A shared contact's number as the resident would type it: Telegram sends it in international form, with
    or without the '+'."""
    digits = "".join(char for char in raw if char.isdigit())
    return f"+{digits}" if digits else ""


def _from_message(update: Update, message: Message, received_at: datetime) -> Inbound | None:
    if message.chat.type != "private":
        return None  # group chats are for helpers: only their claim buttons matter
    address = Address("telegram", str(message.chat.id))
    text = clean_text(message.text or message.caption or "").strip()
    if not text and message.contact is not None and message.contact.phone_number:
        text = _shared_number(message.contact.phone_number)  # the "share my number" button, or a contact card
    location = None
    label = None
    if message.venue is not None:
        location = GeoPoint(message.venue.location.latitude, message.venue.location.longitude)
        label = clean_text(message.venue.title or message.venue.address or "") or None
    elif message.location is not None:
        location = GeoPoint(message.location.latitude, message.location.longitude)
    return Inbound(
        address=address,
        text=text,
        received_at=received_at,
        external_id=external_id(update),
        location=location,
        location_label=label,
        has_media=not text and location is None and _has_media(message),
    )


def parse_update(update: Update, received_at: datetime) -> Parsed:
    """What an update means for digibuur; edits, channel posts and group chatter are ignored."""
    query = update.callback_query
    if query is not None:
        data = clean_text(query.data or "")
        if data.startswith(CLAIM_PREFIX):
            user = query.from_user
            chat = query.message.chat if query.message is not None else None
            claim = ClaimPress(
                callback_query_id=query.id,
                ticket_code=data[len(CLAIM_PREFIX) :].strip()[:32],
                telegram_user_id=user.id,
                display_name=clean_text(user.full_name or user.username or str(user.id)),
                chat_id=chat.id if chat is not None else None,
            )
            return Parsed(claim=claim, callback_query_id=query.id)
        chat = update.effective_chat
        if not data or (chat is not None and chat.type != "private"):
            return Parsed(callback_query_id=query.id)
        chat_id = chat.id if chat is not None else query.from_user.id
        inbound = Inbound(
            address=Address("telegram", str(chat_id)),
            text=data,
            received_at=received_at,
            external_id=external_id(update),
            payload=data,
        )
        return Parsed(inbound=inbound, callback_query_id=query.id)
    message = update.message
    if message is None:
        return Parsed()
    if message.chat.type == "private":
        link = _link_request(message)
        if link is not None:
            return Parsed(link=link)
    return Parsed(inbound=_from_message(update, message, received_at))
