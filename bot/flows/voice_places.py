"""Key 1 of a call: a postcode on the keypad, the nearest open Digipunten said aloud, and the same detail by SMS."""

from __future__ import annotations

from bot.effects import SendSms
from bot.flows import digipunt_results
from bot.flows.context import Ctx
from bot.flows.voice_common import (
    BACK,
    REPEAT,
    Line,
    ask,
    ask_menu,
    call_data,
    line,
    no_sms_line,
    note,
    opens_words,
    sms_target,
    time_words,
)
from bot.messages import Address, GeoPoint, Inbound, Reply
from bot.state import State
from places.model import PlaceStatus

SPOKEN = 2  # at most this many places in one answer: a caller has to remember them
POSTCODE, PLACES = "postcode", "places"


def ask_postcode(ctx: Ctx, before: list[Line] | None = None) -> None:
    ask(ctx, POSTCODE, [*(before or []), line(ctx, "postcode_ask")], digits=4)


def on_postcode(ctx: Ctx, keys: str) -> None:
    """Four digits: the places near that postcode; * back to the menu; 0 repeats."""
    if keys == BACK:
        ask_menu(ctx)
        return
    if keys == REPEAT:
        ask_postcode(ctx)
        return
    if len(keys) != 4 or not keys.isdigit():
        ask_postcode(ctx, [line(ctx, "postcode_invalid")])
        return
    found = ctx.library.places.resolve(keys)
    if found.point is None:
        ask_postcode(ctx, [line(ctx, "postcode_unknown")])
        return
    data = call_data(ctx)
    data.update({"postcode": keys, "point": [found.point.lat, found.point.lon], "seen": [], "shown": []})
    _next_places(ctx, first=True)


def _ranked(ctx: Ctx) -> list[PlaceStatus]:
    raw = call_data(ctx).get("point")
    if not isinstance(raw, list) or len(raw) != 2:
        return []
    places = ctx.library.places
    return places.nearest(GeoPoint(float(raw[0]), float(raw[1])), ctx.now, limit=len(places.places))


def _next_places(ctx: Ctx, *, first: bool) -> None:
    data = call_data(ctx)
    seen = [str(place_id) for place_id in data.get("seen") or []]
    remaining = [status for status in _ranked(ctx) if status.place.id not in seen]
    if not remaining:
        ask_menu(ctx, [line(ctx, "places_no_more")])
        return
    page = remaining[:SPOKEN]
    data["shown"] = [status.place.id for status in page]
    data["seen"] = [*seen, *data["shown"]]
    data["sms_sent"] = []
    note(ctx, "place_found")
    intro = "places_intro" if first else "places_more_intro"
    lines = [line(ctx, intro)]
    if first and not page[0].open_now:
        lines.append(line(ctx, "places_none_open"))
    lines.extend(_place_line(ctx, status) for status in page)
    ask(ctx, PLACES, [*lines, _options(ctx)])


def _options(ctx: Ctx) -> Line:
    return line(ctx, "places_options" if sms_target(ctx) else "places_options_no_sms")


def _place_line(ctx: Ctx, status: PlaceStatus) -> Line:
    """'Kringwinkel, Vlaamsekaai 10. Open tot vijf uur, met een begeleider.'"""
    place = status.place
    where = f"{place.short_name or place.name}, {place.street_line}" if place.street_line else place.short_name
    if status.open_now and status.closes_at is not None:
        key = "place_open_helper" if status.helper_now else "place_open"
        return line(ctx, key, place=where, until=time_words(ctx, status.closes_at))
    if status.opens_at is not None:
        return line(ctx, "place_opens", place=where, when=opens_words(ctx, status.opens_at))
    return line(ctx, "place_hours_unknown", place=where)


def repeat_places(ctx: Ctx, before: list[Line] | None = None) -> None:
    """The places said last time, again (0 in the places step goes to the menu; no input repeats)."""
    shown = {str(place_id) for place_id in call_data(ctx).get("shown") or []}
    page = [status for status in _ranked(ctx) if status.place.id in shown][:SPOKEN]
    if not page:
        ask_postcode(ctx, before)
        return
    ask(ctx, PLACES, [*(before or []), *(_place_line(ctx, status) for status in page), _options(ctx)])


def on_places(ctx: Ctx, keys: str) -> None:
    """1 = these places by SMS, 2 = more places, 0 = menu, * = another postcode."""
    if keys == "1":
        _send_by_sms(ctx)
    elif keys == "2":
        _next_places(ctx, first=False)
    elif keys == REPEAT:
        ask_menu(ctx)
    elif keys == BACK:
        ask_postcode(ctx)
    else:
        repeat_places(ctx, [line(ctx, "not_a_choice")])


def _send_by_sms(ctx: Ctx) -> None:
    """Queue the SMS detail of every place just said (once), and say so; not possible: say why."""
    target = sms_target(ctx)
    if target is None:
        ask(ctx, PLACES, [no_sms_line(ctx), _options(ctx)])
        return
    data = call_data(ctx)
    shown = [str(place_id) for place_id in data.get("shown") or []]
    already = set(data.get("sms_sent") or [])
    replies = tuple(reply for place_id in shown if place_id not in already for reply in sms_detail(ctx, place_id))
    if replies:
        ctx.effect(SendSms(to=target, replies=replies, language=ctx.lang, purpose="voice_place"))
        data["sms_sent"] = [*already, *shown]
    note(ctx, "sms_sent")
    ask(ctx, PLACES, [line(ctx, "sms_sent"), _options(ctx)])


def sms_detail(ctx: Ctx, place_id: str) -> list[Reply]:
    """Exactly what the SMS conversation shows for one place (the detail, fitted to two SMS segments), without
    its SMS footer ('Stuur een ander nummer ...' asks for a reply this SMS does not expect)."""
    sms = Ctx(
        inbound=Inbound(address=Address("sms", ctx.inbound.address.id), text="", received_at=ctx.inbound.received_at),
        state=State(language=ctx.lang, language_known=True),
        library=ctx.library,
        now=ctx.now,
    )
    digipunt_results.detail(sms, place_id)
    return [ctx.library.texts.stamp(Reply(text=reply.text, link=reply.link), sms.lang) for reply in sms.replies]
