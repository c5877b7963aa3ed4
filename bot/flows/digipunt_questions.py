"""Questions about the Digipunten just shown (after a list or a detail): how far, what to bring, where exactly,
the hours, price or booking of the place in view, the first or second one of the list."""

from __future__ import annotations

from babel.numbers import format_decimal

from bot.content.answers import QUESTION_MARKS
from bot.flows import understand_place
from bot.flows.context import Ctx
from bot.flows.digipunt_common import INTENT, saved_ids, set_moment
from bot.flows.digipunt_results import detail, picked_place
from bot.messages import GeoPoint
from places.describe import ask_on_site
from places.geo import distance_m
from places.moments import parse_moment

WALKING_M_PER_MIN = 75  # about 4.5 km an hour


def asks_distance(ctx: Ctx) -> bool:
    """'is dat ver? ik heb geen auto', 'c'est loin a pied ?' after a list or a detail: the distance of the place
    shown (the detail, else the first of the list) and the walk in minutes; the list stays open."""
    if not ctx.library.answers.has(ctx.text, "distance_question"):
        return False
    place = ctx.library.places.get(place_in_view(ctx) or "")
    raw = ctx.state.data.get("point")
    anchor = ctx.library.places.anchor(place) if place is not None else None
    if place is None or anchor is None or not isinstance(raw, list) or len(raw) != 2:
        return False
    meters = distance_m(GeoPoint(float(raw[0]), float(raw[1])), anchor.point)
    minutes = max(5, round(meters / WALKING_M_PER_MIN / 5.0) * 5)
    km = format_decimal(meters / 1000, format="0.0", locale=ctx.lang)
    ctx.say(ctx.t("dp_distance", name=place.short_name or place.name, km=km, minutes=minutes,
                  label=str(ctx.state.data.get("label") or "")))
    return True


SURE_OTHER = 80.0  # a match this sure of another intent is that request, also after a list


def _loosely_other(ctx: Ctx, allowed: tuple[str | None, ...]) -> bool:
    """The message reads as one of `allowed`, or as something else only loosely ('moet ik daarvoor een afspraak
    maken?' scores 67 as 'menu')."""
    match = ctx.match()
    return match.intent in allowed or (not match.keyword and match.score < SURE_OTHER)


def asks_closer(ctx: Ctx) -> bool:
    """'en dichterbij is er niks?' after a list: the places shown are the nearest; more of them, or another
    place, are one word away."""
    answers = ctx.library.answers
    if not answers.has(ctx.text, "closer") or not _loosely_other(ctx, (None, INTENT)) or parse_moment(
            ctx.text, ctx.now) is not None or any(
            ctx.library.matcher.classify(clause).intent == "handoff.request" for clause in answers.clauses(ctx.text)):
        return False  # ('Dat is ver ... Kan er niet iemand mij eens bellen?', '... morgen namiddag kan?': asked)
    label = str(ctx.state.data.get("label") or "")
    if not label or not saved_ids(ctx, "shown"):
        return False
    ctx.say(ctx.t("dp_nearest_already", label=label))
    return True


def asks_nearest(ctx: Ctx) -> bool:
    """'which is closest', 'welke is het dichtst' after a list: the detail of the nearest place shown (the list is
    ordered by what is open, not only by distance)."""
    if not ctx.library.answers.has(ctx.text, "nearest_question") or not _loosely_other(ctx, (None, INTENT)):
        return False
    raw = ctx.state.data.get("point")
    shown = [place for place in (ctx.library.places.get(place_id) for place_id in saved_ids(ctx, "shown")) if place]
    if not isinstance(raw, list) or len(raw) != 2 or not shown:
        return False
    here = GeoPoint(float(raw[0]), float(raw[1]))
    spots = [(distance_m(here, anchor.point), place.id) for place in shown
             if (anchor := ctx.library.places.anchor(place)) is not None]
    if not spots:
        return False
    detail(ctx, min(spots)[1])
    return True


def asks_bring(ctx: Ctx) -> bool:
    """'en moet ik iets meebrengen?' after a list or a detail: there are computers, one's own device is welcome."""
    # ('my own laptop' reads as a device question elsewhere; after a list it is about the visit)
    if not ctx.library.answers.has(ctx.text, "bring_question") or not _loosely_other(
            ctx, (None, INTENT, "device.donate", "device.request")):
        return False
    ctx.say(ctx.t("dp_bring"))
    return True


