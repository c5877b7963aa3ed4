"""Messages to residents about their booking through the outbox (reminders, a session called off)."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date

from bot.content.library import Library
from bot.outbound.body import body_from_reply
from places.hours import local
from storage import bookings, outbox
from storage.models import Booking, BookingSlot, Outbox
from storage.session import Session

WHATSAPP_WINDOW = timedelta(hours=24)


def values(library: Library, booking: Booking, slot: BookingSlot, language: str) -> dict[str, str]:
    place = library.places.get(booking.place_id)
    return {"code": booking.code, "place": place.short_name if place else booking.place_id,
            "address": place.street_line if place else "",
            "day": str(format_date(local(slot.start).date(), "EEEE d/M", locale=language)),
            "time": f"{local(slot.start):%H:%M}"}


def tell(session: Session, library: Library, booking: Booking, key: str, now: datetime, *, purpose: str,
         reasons: dict[str, str] | None = None) -> Outbox | None:
    """Queue one message to the resident in their language and channel; None when they cannot be reached
    (forgotten, STOP, a simulator's booking). WhatsApp outside the 24-hour window goes as the template."""
    if booking.test or booking.contact_id is None:
        return None
    contact = bookings.contact_of(session, booking)
    if contact is None or contact.opted_out:
        return None
    language = contact.language or booking.language or library.texts.deployment.default_language
    slot = bookings.slot(session, booking.slot_id)
    if slot is None:
        return None
    extra = {"reason": reasons.get(language) or reasons.get(library.texts.deployment.default_language, "")} \
        if reasons is not None else {}
    text = library.texts.get(language, key, **values(library, booking, slot, language), **extra)
    body = body_from_reply(library.texts.reply(language, text))
    last = contact.last_inbound_at
    body["template"] = contact.channel == "whatsapp" and (last is None or now - last > WHATSAPP_WINDOW)
    return outbox.enqueue(session, contact.channel, contact.address, body, now=now, contact_id=contact.id,
                          purpose=purpose)
