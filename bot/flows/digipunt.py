"""The Digipunt finder dialogue: understand where (and when) the resident is, then list the nearest open places."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache

import holidays
from babel.dates import format_date, format_time

from bot.flows.context import Ctx
from bot.flows.menu import unmatched_effect
from bot.messages import GeoPoint, PlacePin, Reply
from bot.render import render
from bot.state import OfferedOption
from intents.matcher import Match
from places.describe import describe_list, describe_place, map_link
from places.hours import COUNTRY, local
from places.model import Contact, PlaceStatus, Reservation, Resolution
from places.moments import parse_moment
from places.text import simplify

ASKING = "digipunt"
RESULTS = "digipunt-results"
INTENT = "digipunt.find"
PAGE = 3
SMS_MAX_SEGMENTS = 2
STRONG_INTENT = 90.0  # another intent this sure wins over a place name found in the same text
MAX_ALTERNATIVES = 5
HOLIDAY_LANGUAGES = {"nl": "nl", "fr": "fr", "en": "en_US"}


# ---- state ----


def _fresh_data() -> dict[str, object]:
    return {"asks": 0, "helper_only": False, "seen": [], "shown": []}


def _moment(ctx: Ctx) -> datetime:
    """The moment the resident asked about ('morgen', 'zaterdag'), or now; never a moment in the past."""
    raw = ctx.state.data.get("at")
    if isinstance(raw, str):
        try:
            at = datetime.fromisoformat(raw)
        except ValueError:
            return ctx.now
        if at > ctx.now:
            return at
    return ctx.now


def _set_moment(ctx: Ctx, moment: datetime) -> None:
    if moment <= ctx.now + timedelta(minutes=1):
        ctx.state.data.pop("at", None)
    else:
        ctx.state.data["at"] = moment.isoformat()


def _point(ctx: Ctx) -> GeoPoint | None:
    raw = ctx.state.data.get("point")
    if isinstance(raw, list) and len(raw) == 2:
        return GeoPoint(float(raw[0]), float(raw[1]))
    return None


def _ids(ctx: Ctx, name: str) -> list[str]:
    raw = ctx.state.data.get(name)
    return [str(item) for item in raw] if isinstance(raw, list) else []


def _count(ctx: Ctx, name: str) -> int:
    raw = ctx.state.data.get(name, 0)
    return int(raw) if isinstance(raw, (int, float, str)) and str(raw).isdigit() else 0


# ---- words ----


def _words(ctx: Ctx, name: str) -> tuple[str, ...]:
    return ctx.library.texts.keywords.get(name, ())


def _asks_more(ctx: Ctx) -> bool:
    return ctx.folded in _words(ctx, "more")


def _asks_helper(ctx: Ctx, *, anywhere: bool) -> bool:
    """'met begeleider': the whole message, or (anywhere=True) a phrase of two or more words inside it."""
    words = _words(ctx, "helper_only")
    if ctx.folded in words:
        return True
    padded = f" {ctx.folded} "
    return anywhere and any(" " in phrase and f" {phrase} " in padded for phrase in words)


def _moment_words(ctx: Ctx, at: datetime) -> str:
    """'vandaag 15:00', 'morgen', 'zaterdag 28/11' in the resident's language."""
    when, today = local(at), local(ctx.now).date()
    if when.date() == today:
        day = ctx.t("dp_today")
    elif when.date() == today + timedelta(days=1):
        day = ctx.t("dp_tomorrow")
    else:
        day = format_date(when, "EEEE d/M", locale=ctx.lang)
    if when.hour or when.minute:
        return f"{day} {format_time(when, 'H:mm', locale=ctx.lang)}"
    return day


def _when(ctx: Ctx) -> str:
    at = _moment(ctx)
    return ctx.t("dp_when", moment=_moment_words(ctx, at)) if at != ctx.now else ""


def _example(ctx: Ctx, names: Sequence[str]) -> str:
    """One or two short example names: 'Binnenstad of Sluizeken'."""
    short = [name.split(" - ")[0] for name in names[:2]]
    if len(short) == 2:
        return ctx.t("dp_example_or", first=short[0], second=short[1])
    return short[0] if short else "Brugse Poort"


