"""The outbox body contract: a Reply to and from the JSON body stored on an Outbox row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.messages import Option, PlacePin, Reply, spelling_pairs


@dataclass(frozen=True)
class InlineButton:
    """A Telegram inline button (e.g. "claim" under a ticket announcement in a helper group)."""

    text: str
    callback_data: str


def body_from_reply(reply: Reply) -> dict[str, Any]:
    """The outbox body for a reply that could not be sent inline (rendered again at send time)."""
    body: dict[str, Any] = {
        "text": reply.text,
        "options": [[option.key, option.label] for option in reply.options],
        "place": None,
        "ask_location": reply.ask_location,
        "ask_contact": reply.ask_contact,
        "inline_buttons": [],
        "template": False,
    }
    if reply.place is not None:
        body["place"] = {
            "name": reply.place.name,
            "address": reply.place.address,
            "lat": reply.place.lat,
            "lon": reply.place.lon,
        }
    if reply.link:
        body["link"] = reply.link
    if reply.footer:
        body["footer"] = reply.footer
    if reply.language:
        body["language"] = reply.language
    if reply.sms_spelling:
        body["sms_spelling"] = [list(pair) for pair in reply.sms_spelling]
    if reply.sms_max_segments != 2:
        body["sms_max_segments"] = reply.sms_max_segments
    return body


def _place(raw: Any) -> PlacePin | None:
    if not isinstance(raw, dict):
        return None
    try:
        return PlacePin(
            name=str(raw["name"]), address=str(raw.get("address") or ""), lat=float(raw["lat"]), lon=float(raw["lon"])
        )
    except (KeyError, TypeError, ValueError):
        return None


def _options(raw: Any) -> tuple[Option, ...]:
    options: list[Option] = []
    for item in raw or []:
        if isinstance(item, (list, tuple)) and len(item) == 2:
            options.append(Option(key=str(item[0]), label=str(item[1])))
    return tuple(options)


def reply_from_body(body: dict[str, Any]) -> Reply:
    """The Reply an outbox body describes; unknown or malformed parts are left out."""
    return Reply(
        text=str(body.get("text") or ""),
        options=_options(body.get("options")),
        ask_location=bool(body.get("ask_location", False)),
        ask_contact=bool(body.get("ask_contact", False)),
        place=_place(body.get("place")),
        link=str(body["link"]) if body.get("link") else None,
        footer=str(body["footer"]) if body.get("footer") else None,
        language=str(body.get("language") or ""),
        sms_spelling=spelling_pairs(body.get("sms_spelling")),
        sms_max_segments=int(body.get("sms_max_segments") or 2),
    )


def inline_buttons(body: dict[str, Any]) -> list[list[InlineButton]]:
    """The rows of inline buttons in a body (Telegram only); callback data longer than 64 bytes is dropped."""
    rows: list[list[InlineButton]] = []
    for raw_row in body.get("inline_buttons") or []:
        row = [
            InlineButton(text=str(item["text"]), callback_data=str(item["callback_data"]))
            for item in raw_row or []
            if isinstance(item, dict)
            and item.get("text")
            and item.get("callback_data")
            and len(str(item["callback_data"]).encode("utf-8")) <= 64
        ]
        if row:
            rows.append(row)
    return rows


def wants_template(body: dict[str, Any]) -> bool:
    return bool(body.get("template", False))


PARTS_SENT = "parts_sent"  # Telegram: text parts of a long message that already went out


def parts_sent(body: dict[str, Any]) -> int:
    value = body.get(PARTS_SENT)
    return value if isinstance(value, int) and value > 0 else 0


def without_sent_parts(body: dict[str, Any], count: int) -> dict[str, Any]:
    """The body to try again when its first `count` text parts went out already."""
    return {**body, PARTS_SENT: count}


def place_only(body: dict[str, Any]) -> dict[str, Any]:
    """The body with everything but the map pin removed (the text already went out)."""
    rest = {key: value for key, value in body.items() if key not in ("link", "footer")}
    return {**rest, "text": "", "options": [], "ask_location": False, "ask_contact": False,
            "inline_buttons": []}
