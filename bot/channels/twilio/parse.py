"""Parse a Twilio messaging webhook form (SMS or WhatsApp) into a channel-neutral Inbound (no twilio import)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.messages import Address, GeoPoint, Inbound, clean_fields

WHATSAPP_PREFIX = "whatsapp:"


def address_from(raw: str) -> Address | None:
    """`whatsapp:+32...` is a WhatsApp contact, anything else an SMS number; None when empty."""
    value = raw.strip()
    if value.lower().startswith(WHATSAPP_PREFIX):
        number = value[len(WHATSAPP_PREFIX) :].strip()
        return Address("whatsapp", number) if number else None
    return Address("sms", value.replace(" ", "")) if value else None


def twilio_to(address: Address) -> str:
    """The `To` value Twilio expects for an address: the number, prefixed with `whatsapp:` on WhatsApp."""
    return f"{WHATSAPP_PREFIX}{address.id}" if address.channel == "whatsapp" else address.id


def _float(value: str | None) -> float | None:
    if value is None or value.strip() == "":
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _count(value: str | None) -> int:
    try:
        return int(value or "0")
    except ValueError:
        return 0


def _location(form: Mapping[str, str]) -> GeoPoint | None:
    lat, lon = _float(form.get("Latitude")), _float(form.get("Longitude"))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return GeoPoint(lat, lon)


def parse_form(form: Mapping[str, str], received_at: datetime) -> Inbound | None:
    """The Inbound for one Twilio message webhook, or None when the form has no sender (fields cleaned first)."""
    form = clean_fields(form)
    address = address_from(form.get("From", ""))
    if address is None:
        return None
    body = form.get("Body", "") or ""
    payload = (form.get("ButtonPayload") or "").strip() or None
    text = body.strip() or (form.get("ButtonText") or "").strip() or (payload or "")
    location = _location(form)
    label = None
    if location is not None:
        label = (form.get("Label") or "").strip() or (form.get("Address") or "").strip() or None
    external_id = (form.get("MessageSid") or form.get("SmsMessageSid") or form.get("SmsSid") or "").strip() or None
    return Inbound(
        address=address,
        text=text,
        received_at=received_at,
        external_id=external_id,
        location=location,
        location_label=label,
        payload=payload,
        has_media=_count(form.get("NumMedia")) > 0 and not text and location is None,
    )