# ---- fitting a reply on the channel ----


def _fits(ctx: Ctx, reply: Reply) -> bool:
    channel = ctx.inbound.address.channel
    return channel != "sms" or render(reply, channel).segments <= SMS_MAX_SEGMENTS


def _pin(status: PlaceStatus) -> PlacePin | None:
    place = status.place
    if place.lat is None or place.lon is None:
        return None
    return PlacePin(name=place.name, address=place.address, lat=place.lat, lon=place.lon)


def _remember_step(ctx: Ctx, action: str) -> None:
    """Keep the step in the history so TERUG goes from a detail to the list, and from the list to the question."""
    history = ctx.state.history
    if not history or history[-1] != action:
        ctx.state.history = [*history[-5:], action]


# ---- asking where ----


def start(ctx: Ctx, _arg: str) -> None:
    """'waar is een digipunt': answer at once when the message already names a place, else ask where."""
    ctx.state.flow = ASKING
    ctx.state.data = _fresh_data()
    ctx.state.options = []
    ctx.state.misses = 0
    _remember_step(ctx, "flow:digipunt")
    ctx.intent = ctx.intent or INTENT
    moment = parse_moment(ctx.text, ctx.now) if not ctx.folded.isdigit() else None
    if moment is not None:
        _set_moment(ctx, moment)
    if _asks_helper(ctx, anywhere=True):
        ctx.state.data["helper_only"] = True
    resolution = _resolve_request(ctx)
    if resolution.kind != "unknown":
        _answer(ctx, resolution)
        return
    _ask_location(ctx)


def _intent_words(ctx: Ctx) -> set[str]:
    spec = ctx.library.catalog.intents.get(INTENT)
    if spec is None:
        return set()
    phrases = [text for texts in (*spec.examples.values(), *spec.keywords.values()) for text in texts]
    return {word for phrase in phrases for word in simplify(phrase).split()}


def _resolve_request(ctx: Ctx) -> Resolution:
    """The place named in a request ('digipunt in ledeberg'): the whole text, else the text minus the intent's
    own words."""
    places = ctx.library.places
    resolution = places.resolve(ctx.text)
    if resolution.kind != "unknown":
        return resolution
    vocabulary = _intent_words(ctx)
    rest = [word for word in simplify(ctx.text).split() if word not in vocabulary]
    if rest and len(rest) < len(simplify(ctx.text).split()):
        return places.resolve(" ".join(rest))
    return resolution


def _ask_location(ctx: Ctx, prefix: str = "") -> None:
    ctx.state.flow = ASKING
    channel = ctx.inbound.address.channel
    key = "dp_ask_location_share" if channel in ("telegram", "whatsapp") else "dp_ask_location"
    ctx.say(f"{prefix} {ctx.t(key)}".strip(), ask_location=True)


def _answer(ctx: Ctx, resolution: Resolution) -> None:
    """A resolved location text: results for a point, a precise question for a coarse or ambiguous text."""
    data = ctx.state.data
    label = resolution.label or ctx.text
    if resolution.kind == "point":
        _use_point(ctx, resolution.point, label)
        return
    if resolution.kind == "coarse":
        if _count(ctx, "coarse") >= 1:  # asked once already: rank from the area's centre, or offer the wijken
            if resolution.point is not None:
                _use_point(ctx, resolution.point, label)
            else:
                offer_areas(ctx, "")
            return
        data["coarse"] = _count(ctx, "coarse") + 1
        ctx.state.flow = ASKING
        ctx.say(ctx.t("dp_coarse", label=label, example=_example(ctx, resolution.alternatives)), ask_location=True)
        return
    if not resolution.alternatives:
        if resolution.point is not None:
            _use_point(ctx, resolution.point, label)
        else:
            _ask_location(ctx)
        return
    ctx.state.flow = ASKING
    choices = [(alternative, f"dpplace:{alternative}") for alternative in resolution.alternatives[:MAX_ALTERNATIVES]]
    ctx.say(ctx.t("dp_ambiguous", label=label), choices)


