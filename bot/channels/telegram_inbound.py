"""Turn a Telegram Update into what digibuur acts on: a resident's Inbound, a helper's claim press, or nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from telegram import Message, Update

from bot.messages import Address, GeoPoint, Inbound, clean_text

CLAIM_PREFIX = "claim:"


@dataclass(frozen=True)
class ClaimPress:
    """A helper pressed "claim" under a ticket announcement in a helper group chat."""

    callback_query_id: str
    ticket_code: str
    telegram_user_id: int
    display_name: str


@dataclass(frozen=True)
class Parsed:
    """One update: at most one of inbound / claim; `callback_query_id` is set for every button press."""

    inbound: Inbound | None = None
    claim: ClaimPress | None = None
    callback_query_id: str | None = None


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


def _from_message(update: Update, message: Message, received_at: datetime) -> Inbound | None:
    if message.chat.type != "private":
        return None  # group chats are for helpers: only their claim buttons matter
    address = Address("telegram", str(message.chat.id))
    text = clean_text(message.text or message.caption or "").strip()
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
            claim = ClaimPress(
                callback_query_id=query.id,
                ticket_code=data[len(CLAIM_PREFIX) :].strip(),
                telegram_user_id=user.id,
                display_name=clean_text(user.full_name or user.username or str(user.id)),
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
    return Parsed(inbound=_from_message(update, message, received_at))
