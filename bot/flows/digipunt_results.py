"""The Digipunt finder's answers: a page of nearest open places fitted to the channel, and one place in full."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import lru_cache

import holidays
from babel.dates import format_date

from bot.flows import booking
from bot.flows.context import Ctx
from bot.flows.digipunt_common import (
    INTENT,
    PAGE,
    RESULTS,
    fits,
    moment_asked,
    offer_areas,
    pin,
    point_asked,
    remember_step,
    saved_ids,
    set_moment,
    when_text,
)
from bot.messages import Reply
from bot.state import OfferedOption
from places.describe import describe_list, describe_place, map_link
from places.hours import COUNTRY, local
from places.model import Contact, Place, PlaceStatus, Reservation
from places.moments import parse_moment


def show_results(ctx: Ctx, *, fresh: bool) -> None:
    """The next page of places near the remembered point at the remembered moment (open first, nearest first)."""
    data = ctx.state.data
    at = moment_asked(ctx)
    helper_only = bool(data.get("helper_only"))
    seen = [] if fresh else saved_ids(ctx, "seen")
    places = ctx.library.places
    ranked = places.nearest(point_asked(ctx), at, limit=len(places.places), helper_only=helper_only)
    remaining = [status for status in ranked if status.place.id not in seen]
    if not remaining:
        _nothing_more(ctx, helper_only=helper_only, fresh=fresh)
        return
    label = str(data.get("label") or ctx.t("dp_you"))
    header_key = "dp_results_header_helper" if helper_only else "dp_results_header"
    if data.get("outside"):
        header_key = "dp_results_header_outside"  # a shared location outside the city: say so
    header = ctx.t(header_key, label=label, when=when_text(ctx))
    footers = ["dp_results_footer_day", "dp_results_footer"]
    if not helper_only:
        footers[:0] = ["dp_results_footer_all", "dp_results_footer_helper"]
    present(ctx, remaining[:PAGE], header, footers, seen)


def present(ctx: Ctx, statuses: list[PlaceStatus], header: str, footers: list[str], seen: list[str]) -> None:
    """Numbered lines (the numbers pick a place), a map pin for the first; on SMS at most two segments.

    What gives way on SMS, in order: the longer footers, the public-holiday line, the last place of the page.
    """
    at = moment_asked(ctx)
    page = list(statuses)
    holiday = _holiday(ctx, at)
    headers = [f"{holiday}\n{header}", header] if holiday else [header]
    lines = describe_list(page, ctx.lang, at)
    reply = _list_reply(page, lines, headers[-1], ctx.t(footers[-1]))
    for size in range(len(page), 0, -1):
        candidates = (_list_reply(page[:size], lines[:size], top, ctx.t(key)) for top in headers for key in footers)
        fitting = next((candidate for candidate in candidates if fits(ctx, candidate)), None)
        if fitting is not None:
            reply, page = fitting, page[:size]
            break
    shown = [status.place.id for status in page]
    ctx.state.data.update({"shown": shown, "seen": [*seen, *shown]})
    ctx.state.flow = RESULTS
    ctx.intent = ctx.intent or INTENT
    remember_step(ctx, "dpagain:")
    ctx.replies.append(reply)
    ctx.state.options = [
        OfferedOption(key=str(number), label=status.place.name, action=f"place:{status.place.id}")
        for number, status in enumerate(page, start=1)
    ]


@lru_cache(maxsize=16)
def _holidays(year: int, languages: tuple[str, ...]) -> holidays.HolidayBase:
    """The country's holidays named in the first of `languages` the holidays package has ("en" as en_US)."""
    names = holidays.country_holidays(COUNTRY, years=year)
    supported = tuple(names.supported_languages)
    chosen = next((found for language in languages for found in supported
                   if found == language or found.startswith(f"{language}_")), names.default_language)
    return holidays.country_holidays(COUNTRY, years=year, language=chosen)


def _holiday(ctx: Ctx, at: datetime) -> str:
    """'Kerstmis (feestdag): veel Digipunten zijn dicht.' when the day asked about is a public holiday."""
    day = local(at).date()
    name = _holidays(day.year, (ctx.lang, *ctx.library.texts.catalogue.picker)).get(day)
    return ctx.t("dp_holiday", name=name) if name else ""


