"""The Digipunt finder's shared parts: what the conversation remembers, how replies are fitted to SMS, the wijk list."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date, format_time

from bot.flows.context import Ctx
from bot.messages import GeoPoint, PlacePin, Reply
from bot.render import render
from places.hours import local
from places.model import PlaceStatus

ASKING = "digipunt"
RESULTS = "digipunt-results"
INTENT = "digipunt.find"
PAGE = 3


def fresh_data() -> dict[str, object]:
    return {"asks": 0, "helper_only": False, "seen": [], "shown": []}


def moment_asked(ctx: Ctx) -> datetime:
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


def set_moment(ctx: Ctx, moment: datetime) -> None:
    if moment <= ctx.now + timedelta(minutes=1):
        ctx.state.data.pop("at", None)
    else:
        ctx.state.data["at"] = moment.isoformat()


def point_asked(ctx: Ctx) -> GeoPoint | None:
    raw = ctx.state.data.get("point")
    if isinstance(raw, list) and len(raw) == 2:
        return GeoPoint(float(raw[0]), float(raw[1]))
    return None


def saved_ids(ctx: Ctx, name: str) -> list[str]:
    raw = ctx.state.data.get(name)
    return [str(item) for item in raw] if isinstance(raw, list) else []


def saved_count(ctx: Ctx, name: str) -> int:
    raw = ctx.state.data.get(name, 0)
    return int(raw) if isinstance(raw, (int, float, str)) and str(raw).isdigit() else 0


def moment_words(ctx: Ctx, at: datetime) -> str:
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


def when_text(ctx: Ctx) -> str:
    at = moment_asked(ctx)
    return ctx.t("dp_when", moment=moment_words(ctx, at)) if at != ctx.now else ""


def fits(ctx: Ctx, reply: Reply) -> bool:
    channel = ctx.inbound.address.channel
    stamped = ctx.stamped(reply)
    return channel != "sms" or render(stamped, channel).segments <= stamped.sms_max_segments


def pin(status: PlaceStatus) -> PlacePin | None:
    place = status.place
    if place.lat is None or place.lon is None:
        return None
    return PlacePin(name=place.name, address=place.address, lat=place.lat, lon=place.lon)


def remember_step(ctx: Ctx, action: str) -> None:
    """Keep the step in the history so TERUG goes from a detail to the list, and from the list to the question."""
    history = ctx.state.history
    if not history or history[-1] != action:
        ctx.state.history = [*history[-5:], action]


def offer_areas(ctx: Ctx, _arg: str) -> None:
    """The wijken that have a Digipunt, plus a helper: never a dead end."""
    areas = sorted(ctx.library.places.by_neighbourhood())
    choices = [(name.split(" - ")[0], f"dparea:{name}") for name in areas]
    ctx.state.flow = ASKING
    ctx.say(ctx.t("dp_unknown_again"), [*choices, (ctx.t("option_helper"), "flow:handoff")])


def without_denied_places(ctx: Ctx, text: str) -> str:
    """The text without the clauses that deny a place, when another clause names one ('sorry, mendonk bedoel ik,
    niet desteldonk', 'nee niet Ledeberg, Gentbrugge'): the place meant, not the one corrected."""
    answers = ctx.library.answers
    if not answers.negates(text):
        return text  # (most messages: nothing denied, no clause resolved)
    kept: list[str] = []
    denied = named_elsewhere = False
    places = ctx.library.places
    for clause in answers.clauses(text):
        named = places.resolve(clause).kind != "unknown"
        words = answers.tokens(clause)
        if named and any(word in answers.negation for word in words):
            denied = True
            # 'sorry wondelgm niet mariakerke': the place before the 'niet' is the one meant
            first = next(index for index, word in enumerate(words) if word in answers.negation)
            before = " ".join(words[:first])
            if first and places.resolve(before).kind != "unknown":
                kept.append(before)
                named_elsewhere = True
            continue
        kept.append(clause)
        named_elsewhere = named_elsewhere or named
    return ", ".join(kept) if denied and named_elsewhere else text