def _use_point(ctx: Ctx, point: GeoPoint | None, label: str) -> None:
    data = ctx.state.data
    data.update({"point": [point.lat, point.lon] if point else None, "label": label, "asks": 0, "coarse": 0})
    if ctx.inbound.location is None:
        data["outside"] = False
    show_results(ctx, fresh=True)


def on_location(ctx: Ctx) -> None:
    """A shared GPS location (WhatsApp, Telegram): answer with the nearest places at once, in any flow."""
    point = ctx.inbound.location
    assert point is not None
    if ctx.state.flow not in (ASKING, RESULTS):
        ctx.state.data = _fresh_data()
        _remember_step(ctx, "flow:digipunt")
    ctx.state.misses = 0
    ctx.intent = INTENT
    wijk = ctx.library.places.locate(point)
    ctx.state.data["outside"] = wijk is None
    _use_point(ctx, point, wijk or ctx.inbound.location_label or ctx.t("dp_you"))


def _strong_other_intent(match: Match) -> bool:
    """'skype bestaat niet meer' names a street by accident: a sure other intent wins over a place name."""
    return match.intent not in (None, INTENT) and (match.keyword or match.score >= STRONG_INTENT)


def _other_intent(match: Match) -> bool:
    """The text means something else (the hotspot guide, a helper, thanks, a digital problem)."""
    if match.intent is not None:
        return match.intent != INTENT
    if match.ambiguous:
        return INTENT not in [candidate.intent for candidate in match.candidates[:2]]
    return match.digital_problem


def on_text(ctx: Ctx) -> bool:
    """A text while asking where, or after a result list. False = not for this flow (the engine goes on)."""
    data = ctx.state.data
    in_results = ctx.state.flow == RESULTS
    if in_results and _asks_more(ctx):
        show_results(ctx, fresh=False)
        return True
    if in_results and _asks_helper(ctx, anywhere=True):
        data["helper_only"] = True
        show_results(ctx, fresh=True)
        return True
    if in_results and ctx.folded.isdigit() and len(ctx.folded) <= 2:
        ctx.say(ctx.t("dp_pick_number", last=len(_ids(ctx, "shown")) or 1))
        return True
    if in_results and _named_place(ctx):
        return True
    moment = parse_moment(ctx.text, ctx.now)
    resolution = ctx.library.places.resolve(ctx.text)
    if resolution.kind != "unknown":
        if _strong_other_intent(ctx.match()):
            return False
        if moment is not None:
            _set_moment(ctx, moment)
        ctx.intent = INTENT
        _answer(ctx, resolution)
        return True
    if moment is not None:
        _set_moment(ctx, moment)
        ctx.intent = INTENT
        if in_results:
            show_results(ctx, fresh=True)
        else:
            _ask_location(ctx, ctx.t("dp_moment_noted", moment=_moment_words(ctx, _moment(ctx))))
        return True
    if in_results:
        return False
    match = ctx.match()
    if _other_intent(match):
        return False
    ctx.intent = INTENT
    if match.intent == INTENT:
        _ask_location(ctx)  # 'waar is een digipunt' again: ask again, not a miss
        return True
    ctx.effect(unmatched_effect(ctx, match, "place_unknown"))
    _not_understood(ctx)
    return True


def _named_place(ctx: Ctx) -> bool:
    """After a list, the name of a listed Digipunt (or of a Digipunt the gazetteer knows) shows its detail."""
    place = ctx.library.places.find_by_name(ctx.text)
    if place is None or not place.offered:
        return False
    if place.id in _ids(ctx, "shown") or ctx.library.places.resolve(ctx.text).label == place.name:
        detail(ctx, place.id)
        return True
    return False


def _not_understood(ctx: Ctx) -> None:
    """First miss: ask again with an example. Second miss: the wijken with a Digipunt, or a helper."""
    asks = _count(ctx, "asks") + 1
    ctx.state.data["asks"] = asks
    if asks >= 2:
        offer_areas(ctx, "")
        return
    ctx.say(ctx.t("dp_unknown"), ask_location=True)


def offer_areas(ctx: Ctx, _arg: str) -> None:
    """The wijken that have a Digipunt, plus a helper: never a dead end."""
    areas = sorted(ctx.library.places.by_neighbourhood())
    choices = [(name.split(" - ")[0], f"dparea:{name}") for name in areas]
    ctx.state.flow = ASKING
    ctx.say(ctx.t("dp_unknown_again"), [*choices, (ctx.t("option_helper"), "flow:handoff")])


