"""Booking a session with a helper at a Digipunt: place, day, time, what for, confirm; status and cancel (pure)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from babel.dates import format_date

from bot.effects import BookingRequest
from bot.flows.context import Choice, Ctx
from bot.fold import fold
from bot.messages import GeoPoint, Reply
from bot.state import OfferedOption
from places.geo import distance_m
from places.hours import local
from places.model import Place

FLOW = "booking"
PURPOSE = "booking-purpose"
INTENT_MAKE, INTENT_CANCEL, INTENT_STATUS = "booking.make", "booking.cancel", "booking.status"
PAGE = 4  # days or times per message
MAX_PURPOSE = 200
BOOKING_CODE = re.compile(r"^\s*r\s*-?\s*(\d{4,5})\s*$", re.IGNORECASE)
_CODE_INSIDE = re.compile(r"\br\s*-\s*(\d{4,5})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Seat:
    """A free session offered to the resident (local times)."""

    slot: int
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Held:
    """A resident's booking as the service found it."""

    code: str
    place: str
    start: datetime
    status: str = "booked"


def _data(ctx: Ctx) -> dict[str, object]:
    raw = ctx.state.data.get("booking")
    if not isinstance(raw, dict):
        raw = {}
        ctx.state.data["booking"] = raw
    return raw


def bookable(ctx: Ctx) -> list[Place]:
    """Places a resident can book by message, nearest first when we know where they are."""
    found = [place for place in ctx.library.places.places if place.booking is not None and place.offered]
    point = (ctx.state.where or {}).get("point")
    if isinstance(point, list) and len(point) == 2:
        here = GeoPoint(float(point[0]), float(point[1]))
        found.sort(key=lambda place: distance_m(here, place.point) if place.point is not None else 10 ** 9)
    return found


def _named(ctx: Ctx, places: Sequence[Place]) -> Place | None:
    """A bookable place the message names ('reserveren in de krook')."""
    words = f" {ctx.folded} "
    for place in places:
        names = (place.short_name, place.name, *place.aliases)
        if any(f" {fold(name)} " in words for name in names if len(fold(name)) >= 4):
            return place
    return None


def _last_detail(ctx: Ctx) -> str | None:
    history = ctx.state.history
    if history and history[-1].startswith("place:"):
        return history[-1].partition(":")[2]
    return None


def day_label(ctx: Ctx, moment: datetime | date) -> str:
    day = moment.date() if isinstance(moment, datetime) else moment
    return str(format_date(day, "EEEE d/M", locale=ctx.lang))


def time_label(moment: datetime) -> str:
    return f"{local(moment):%H:%M}"


def start(ctx: Ctx, arg: str) -> None:
    """Make a booking: the place given, named, just shown, the only one, or a choice of the nearest."""
    ctx.intent = ctx.intent or INTENT_MAKE
    places = bookable(ctx)
    wanted = (arg if arg != "start" else "") or _last_detail(ctx) or ""
    chosen = next((place for place in places if place.id == wanted), None) or _named(ctx, places)
    if chosen is None and len(places) == 1:
        chosen = places[0]
    if chosen is not None:
        ask_day(ctx, chosen.id)
        return
    if not places:
        ctx.state.flow = ""
        ctx.say(ctx.t("bk_no_place"), [(ctx.t("option_helper"), "flow:handoff"), (ctx.t("option_menu"), "menu:main")])
        return
    ctx.state.flow = FLOW
    ctx.state.data["booking"] = {}
    ctx.say(ctx.t("bk_which_place"), [Choice(place.short_name, f"bkplace:{place.id}", words=place.aliases)
                                      for place in places[:PAGE]])


def on_detail(ctx: Ctx, place: Place, reply: Reply, fits: Callable[[Ctx, Reply], bool]) -> Reply:
    """A bookable place's detail says how to book (when it fits), and RESERVEREN there books that place."""
    if place.booking is None:
        return reply
    ctx.state.options = [*ctx.state.options, OfferedOption(key="R", label=ctx.t("bk_option_book"),
                                                           action=f"booking:{place.id}")]
    line = ctx.t("bk_detail_line")
    for candidate in (replace(reply, text=f"{reply.text}\n{line}"),
                      replace(reply, text=f"{reply.text}\n{line}", footer=None)):
        if fits(ctx, candidate):
            return candidate
    return reply


def ask_day(ctx: Ctx, place_id: str, offset: int = 0) -> None:
    ctx.state.flow = FLOW
    ctx.state.data["booking"] = {"place": place_id}
    ctx.effect(BookingRequest("days", place=place_id, offset=offset))


def _place(ctx: Ctx, place_id: str) -> Place | None:
    return ctx.library.places.get(place_id)


def _more_days(ctx: Ctx, arg: str) -> None:
    place_id, _, offset = arg.partition(":")
    ask_day(ctx, place_id, int(offset or 0))


def _day(ctx: Ctx, arg: str) -> None:
    place_id, _, day = arg.partition(":")
    ctx.state.flow = FLOW
    _data(ctx).update({"place": place_id, "day": day})
    ctx.effect(BookingRequest("times", place=place_id, day=day))


