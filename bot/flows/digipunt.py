"""The Digipunt finder: understand where the resident is, then list the nearest open Digipunten."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.flows.context import Ctx
from bot.messages import GeoPoint, PlacePin
from places.describe import describe_list, describe_place
from places.directory import PlaceStatus
from places.moments import parse_moment

PAGE = 3


def start(ctx: Ctx, _arg: str) -> None:
    ctx.state.flow = "digipunt"
    ctx.state.data = {"asks": 0, "offset": 0, "helper_only": False}
    ctx.state.options = []
    ctx.state.history = [*ctx.state.history[-5:], "flow:digipunt"]
    ctx.say(ctx.t("dp_ask_location"), ask_location=True)


def _moment(ctx: Ctx) -> datetime:
    raw = ctx.state.data.get("at")
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            return ctx.now
    return ctx.now


def _point(ctx: Ctx) -> GeoPoint | None:
    raw = ctx.state.data.get("point")
    if isinstance(raw, list) and len(raw) == 2:
        return GeoPoint(float(raw[0]), float(raw[1]))
    return None


def _pin(status: PlaceStatus) -> PlacePin | None:
    place = status.place
    if place.lat is None or place.lon is None:
        return None
    return PlacePin(name=place.name, address=place.address, lat=place.lat, lon=place.lon)


def _map_link(status: PlaceStatus) -> str | None:
    place = status.place
    if place.lat is None or place.lon is None:
        return None
    return f"https://www.openstreetmap.org/?mlat={place.lat:.5f}&mlon={place.lon:.5f}#map=18/{place.lat:.5f}/{place.lon:.5f}"


def show_results(ctx: Ctx) -> None:
    data = ctx.state.data
    point = _point(ctx)
    at = _moment(ctx)
    offset = int(data.get("offset", 0))
    statuses = ctx.library.places.nearest(point, at, limit=PAGE, offset=offset,
                                          helper_only=bool(data.get("helper_only")))
    ctx.state.flow = "digipunt-results"
    if not statuses:
        ctx.say(ctx.t("dp_none_with_helper" if data.get("helper_only") else "dp_no_more"),
                [(ctx.t("option_helper"), "flow:handoff"), (ctx.t("option_menu"), "menu:main")])
        return
    lines = describe_list(statuses, ctx.lang, at)
    header = ctx.t("dp_results_header", label=str(data.get("label") or ""))
    if data.get("helper_only"):
        header = f"{ctx.t('dp_helper_only')} {header}"
    body = "\n".join(f"{i} {line}" for i, line in enumerate(lines, start=1))
    ctx.state.options = []
    choices = [(status.place.name, f"place:{status.place.id}") for status in statuses]
    ctx.say(f"{header}\n{body}", None, place=_pin(statuses[0]), footer=ctx.t("dp_results_footer"))
    # The numbers in the list select a place; keep them as options without printing the labels twice.
    from bot.state import OfferedOption

    ctx.state.options = [OfferedOption(key=str(i), label=label, action=action)
                         for i, (label, action) in enumerate(choices, start=1)]


def _use_point(ctx: Ctx, point: GeoPoint, label: str) -> None:
    ctx.state.data.update({"point": [point.lat, point.lon], "label": label, "offset": 0, "asks": 0})
    show_results(ctx)


def on_location(ctx: Ctx) -> None:
    """A shared GPS location (WhatsApp, Telegram): answer with the nearest places at once."""
    point = ctx.inbound.location
    assert point is not None
    if ctx.state.flow not in ("digipunt", "digipunt-results"):
        ctx.state.data = {"asks": 0, "offset": 0, "helper_only": False}
    label = ctx.inbound.location_label or ctx.library.places.locate(point) or ""
    ctx.intent = "digipunt.find"
    _use_point(ctx, point, label)


def _area_choices(ctx: Ctx) -> list[tuple[str, str]]:
    areas = ctx.library.places.by_neighbourhood()
    return [(name, f"dparea:{name}") for name in list(areas)[:6]]


def on_text(ctx: Ctx) -> bool:
    """While asking where the resident is: try the text as a place before anything else."""
    words = ctx.library.texts.keywords
    data = ctx.state.data
    if ctx.state.flow == "digipunt-results":
        if ctx.folded in words.get("more", ()):
            data["offset"] = int(data.get("offset", 0)) + PAGE
            show_results(ctx)
            return True
        if ctx.folded in words.get("helper_only", ()):
            data["helper_only"] = True
            data["offset"] = 0
            show_results(ctx)
            return True
        moment = parse_moment(ctx.text, ctx.now)
        if moment is not None:
            data["at"] = moment.isoformat()
            data["offset"] = 0
            show_results(ctx)
            return True
    by_name = ctx.library.places.find_by_name(ctx.text)
    if by_name is not None and ctx.state.flow == "digipunt-results":
        detail(ctx, by_name.id)
        return True
    resolution = ctx.library.places.resolve(ctx.text)
    if resolution.kind == "point" and resolution.point is not None:
        _use_point(ctx, resolution.point, resolution.label or ctx.text)
        return True
    if resolution.kind == "coarse":
        example = resolution.alternatives[0] if resolution.alternatives else "Brugse Poort"
        ctx.state.flow = "digipunt"
        ctx.say(ctx.t("dp_coarse", label=resolution.label or ctx.text, example=example), ask_location=True)
        return True
    if resolution.kind == "ambiguous" and resolution.alternatives:
        ctx.state.flow = "digipunt"
        ctx.say(ctx.t("dp_ambiguous"), [(alt, f"dpplace:{alt}") for alt in resolution.alternatives[:5]])
        return True
    if ctx.state.flow == "digipunt-results":
        return False
    match = ctx.library.matcher.classify(ctx.text, ctx.state.language or None)
    if match.intent is not None and match.intent != "digipunt.find":
        return False
    data["asks"] = int(data.get("asks", 0)) + 1
    if data["asks"] >= 2:
        ctx.say(ctx.t("dp_unknown_again"), [*_area_choices(ctx), (ctx.t("option_helper"), "flow:handoff")])
        return True
    ctx.say(ctx.t("dp_unknown"), ask_location=True)
    return True


def detail(ctx: Ctx, place_id: str) -> None:
    at = _moment(ctx)
    statuses = ctx.library.places.nearest(_point(ctx), at, limit=100, offset=0)
    for status in statuses:
        if status.place.id == place_id:
            ctx.say(describe_place(status, ctx.lang, at), place=_pin(status), link=_map_link(status))
            ctx.state.flow = "digipunt-results"
            return
    ctx.say(ctx.t("dp_no_more"))


def choose_place_name(ctx: Ctx, name: str) -> None:
    resolution = ctx.library.places.resolve(name)
    if resolution.point is not None:
        _use_point(ctx, resolution.point, resolution.label or name)
        return
    start(ctx, "")


def choose_area(ctx: Ctx, name: str) -> None:
    places = ctx.library.places.by_neighbourhood().get(name, [])
    ctx.state.flow = "digipunt-results"
    with_point = [p for p in places if p.lat is not None and p.lon is not None]
    if with_point:
        first = with_point[0]
        assert first.lat is not None and first.lon is not None
        _use_point(ctx, GeoPoint(first.lat, first.lon), name)
        return
    choices = [(p.name, f"place:{p.id}") for p in places]
    ctx.say(name, [*choices, (ctx.t("option_menu"), "menu:main")])


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {
    "digipunt": start,
    "place": detail,
    "dpplace": choose_place_name,
    "dparea": choose_area,
}
TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {"digipunt": on_text, "digipunt-results": on_text}