# ---- results ----


def show_results(ctx: Ctx, *, fresh: bool) -> None:
    """The next page of places near the remembered point at the remembered moment (open first, nearest first)."""
    data = ctx.state.data
    at = _moment(ctx)
    helper_only = bool(data.get("helper_only"))
    seen = [] if fresh else _ids(ctx, "seen")
    ranked = ctx.library.places.nearest(_point(ctx), at, limit=len(ctx.library.places.places), helper_only=helper_only)
    remaining = [status for status in ranked if status.place.id not in seen]
    if not remaining:
        _nothing_more(ctx, helper_only=helper_only, fresh=fresh)
        return
    label = str(data.get("label") or ctx.t("dp_you"))
    header_key = "dp_results_header_helper" if helper_only else "dp_results_header"
    if data.get("outside"):
        header_key = "dp_results_header_outside"  # a shared location outside the city: say so
    header = ctx.t(header_key, label=label, when=_when(ctx))
    footers = ["dp_results_footer_day", "dp_results_footer"]
    if not helper_only:
        footers[:0] = ["dp_results_footer_all", "dp_results_footer_helper"]
    _present(ctx, remaining[:PAGE], header, footers, seen)


def _present(ctx: Ctx, statuses: list[PlaceStatus], header: str, footers: list[str], seen: list[str]) -> None:
    """Numbered lines (the numbers pick a place), a map pin for the first; on SMS at most two segments.

    What gives way on SMS, in order: the longer footers, the public-holiday line, the last place of the page.
    """
    at = _moment(ctx)
    page = list(statuses)
    holiday = _holiday(ctx, at)
    headers = [f"{holiday}\n{header}", header] if holiday else [header]
    lines = describe_list(page, ctx.lang, at)
    reply = _list_reply(page, lines, headers[-1], ctx.t(footers[-1]))
    for size in range(len(page), 0, -1):
        candidates = (_list_reply(page[:size], lines[:size], top, ctx.t(key)) for top in headers for key in footers)
        fitting = next((candidate for candidate in candidates if _fits(ctx, candidate)), None)
        if fitting is not None:
            reply, page = fitting, page[:size]
            break
    shown = [status.place.id for status in page]
    ctx.state.data.update({"shown": shown, "seen": [*seen, *shown]})
    ctx.state.flow = RESULTS
    ctx.intent = ctx.intent or INTENT
    _remember_step(ctx, "dpagain:")
    ctx.replies.append(reply)
    ctx.state.options = [
        OfferedOption(key=str(number), label=status.place.name, action=f"place:{status.place.id}")
        for number, status in enumerate(page, start=1)
    ]