def asks_what_i_do_not_know(ctx: Ctx) -> bool:
    """'mag mijn zoon mee komen?', 'hoe lang mag ik blijven?', 'is het rolstoeltoegankelijk?' asked after a list or
    a detail ('ok, dan ga ik woensdag met mijn buurvrouw mee' tells, it asks nothing): the answer about the place
    in view where the data has it (anyone may come along; its visit limit, hedged when uncertain), else an honest
    'I do not know' with a number to ask (the place's, else the city's Gentinfo)."""
    answers = ctx.library.answers
    topic = next((category for category in ("place_company", "place_duration", "place_unknown_fact")
                  if answers.has(ctx.text, category)), None)
    asks = ctx.text.rstrip().endswith(QUESTION_MARKS) or answers.opens_with(ctx.text, "question_openers")
    if topic is None or not asks or not _loosely_other(ctx, (None, INTENT, *BOOKING_INTENTS, "device.donate",
                                                 "device.request")):
        return False
    if understand_place.location(ctx, ctx.text) is not None:
        return False  # 'kan ik met mijn zoon naar gentbrugge': a new place question
    place = ctx.library.places.get(place_in_view(ctx) or "")
    if place is None:
        return False
    name = place.short_name or place.name
    if topic == "place_company":
        ctx.say(ctx.t("dp_company"))
    elif topic == "place_duration" and place.max_visit_minutes:
        if place.unsure("max_visit_minutes"):
            ctx.say(ctx.t("dp_visit_limit_unsure", name=name, minutes=place.max_visit_minutes,
                          ask=ask_on_site(ctx.lang)))
        else:
            ctx.say(ctx.t("dp_visit_limit", name=name, minutes=place.max_visit_minutes))
    elif topic == "place_duration":
        ctx.say(ctx.t("dp_visit_free", name=name))
    elif place.contact.phone:
        ctx.say(ctx.t("dp_ask_them", name=name, phone=place.contact.phone))
    else:
        ctx.say(ctx.t("dp_ask_city", name=name))
    return True


def asks_where_it_is(ctx: Ctx) -> bool:
    """'oui celui là, c'est où exactement?', 'is het gratis?', 'moet ik op voorhand bellen?' after a list (no
    number, no name): the place in view (the detail shown, else the first of the list, the nearest), whose detail
    gives its address, hours, helper, price and booking."""
    answers = ctx.library.answers
    if not (answers.has(ctx.text, "address") or answers.has(ctx.text, "place_facts")) \
            or not _loosely_other(ctx, (None, INTENT, *BOOKING_INTENTS)):
        return False
    if ctx.library.places.resolve(ctx.text).kind != "unknown":
        return False  # 'een gratis computer in gentbrugge': a new place question
    return _detail_in_view(ctx)


def _detail_in_view(ctx: Ctx) -> bool:
    """The detail of the place in view (the detail shown, else the first of the list), at the moment the message
    names ('en hoe laat is da open vandaag'); False when no place was shown."""
    place = place_in_view(ctx)
    if place is None:
        return False
    moment = parse_moment(ctx.text, ctx.now)
    if moment is not None:
        set_moment(ctx, moment)
    detail(ctx, place)
    return True


def place_in_detail(ctx: Ctx) -> str | None:
    """The Digipunt whose detail was shown last, if the conversation is there."""
    history = ctx.state.history
    return history[-1].partition(":")[2] if history and history[-1].startswith("place:") else None


def place_in_view(ctx: Ctx) -> str | None:
    """The place a follow-up question is about: the detail shown, else the first of the list (the nearest)."""
    shown = saved_ids(ctx, "shown")
    return place_in_detail(ctx) or (shown[0] if shown else None)


BOOKING_INTENTS = ("booking.make", "booking.status")


def asks_about_booking(ctx: Ctx) -> bool:
    """'moet ik reserveren?', 'il faut prendre rendez-vous ?' after a list or a detail: a question about the place
    (the detail says whether a visit needs booking and offers it where it can), not a booking started."""
    if not ctx.text.rstrip().endswith(QUESTION_MARKS) or ctx.match().intent not in BOOKING_INTENTS:
        return False
    return _detail_in_view(ctx)


ORDINALS = ("first", "second", "third")


def ordinal_named(ctx: Ctx) -> bool:
    """'hoe laat gaat die eerste open dan': the listed Digipunt named by its place in the list, in full; also with
    a day ('le 1 c ouvert samedi?': its detail on that day, not the whole list again) or a place to come from
    ('how do I get to the second one from the station?': not a list near the station)."""
    said = [index for index, name in enumerate(ORDINALS) if ctx.library.answers.has(ctx.text, name)]
    shown = saved_ids(ctx, "shown")
    if len(said) != 1 or said[0] >= len(shown):
        return False
    picked_place(ctx, shown[said[0]])
    return True