def _list_reply(page: list[PlaceStatus], lines: list[str], header: str, footer: str) -> Reply:
    body = "\n".join(f"{number} {line}" for number, line in enumerate(lines, start=1))
    return Reply(text=f"{header}\n{body}", place=pin(page[0]), footer=footer)


def _nothing_more(ctx: Ctx, *, helper_only: bool, fresh: bool) -> None:
    ctx.state.flow = RESULTS
    ctx.intent = ctx.intent or INTENT
    helper = (ctx.t("option_helper"), "flow:handoff")
    menu = (ctx.t("option_menu"), "menu:main")
    if helper_only and fresh:
        ctx.say(ctx.t("dp_none_with_helper"), [(ctx.t("dp_option_all"), "dpall:"), helper, menu])
        return
    ctx.say(ctx.t("dp_no_more"), [(ctx.t("dp_option_again"), "dpagain:"), helper, menu])


def picked_place(ctx: Ctx, place_id: str) -> None:
    """A listed Digipunt picked by its number or place in the list; a day in the same message ('et la 2, c'est
    ouvert samedi ?') is the moment its detail is for."""
    moment = parse_moment(ctx.text, ctx.now)
    if moment is not None:
        set_moment(ctx, moment)
    detail(ctx, place_id)


def detail(ctx: Ctx, place_id: str) -> None:
    """One place in full: status at the moment asked about, hours, helper, booking, visit time; map pin and link."""
    places = ctx.library.places
    place = places.get(place_id)
    if place is None:
        offer_areas(ctx, "")
        return
    at = moment_asked(ctx)
    status = places.status(place, local(at), point_asked(ctx))
    ctx.intent = ctx.intent or INTENT
    ctx.state.flow = RESULTS
    if ctx.state.history and ctx.state.history[-1].startswith("place:"):
        ctx.state.history = ctx.state.history[:-1]  # one detail after another: TERUG still goes to the list
    remember_step(ctx, f"place:{place_id}")
    text = _detail_text(ctx, status, at, ctx.t("bk_detail_line") if place.booking is not None else "")
    footer = ctx.t("dp_detail_footer")
    reply = Reply(text=text, place=pin(status), link=map_link(place), footer=f"{footer} {ctx.t('dp_detail_follow')}")
    for lighter in (footer, None):  # VOLG (follow this place) only when it fits
        if fits(ctx, reply):
            break
        reply = replace(reply, footer=lighter)
    ctx.replies.append(booking.on_detail(ctx, place, reply, fits))


def lighter_versions(place: Place) -> list[Place]:
    """The place as its detail says it, then with less and less (notes, contact, booking how, visit limit, and
    last the short name the list used: "De Krook"), until the detail fits the SMS budget."""
    bare = Reservation(place.reservation.required)
    least = replace(place, notes={}, contact=Contact(), reservation=bare, max_visit_minutes=None)
    return [
        place,
        replace(place, notes={}),
        replace(place, notes={}, contact=Contact()),
        replace(place, notes={}, contact=Contact(), reservation=bare),
        least,
        replace(least, name=place.short_name),
    ]


def _detail_text(ctx: Ctx, status: PlaceStatus, at: datetime, must_fit: str = "") -> str:
    """describe_place without the map link in the text (it travels as Reply.link); shortened for SMS, leaving room
    for `must_fit` (how to book a bookable place) when a lighter version allows it."""
    place = replace(status.place, lat=None, lon=None)
    check = ctx.t("dp_check_hours") if place.status == "unverified" else ""
    lighter = lighter_versions(place)
    # another day asked ('is de serre open op paasmaandag?'): 'opens ...' said from today, and that day named before
    # the status (notes and contact give way to it; the full name does not)
    other_day = local(at).date() != local(ctx.now).date()
    day = format_date(local(at), "EEEE d/M", locale=ctx.lang) if other_day else ""
    tries = [*((version, day) for version in lighter[:-1] if day), *((version, "") for version in lighter)]
    text = ""
    for room in dict.fromkeys((must_fit, "")):
        for version, named in tries:
            text = describe_place(replace(status, place=version), ctx.lang, at, on_day=named,
                                  said_from=ctx.now if other_day else None)
            for candidate in (f"{text} {check}".strip(), text):
                if fits(ctx, Reply(text=f"{candidate}\n{room}" if room else candidate)):
                    return candidate
    return text