def _more_times(ctx: Ctx, arg: str) -> None:
    place_id, day, offset = [*arg.split(":", 2), "", ""][:3]
    ctx.state.flow = FLOW
    ctx.effect(BookingRequest("times", place=place_id, day=day, offset=int(offset or 0)))


# ---- what the service answers with (the service builds the Ctx around the stored state) ----


def offer_days(ctx: Ctx, place_id: str, days: Sequence[date], offset: int, more: bool) -> None:
    place = _place(ctx, place_id)
    name = place.short_name if place else place_id
    ctx.state.flow = FLOW
    if not days:
        ahead = place.booking.ahead_days if place and place.booking else 14
        ctx.state.flow = ""
        ctx.say(ctx.t("bk_no_days", place=name, days=str(ahead)),
                [(ctx.t("option_helper"), "flow:handoff"), (ctx.t("option_menu"), "menu:main")])
        return
    choices = [Choice(day_label(ctx, day), f"bkday:{place_id}:{day.isoformat()}") for day in days]
    if more:
        choices.append(Choice(ctx.t("bk_option_more"), f"bkdays:{place_id}:{offset + PAGE}", words=("meer", "more",
                                                                                                    "plus")))
    ctx.say(ctx.t("bk_which_day", place=name), choices)


def offer_times(ctx: Ctx, place_id: str, day: str, seats: Sequence[Seat], offset: int, more: bool,
                *, taken: bool = False) -> None:
    """Up to four free sessions (MEER for more); after a lost race, the nearest free ones with a short note."""
    ctx.state.flow = FLOW
    data = _data(ctx)
    data["place"] = place_id
    if not seats:
        if taken:
            ctx.state.flow = ""
            ctx.say(ctx.t("bk_taken_none"), [(ctx.t("option_helper"), "flow:handoff"),
                                             (ctx.t("option_menu"), "menu:main")])
            return
        ask_day(ctx, place_id)
        return
    data["seats"] = {str(seat.slot): [seat.start.isoformat(), seat.end.isoformat()] for seat in seats}
    same_day = len({local(seat.start).date() for seat in seats}) == 1
    label: Callable[[Seat], str] = ((lambda seat: time_label(seat.start)) if same_day and not taken
                                    else (lambda seat: f"{day_label(ctx, local(seat.start))} {time_label(seat.start)}"))
    choices = [Choice(label(seat), f"bkslot:{seat.slot}") for seat in seats]
    if more:
        choices.append(Choice(ctx.t("bk_option_more"), f"bktimes:{place_id}:{day}:{offset + PAGE}",
                              words=("meer", "more", "plus")))
    if taken:
        ctx.say(ctx.t("bk_taken"), choices)
        return
    ctx.say(ctx.t("bk_which_time", day=day_label(ctx, date.fromisoformat(day))), choices)


def _slot(ctx: Ctx, arg: str) -> None:
    data = _data(ctx)
    seats = data.get("seats")
    chosen = seats.get(arg) if isinstance(seats, dict) else None
    if not isinstance(chosen, list):
        start(ctx, str(data.get("place") or ""))
        return
    data.update({"slot": int(arg), "start": chosen[0], "purpose": ""})
    ctx.state.flow = PURPOSE
    ctx.say(ctx.t("bk_ask_purpose"), [Choice(ctx.t("bk_option_skip"), "bkpurpose:", answers=("no",))])


def _purpose_text(ctx: Ctx) -> bool:
    """The resident's own words on what the session is for."""
    text = " ".join(ctx.text.split())[:MAX_PURPOSE]
    if not text:
        return False
    _purpose(ctx, text)
    return True


def _purpose(ctx: Ctx, text: str) -> None:
    data = _data(ctx)
    data["purpose"] = text
    place = _place(ctx, str(data.get("place") or ""))
    when = datetime.fromisoformat(str(data.get("start")))
    ctx.state.flow = FLOW
    ctx.ask_yes_no("bk_confirm", "bkconfirm:", "bkno:", place=place.short_name if place else "",
                   day=day_label(ctx, local(when)), time=time_label(when))


def _confirm(ctx: Ctx, _arg: str) -> None:
    data = _data(ctx)
    if not data.get("slot"):
        start(ctx, "")
        return
    ctx.intent = ctx.intent or INTENT_MAKE
    ctx.state.question = None
    ctx.effect(BookingRequest("book", place=str(data.get("place") or ""), slot=int(str(data["slot"])),
                              purpose=str(data.get("purpose") or "")))


def _decline(ctx: Ctx, _arg: str) -> None:
    from bot.flows import menu

    ctx.state.question = None
    ctx.state.data.pop("booking", None)
    ctx.state.flow = ""
    ctx.say(ctx.t("bk_not_booked"), menu.main_choices(ctx))