@lru_cache(maxsize=16)
def _holidays(year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays(COUNTRY, years=year, language=HOLIDAY_LANGUAGES.get(language, "nl"))


def _holiday(ctx: Ctx, at: datetime) -> str:
    """'Kerstmis (feestdag): veel Digipunten zijn dicht.' when the day asked about is a public holiday."""
    day = local(at).date()
    name = _holidays(day.year, ctx.lang).get(day)
    return ctx.t("dp_holiday", name=name) if name else ""


def _list_reply(page: list[PlaceStatus], lines: list[str], header: str, footer: str) -> Reply:
    body = "\n".join(f"{number} {line}" for number, line in enumerate(lines, start=1))
    return Reply(text=f"{header}\n{body}", place=_pin(page[0]), footer=footer)


def _nothing_more(ctx: Ctx, *, helper_only: bool, fresh: bool) -> None:
    ctx.state.flow = RESULTS
    ctx.intent = ctx.intent or INTENT
    helper = (ctx.t("option_helper"), "flow:handoff")
    menu = (ctx.t("option_menu"), "menu:main")
    if helper_only and fresh:
        ctx.say(ctx.t("dp_none_with_helper"), [(ctx.t("dp_option_all"), "dpall:"), helper, menu])
        return
    ctx.say(ctx.t("dp_no_more"), [(ctx.t("dp_option_again"), "dpagain:"), helper, menu])


def detail(ctx: Ctx, place_id: str) -> None:
    """One place in full: status at the moment asked about, hours, helper, booking, visit time; map pin and link."""
    places = ctx.library.places
    place = places.get(place_id)
    if place is None:
        offer_areas(ctx, "")
        return
    at = _moment(ctx)
    status = places.status(place, local(at), _point(ctx))
    ctx.intent = ctx.intent or INTENT
    ctx.state.flow = RESULTS
    if ctx.state.history and ctx.state.history[-1].startswith("place:"):
        ctx.state.history = ctx.state.history[:-1]  # one detail after another: TERUG still goes to the list
    _remember_step(ctx, f"place:{place_id}")
    text = _detail_text(ctx, status, at)
    footer = ctx.t("dp_detail_footer")
    reply = Reply(text=text, place=_pin(status), link=map_link(place), footer=footer)
    if not _fits(ctx, reply):
        reply = replace(reply, footer=None)
    ctx.replies.append(reply)


def _detail_text(ctx: Ctx, status: PlaceStatus, at: datetime) -> str:
    """describe_place without the map link in the text (it travels as Reply.link); shortened for SMS."""
    place = replace(status.place, lat=None, lon=None)
    check = ctx.t("dp_check_hours") if place.status == "unverified" else ""
    lighter = [
        place,
        replace(place, notes={}),
        replace(place, notes={}, contact=Contact()),
        replace(place, notes={}, contact=Contact(), reservation=Reservation(place.reservation.required)),
        replace(
            place,
            notes={},
            contact=Contact(),
            reservation=Reservation(place.reservation.required),
            max_visit_minutes=None,
        ),
    ]
    text = ""
    for version in lighter:
        text = describe_place(replace(status, place=version), ctx.lang, at)
        for candidate in (f"{text} {check}".strip(), text):
            if _fits(ctx, Reply(text=candidate)):
                return candidate
    return text


# ---- actions behind numbered choices ----


def choose_place_name(ctx: Ctx, name: str) -> None:
    """A reading picked after an ambiguous text ('Brugsesteenweg (9030 Mariakerke)', 'Stationsbuurt-Noord')."""
    place = ctx.library.places.find_by_name(name)
    if place is not None and place.name == name and place.offered:  # 'Kringwinkel' -> one of the three
        point = [place.lat, place.lon] if place.lat is not None and place.lon is not None else None
        ctx.state.data.update({"point": point, "label": name, "asks": 0, "seen": [], "shown": [place.id]})
        detail(ctx, place.id)
        return
    resolution = ctx.library.places.resolve(name)
    if resolution.kind == "point" or (resolution.kind != "unknown" and resolution.point is not None):
        ctx.intent = INTENT
        _use_point(ctx, resolution.point, resolution.label or name)
        return
    _ask_location(ctx)


def choose_area(ctx: Ctx, name: str) -> None:
    """The Digipunten in one wijk (also those without a map point), open ones first."""
    places = ctx.library.places
    members = places.by_neighbourhood().get(name, [])
    if not members:
        offer_areas(ctx, "")
        return
    at = _moment(ctx)
    statuses = sorted(
        (places.status(place, local(at)) for place in members),
        key=lambda status: (not status.open_now, status.place.name),
    )
    first_point = next((place.point for place in members if place.point is not None), None)
    point = [first_point.lat, first_point.lon] if first_point else None
    ctx.state.data.update({"point": point, "label": name, "asks": 0, "outside": False})
    header = ctx.t("dp_area_header", label=name, when=_when(ctx))
    _present(ctx, statuses[:PAGE], header, ["dp_results_footer_day", "dp_results_footer"], [])


def show_again(ctx: Ctx, _arg: str) -> None:
    show_results(ctx, fresh=True)


def show_all(ctx: Ctx, _arg: str) -> None:
    ctx.state.data["helper_only"] = False
    show_results(ctx, fresh=True)


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {
    "digipunt": start,
    "place": detail,
    "dpplace": choose_place_name,
    "dparea": choose_area,
    "dpagain": show_again,
    "dpall": show_all,
}
TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {ASKING: on_text, RESULTS: on_text}
