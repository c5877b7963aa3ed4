"""Channel-neutral message types shared by channels, engine and service (stdlib only)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

CHANNELS = ("sms", "whatsapp", "telegram", "console", "voice")


@dataclass(frozen=True)
class Address:
    """Who a message is from or to: a channel and the id on that channel (E.164 number, chat id)."""

    channel: str
    id: str

    def key(self) -> str:
        return f"{self.channel}:{self.id}"


@dataclass(frozen=True)
class GeoPoint:
    """A WGS84 point."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Inbound:
    """One message from a resident, as the engine sees it."""

    address: Address
    text: str
    received_at: datetime
    external_id: str | None = None
    location: GeoPoint | None = None
    location_label: str | None = None
    payload: str | None = None
    has_media: bool = False
    test: bool = False  # from a simulator: tickets it opens are tests (never announced, no outbox)
    call_id: str | None = None  # voice: the phone call this keypress belongs to (Twilio CallSid)


@dataclass(frozen=True)
class Option:
    """One numbered choice offered to the resident. `key` is what comes back when it is chosen."""

    key: str
    label: str


@dataclass(frozen=True)
class PlacePin:
    """A place to show as a map pin (Telegram venue, WhatsApp location)."""

    name: str
    address: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Keypad:
    """What a phone call waits for after a spoken reply: `digits` keys (0 = any number of keys ended by '#'),
    answering `step` of the call at `turn` (the turn names the action URL); or the end of the call (`hangup`).
    `language`: the call's language (what speech recognition listens for)."""

    step: str
    turn: int
    digits: int = 1
    hangup: bool = False
    language: str = ""


@dataclass(frozen=True)
class Reply:
    """One message from digibuur to a resident, before a channel renders it."""

    text: str
    options: tuple[Option, ...] = ()
    ask_location: bool = False
    place: PlacePin | None = None
    image_url: str | None = None
    link: str | None = None
    footer: str | None = None
    language: str = ""
    ask_contact: bool = False  # Telegram: a "share my phone number" button (the number is not known there)
    sms_spelling: tuple[tuple[str, str], ...] = ()
    sms_max_segments: int = 2
    keypad: Keypad | None = None  # voice: the keys the call waits for after this reply is spoken


@dataclass(frozen=True)
class Rendered:
    """What a channel will actually show: text plus channel extras."""

    text: str
    options: tuple[Option, ...] = ()
    segments: int = 1
    encoding: str = "GSM-7"
    ask_location: bool = False
    place: PlacePin | None = None
    extras: dict[str, str] = field(default_factory=dict)
    language: str = ""
    ask_contact: bool = False


def reply_to_dict(reply: Reply) -> dict[str, Any]:
    """A Reply as plain JSON-able data (for the conversation state and the message log)."""
    data: dict[str, Any] = {"text": reply.text, "options": [[o.key, o.label] for o in reply.options]}
    if reply.ask_location:
        data["ask_location"] = True
    if reply.ask_contact:
        data["ask_contact"] = True
    if reply.place is not None:
        data["place"] = {"name": reply.place.name, "address": reply.place.address, "lat": reply.place.lat,
                         "lon": reply.place.lon}
    for name in ("image_url", "link", "footer", "language"):
        value = getattr(reply, name)
        if value:
            data[name] = value
    if reply.sms_spelling:
        data["sms_spelling"] = [list(pair) for pair in reply.sms_spelling]
    if reply.sms_max_segments != 2:
        data["sms_max_segments"] = reply.sms_max_segments
    if reply.keypad is not None:
        keypad = reply.keypad
        data["keypad"] = {"step": keypad.step, "turn": keypad.turn, "digits": keypad.digits, "hangup": keypad.hangup,
                          "language": keypad.language}
    return data


def keypad_from(raw: Any) -> Keypad | None:
    """A stored keypad ({"step", "turn", "digits", "hangup"}), or None when absent or malformed."""
    if not isinstance(raw, dict):
        return None
    turn, digits = raw.get("turn"), raw.get("digits", 1)
    if not isinstance(turn, int) or not isinstance(digits, int) or isinstance(turn, bool) or isinstance(digits, bool):
        return None
    return Keypad(step=str(raw.get("step") or ""), turn=turn, digits=digits, hangup=bool(raw.get("hangup", False)),
                  language=str(raw.get("language") or ""))


def spelling_pairs(raw: Any) -> tuple[tuple[str, str], ...]:
    """SMS spelling pairs from stored JSON ([["ş", "s"], ...]); malformed entries are left out."""
    pairs: list[tuple[str, str]] = []
    for item in raw or []:
        if isinstance(item, (list, tuple)) and len(item) == 2 and all(isinstance(x, str) for x in item):
            pairs.append((item[0], item[1]))
    return tuple(pairs)


def reply_from_dict(data: dict[str, Any]) -> Reply:
    place = data.get("place")
    return Reply(
        text=str(data.get("text", "")),
        options=tuple(Option(key=str(k), label=str(v)) for k, v in data.get("options", [])),
        ask_location=bool(data.get("ask_location", False)),
        ask_contact=bool(data.get("ask_contact", False)),
        place=PlacePin(**place) if isinstance(place, dict) else None,
        image_url=data.get("image_url"),
        link=data.get("link"),
        footer=data.get("footer"),
        language=str(data.get("language") or ""),
        sms_spelling=spelling_pairs(data.get("sms_spelling")),
        sms_max_segments=_segments(data.get("sms_max_segments")),
        keypad=keypad_from(data.get("keypad")),
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """What every channel does to inbound text, names and form fields before anything else sees them: drop NUL
    (PostgreSQL refuses it in text) and replace lone surrogates (they cannot be encoded) with U+FFFD."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    return _LONE_SURROGATE.sub("\ufffd", value)


def clean_fields(fields: Mapping[str, str]) -> dict[str, str]:
    """clean_text on every key and value of a form."""
    return {clean_text(key): clean_text(value) for key, value in fields.items()}
def _segments(raw: Any) -> int:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= 10 else 2