def booked(ctx: Ctx, code: str, place_id: str, start_at: datetime) -> None:
    place = _place(ctx, place_id)
    ctx.state.flow = ""
    ctx.state.options = []
    ctx.state.data.pop("booking", None)
    ctx.say(ctx.t("bk_booked", code=code, place=place.short_name if place else place_id,
                  address=place.street_line if place else "", day=day_label(ctx, local(start_at)),
                  time=time_label(start_at)))


def limit_reached(ctx: Ctx, held: Held) -> None:
    place = _place(ctx, held.place)
    ctx.state.flow = ""
    ctx.state.data.pop("booking", None)
    ctx.say(ctx.t("bk_limit", code=held.code, place=place.short_name if place else held.place,
                  day=day_label(ctx, local(held.start)), time=time_label(held.start)))


# ---- status and cancelling ----


def looks_like_code(ctx: Ctx) -> bool:
    return BOOKING_CODE.match(ctx.text) is not None


def _code_in(ctx: Ctx) -> str:
    found = BOOKING_CODE.match(ctx.text) or _CODE_INSIDE.search(ctx.text)
    return f"R-{found.group(1)}" if found else ""


def status(ctx: Ctx, _arg: str) -> None:
    ctx.intent = INTENT_STATUS
    ctx.effect(BookingRequest("status", code=_code_in(ctx)))


def ask_cancel(ctx: Ctx, _arg: str) -> None:
    ctx.intent = INTENT_CANCEL
    ctx.effect(BookingRequest("cancel_ask", code=_code_in(ctx)))


def _describe(ctx: Ctx, held: Held) -> dict[str, str]:
    place = _place(ctx, held.place)
    return {"code": held.code, "place": place.short_name if place else held.place,
            "address": place.street_line if place else "", "day": day_label(ctx, local(held.start)),
            "time": time_label(held.start)}


def show_status(ctx: Ctx, held: Sequence[Held], *, asked_code: str = "") -> None:
    if not held:
        ctx.state.flow = ""
        key = "bk_unknown_code" if asked_code else "bk_status_none"
        ctx.say(ctx.t(key, code=asked_code), [(ctx.t("bk_option_book"), "booking:"), (ctx.t("option_menu"),
                                                                                      "menu:main")])
        return
    lines = [ctx.t("bk_status", **_describe(ctx, one)) for one in held[:3]]
    ctx.state.flow = ""
    ctx.say("\n".join(lines))


def offer_cancel(ctx: Ctx, held: Sequence[Held], *, asked_code: str = "") -> None:
    """One booking: ask yes/no; several: which one."""
    if not held:
        show_status(ctx, held, asked_code=asked_code)
        return
    if len(held) == 1:
        _ask_cancel_one(ctx, held[0])
        return
    ctx.state.flow = FLOW
    _data(ctx)["held"] = {one.code: [one.place, one.start.isoformat()] for one in held}
    ctx.say(ctx.t("bk_cancel_which"), [Choice(f"{d['day']} {d['time']} {d['place']}", f"bkcancelone:{one.code}",
                                              words=(one.code.lower(),))
                                       for one in held[:PAGE] for d in [_describe(ctx, one)]])


def _ask_cancel_one(ctx: Ctx, held: Held) -> None:
    ctx.state.flow = FLOW
    values = _describe(ctx, held)
    ctx.ask_yes_no("bk_cancel_ask", f"bkcancel:{held.code}", "bkkeep:", code=values["code"], day=values["day"],
                   time=values["time"])


def _cancel_one(ctx: Ctx, code: str) -> None:
    held = _data(ctx).get("held")
    found = held.get(code) if isinstance(held, dict) else None
    if not isinstance(found, list):
        ask_cancel(ctx, "")
        return
    _ask_cancel_one(ctx, Held(code=code, place=str(found[0]), start=datetime.fromisoformat(str(found[1]))))


def _cancel(ctx: Ctx, code: str) -> None:
    ctx.intent = INTENT_CANCEL
    ctx.state.question = None
    ctx.effect(BookingRequest("cancel", code=code))


def _keep(ctx: Ctx, _arg: str) -> None:
    ctx.state.question = None
    ctx.state.flow = ""
    ctx.state.data.pop("booking", None)
    ctx.say(ctx.t("bk_cancel_kept"))


def cancelled(ctx: Ctx, held: Held, *, done: bool) -> None:
    """After a cancel: done, or too late to cancel by message (then the place is named)."""
    ctx.state.flow = ""
    ctx.state.data.pop("booking", None)
    values = _describe(ctx, held)
    ctx.say(ctx.t("bk_cancelled" if done else "bk_cancel_late", **values))


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {
    "booking": start,
    "bkplace": lambda ctx, arg: ask_day(ctx, arg),
    "bkdays": _more_days,
    "bkday": _day,
    "bktimes": _more_times,
    "bkslot": _slot,
    "bkpurpose": lambda ctx, _arg: _purpose(ctx, ""),
    "bkconfirm": _confirm,
    "bkno": _decline,
    "bkstatus": status,
    "bkcancelask": ask_cancel,
    "bkcancelone": _cancel_one,
    "bkcancel": _cancel,
    "bkkeep": _keep,
}
TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {PURPOSE: _purpose_text}
