"""Shared steps of the booking tests: a resident's message through the real service, a fresh session list."""

from __future__ import annotations

from datetime import datetime

from bot.content.library import Library
from bot.desks.booking import free_seats
from bot.messages import Address, Inbound
from bot.render import render
from bot.runtime import Deps
from bot.service import HandleResult, handle
from storage.db import transaction
from storage.models import BookingSlot


def send(deps: Deps, text: str, number: str = "+32470000101", channel: str = "sms") -> HandleResult:
    inbound = Inbound(address=Address(channel, number), text=text, received_at=deps.clock())
    return handle(inbound, deps)


def texts(result: HandleResult, channel: str = "sms") -> str:
    """What the resident reads (numbered options included), every reply joined."""
    return "\n".join(render(reply, channel).text for reply in result.replies)


def first_free(deps: Deps, library: Library, place_id: str = "de-krook",
               now: datetime | None = None) -> BookingSlot:
    place = library.places.get(place_id)
    assert place is not None
    with transaction(deps.db) as session:
        return free_seats(session, library, place, now or deps.clock())[0]
