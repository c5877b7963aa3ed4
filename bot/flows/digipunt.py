"""The Digipunt finder dialogue: understand where (and when) the resident is, then list the nearest open places."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.content.answers import QUESTION_MARKS
from bot.flows import digipunt_questions as questions
from bot.flows.context import Ctx
from bot.flows.digipunt_common import (
    ASKING,
    INTENT,
    PAGE,
    RESULTS,
    fresh_data,
    moment_asked,
    moment_words,
    offer_areas,
    remember_step,
    saved_count,
    saved_ids,
    set_moment,
    when_text,
    without_denied_places,
)
from bot.flows.digipunt_results import detail, picked_place, present, show_results
from bot.flows.menu import unmatched_effect
from bot.messages import GeoPoint
from intents.matcher import Match
from places.geo import distance_m
from places.hours import local
from places.model import Resolution
from places.moments import parse_moment
from places.text import key, simplify

STRONG_INTENT = 90.0  # another intent this sure wins over a place name found in the same text
MAX_ALTERNATIVES = 5
SAME_SPOT_M = 150.0  # a landmark this close to a listed Digipunt is that Digipunt ('the library one')


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


def _example(ctx: Ctx, names: Sequence[str]) -> str:
    """One or two short example names: 'Binnenstad of Sluizeken'."""
    short = [name.split(" - ")[0] for name in names[:2]]
    if len(short) == 2:
        return ctx.t("dp_example_or", first=short[0], second=short[1])
    return short[0] if short else "Brugse Poort"


def start(ctx: Ctx, _arg: str) -> None:
    """'waar is een digipunt': answer at once when the message already names a place, else ask where."""
    ctx.state.flow = ASKING
    ctx.state.data = fresh_data()
    ctx.state.options = []
    ctx.state.misses = 0
    remember_step(ctx, "dpask:")
    ctx.intent = ctx.intent or INTENT
    moment = parse_moment(ctx.text, ctx.now) if not ctx.folded.isdigit() else None
    if moment is not None:
        set_moment(ctx, moment)
    if _asks_helper(ctx, anywhere=True):
        ctx.state.data["helper_only"] = True
    resolution = _resolve_request(ctx)
    if resolution.kind != "unknown":
        _answer(ctx, resolution)
        return
    street = ctx.library.places.gazetteer.unknown_street(ctx.text)
    remembered = _remembered(ctx) if street is None else None
    if remembered is not None:  # a street or wijk said earlier in the conversation
        _use_point(ctx, remembered[0], remembered[1])
        return
    # 'ik woon in de sleepstraat, waar is er een computer': say which street is not known yet, then ask
    if street:
        ctx.state.flow = ASKING
        ctx.say(f"{ctx.t('dp_unknown_street', street=street)} {ctx.t('dp_ask_area')}", ask_location=True)
        return
    _ask_location(ctx)


def _remembered(ctx: Ctx) -> tuple[GeoPoint, str] | None:
    where = ctx.state.where or {}
    point, label = where.get("point"), where.get("label")
    if isinstance(point, list) and len(point) == 2 and isinstance(label, str) and label:
        return GeoPoint(float(point[0]), float(point[1])), label
    return None


_INTENT_WORDS: dict[int, tuple[object, frozenset[str]]] = {}  # id(spec) -> (spec, its words): built once per content


def _intent_words(ctx: Ctx) -> frozenset[str]:
    spec = ctx.library.catalog.intents.get(INTENT)
    if spec is None:
        return frozenset()
    known = _INTENT_WORDS.get(id(spec))
    if known is not None and known[0] is spec:
        return known[1]
    phrases = [text for texts in (*spec.examples.values(), *spec.keywords.values()) for text in texts]
    words = frozenset(word for phrase in phrases for word in simplify(phrase).split())
    if len(_INTENT_WORDS) > 16:  # old content revisions
        _INTENT_WORDS.clear()
    _INTENT_WORDS[id(spec)] = (spec, words)
    return words


def _resolve_request(ctx: Ctx) -> Resolution:
    """The place named in a request ('digipunt in ledeberg'): the whole text, else the text minus the intent's
    own words."""
    places = ctx.library.places
    resolution = places.resolve(without_denied_places(ctx, ctx.text))
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
    only = _the_one_on_street(ctx, resolution) or _the_one_named(ctx)
    if only is not None:  # 'waar is dat digipunt in de kongostraat en wanneer is dat open': its detail at once
        point = resolution.point
        ctx.state.data.update({"point": [point.lat, point.lon] if point else None, "label": label, "asks": 0,
                               "coarse": 0, "shown": [only], "seen": [only]})
        detail(ctx, only)
        return
    if resolution.kind == "point":
        _use_point(ctx, resolution.point, label)
        return
    if resolution.kind == "coarse":
        if saved_count(ctx, "coarse") >= 1:  # asked once already: rank from the area's centre, or offer the wijken
            if resolution.point is not None:
                _use_point(ctx, resolution.point, label)
            else:
                offer_areas(ctx, "")
            return
        data["coarse"] = saved_count(ctx, "coarse") + 1
        ctx.state.flow = ASKING
        ctx.say(ctx.t("dp_coarse", label=label, example=_example(ctx, resolution.alternatives)), ask_location=True)
        return
    if not resolution.alternatives:
        if resolution.point is not None:
            _use_point(ctx, resolution.point, label)
        else:
            _ask_location(ctx)
        return
    if resolution.point is not None and _close_together(ctx, resolution):
        _use_point(ctx, resolution.point, label)  # 'Gentbrugge' (a deelgemeente and two wijken next to each other)
        return
    ctx.state.flow = ASKING
    choices = [(alternative, f"dpplace:{alternative}") for alternative in resolution.alternatives[:MAX_ALTERNATIVES]]
    ctx.say(ctx.t("dp_ambiguous", label=label), choices)


NOW_SECONDS = 600
CLOSE_READINGS_M = 2500.0  # readings of one name this close together give the same nearby Digipunten


def _close_together(ctx: Ctx, resolution: Resolution) -> bool:
    """Every reading of an ambiguous name lies near its representative point: no need to ask which one."""
    points = [ctx.library.places.resolve(alternative).point for alternative in resolution.alternatives]
    return resolution.point is not None and all(
        point is not None and distance_m(point, resolution.point) <= CLOSE_READINGS_M for point in points)


def _the_one_on_street(ctx: Ctx, resolution: Resolution) -> str | None:
    """The Digipunt the message names, or the one offered Digipunt on the street it names when it speaks of one
    Digipunt ('dat digipunt in de kongostraat', 'le digipunt de la rue ...'), or None."""
    if resolution.kind != "point" or not resolution.label:
        return None
    named = next((place for place in ctx.library.places.places
                  if place.offered and place.name == resolution.label), None)
    if named is not None:
        return named.id  # 'hoe laat is de kringwinkel aan de vlaamsekaai open vandaag'
    answers = ctx.library.answers
    # 'dat digipunt in de kongostraat', 'digipunt kongostraat, welk nummer? moet ik afspraak maken': one place
    asks = "?" in ctx.text or "\u061f" in ctx.text
    about_one = answers.has(ctx.text, "one_place") or answers.has(ctx.text, "address") or (asks and any(
        candidate.intent in questions.BOOKING_INTENTS for candidate in ctx.match().candidates[:3]))
    at_spot = [place for place in ctx.library.places.places if place.offered and place.point is not None
               and resolution.point is not None and distance_m(place.point, resolution.point) <= SAME_SPOT_M]
    # 'is de serre aan het rerum novarumplein open op vrijdag': the place named by its own name, asked about
    # (named where it stands: 'near the kringwinkel' in Mariakerke is a landmark to start from, not the question)
    by_name = [place.id for place in at_spot if _names_place(ctx, place.short_name or place.name)
               and place.street and key(place.street) in key(resolution.label)]
    if len(by_name) == 1 and (asks or answers.has(ctx.text, "place_words") or _asks_helper(ctx, anywhere=True)):
        return by_name[0]
    if not about_one:
        return None
    if len(at_spot) == 1 and resolution.point is not None:
        return at_spot[0].id  # 'is there still a digipunt in De Krook library? do I need to book?'
    street = f" {key(resolution.label)} "
    found = [place.id for place in ctx.library.places.places
             if place.offered and place.street and f" {key(place.street)} " == street]
    return found[0] if len(found) == 1 else None


def _names_place(ctx: Ctx, name: str) -> bool:
    """The message names the place by its own name ('de serre'), every word of it."""
    said = set(simplify(ctx.text).split())
    wanted = [word for word in simplify(name).split() if len(word) >= 3 and word != "digipunt"]
    return bool(wanted) and all(word in said for word in wanted)


def _use_point(ctx: Ctx, point: GeoPoint | None, label: str) -> None:
    data = ctx.state.data
    data.update({"point": [point.lat, point.lon] if point else None, "label": label, "asks": 0, "coarse": 0})
    if ctx.inbound.location is None:
        data["outside"] = False
    if point is not None and not data.get("outside"):
        ctx.state.where = {"point": [point.lat, point.lon], "label": label}
    show_results(ctx, fresh=True)


def ask_again(ctx: Ctx) -> bool:
    """The place question, the list or the place detail again (after a language switch)."""
    if ctx.state.flow == RESULTS:
        history = ctx.state.history
        if history and history[-1].startswith("place:"):
            detail(ctx, history[-1].partition(":")[2])
        else:
            show_results(ctx, fresh=True)
        return True
    _ask_location(ctx)
    return True


def on_location(ctx: Ctx) -> None:
    """A shared GPS location (WhatsApp, Telegram): answer with the nearest places at once, in any flow."""
    point = ctx.inbound.location
    assert point is not None
    if ctx.state.flow not in (ASKING, RESULTS):
        ctx.state.data = fresh_data()
        remember_step(ctx, "dpask:")
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


MAX_DETAILS_AT_ONCE = 2


def _numbers_only(ctx: Ctx) -> list[int]:
    """'2 en 3', '1 and 2', '2,3': the numbers of a message that holds only numbers and joining words."""
    answers = ctx.library.answers
    joining = answers.single_words("clause_breaks")
    words = ctx.folded.replace(",", " ").replace("&", " ").replace("+", " ").split()
    if len(words) < 2 or not all(word.isdigit() or word in joining for word in words):
        return []
    return [int(word) for word in words if word.isdigit() and len(word) <= 2]


NUMBER_FIRST = re.compile(r"(\d{1,2})[\s,.;:!)-]+(\S.*)")


def _number_first(ctx: Ctx) -> bool:
    """'2 please. How do I get there from Sint-Pietersplein?': a message that opens with the number of a listed
    Digipunt (not an hour: '2 uur', '14u') picks it, whatever place or question follows."""
    opening = NUMBER_FIRST.match(ctx.folded)
    shown = saved_ids(ctx, "shown")
    if opening is None or not 1 <= int(opening[1]) <= len(shown):
        return False
    if parse_moment(ctx.text, ctx.now) != parse_moment(opening[2], ctx.now):
        return False  # the number is part of a moment
    picked_place(ctx, shown[int(opening[1]) - 1])
    return True


def on_text(ctx: Ctx) -> bool:
    """A text while asking where, or after a result list. False = not for this flow (the engine goes on)."""
    data = ctx.state.data
    in_results = ctx.state.flow == RESULTS
    if in_results and _asks_more(ctx):
        show_results(ctx, fresh=False)
        return True
    if in_results and _asks_helper(ctx, anywhere=True):
        shown_place = questions.place_in_detail(ctx) if ctx.folded not in _words(ctx, "helper_only") else None
        if shown_place is not None:  # 'is er daar iemand om te helpen?' about the place just shown: its detail
            detail(ctx, shown_place)
            return True
        if _named_place(ctx):
            return True  # 'Die bib De Krook, ... is daar iemand om te helpen?': that Digipunt's detail says it
        data["helper_only"] = True
        show_results(ctx, fresh=True)
        return True
    several = _numbers_only(ctx) if in_results else []
    if len(several) > 1 and all(1 <= number <= len(saved_ids(ctx, "shown")) for number in several):
        shown = saved_ids(ctx, "shown")  # '2 en 3': both Digipunten in full (details are asked for)
        for number in dict.fromkeys(several[:MAX_DETAILS_AT_ONCE]):
            detail(ctx, shown[number - 1])
        return True
    if in_results and ctx.folded.isdigit() and len(ctx.folded) <= 2:
        shown = saved_ids(ctx, "shown")
        if 1 <= int(ctx.folded) <= len(shown):  # '1' after a detail shown at once: that Digipunt again
            detail(ctx, shown[int(ctx.folded) - 1])
            return True
        ctx.say(ctx.t("dp_pick_number", last=len(shown) or 1))
        return True
    if in_results and questions.asks_what_i_do_not_know(ctx):
        return True
    if in_results and questions.asks_nearest(ctx):
        return True
    if in_results and questions.asks_closer(ctx):
        return True
    if in_results and _named_place(ctx):
        return True
    if in_results and questions.asks_bring(ctx):
        return True
    if in_results and questions.asks_where_it_is(ctx):
        return True
    if in_results and questions.ordinal_named(ctx):
        return True
    if in_results and _number_first(ctx):
        return True
    moment = parse_moment(ctx.text, ctx.now)
    resolution = ctx.library.places.resolve(without_denied_places(ctx, ctx.text))
    if resolution.kind != "unknown":
        if _strong_other_intent(ctx.match()):
            return False
        if moment is not None:
            set_moment(ctx, moment)
        ctx.intent = INTENT
        _answer(ctx, resolution)
        return True
    if moment is not None and _strong_other_intent(ctx.match()):
        return False  # "ok en nu whatsapp": 'nu' is no moment for a Digipunt here
    if moment is not None:
        set_moment(ctx, moment)
        ctx.intent = INTENT
        later = abs((moment - ctx.now).total_seconds()) > NOW_SECONDS  # 'nu' goes back to the list
        shown_place = questions.place_in_detail(ctx) if in_results and later else None
        if shown_place is not None:
            detail(ctx, shown_place)  # 'I would go on Saturday morning' after a place's detail: that place then
        elif in_results:
            show_results(ctx, fresh=True)
        else:
            _ask_location(ctx, ctx.t("dp_moment_noted", moment=moment_words(ctx, moment_asked(ctx))))
        return True
    if in_results and ctx.library.answers.has(ctx.text, "other_day") and ctx.match().intent in (None, INTENT):
        ctx.say(ctx.t("dp_which_day"))  # 'ok what about other days': a day then gives the list for that day
        return True
    if in_results and questions.asks_about_booking(ctx):
        return True
    if in_results and questions.asks_distance(ctx):
        return True
    if in_results and ctx.match().intent is None and ctx.library.answers.has(ctx.text, "place_words"):
        show_results(ctx, fresh=True)  # 'een computer om mijn mails te lezen': what the list is for
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


def _the_one_named(ctx: Ctx) -> str | None:
    """The one Digipunt named inside the message by a name no request uses ('a la Zuidpoort a Nieuw Gent'; not
    'inburgering' or 'gentinfo', words the intent examples use), when the message asks something ('is de bib aan
    de watersportbaan open op zaterdag': also one no longer listed, whose detail says so)."""
    answers = ctx.library.answers  # ('dag ik kom donderdag. is er in de krook nog een digipunt en ...': a clause asks)
    asks = ctx.text.rstrip().endswith(QUESTION_MARKS) or any(
        answers.opens_with(clause, "question_openers") for clause in answers.clauses(ctx.text))
    if not asks:
        return None
    known = ctx.library.matcher.index.word_languages
    named = {place.id for name, place in ctx.library.places.names_in(ctx.text) if " " in name or name not in known}
    return next(iter(named)) if len(named) == 1 else None


def asks_about_a_named_place(ctx: Ctx) -> bool:
    """The message names one offered Digipunt ('in De Krook') and asks about it (its hours, whether someone helps
    there): the place's detail answers, not a call."""
    resolution = ctx.library.places.resolve(ctx.text)
    point = resolution.point
    named = resolution.kind == "point" and point is not None and any(
        place.offered and (place.name == resolution.label or (
            place.point is not None and distance_m(place.point, point) <= SAME_SPOT_M))
        for place in ctx.library.places.places)
    answers = ctx.library.answers
    return named and (answers.has(ctx.text, "address") or _asks_helper(ctx, anywhere=True)
                      or answers.has(ctx.text, "place_facts"))


def asks_helper_there(ctx: Ctx) -> bool:
    """After a list or a detail: 'is there someone there who can help me?' asks about the places, not for a call."""
    return ctx.state.flow == RESULTS and _asks_helper(ctx, anywhere=True)


def _named_place(ctx: Ctx) -> bool:
    """After a list, the name of a listed Digipunt (or of a Digipunt the gazetteer knows) shows its detail."""
    on_street = _listed_on_named_street(ctx)
    if on_street is not None:
        detail(ctx, on_street)  # "die in de getouwstraat, tot hoe laat is die open?"
        return True
    place = ctx.library.places.find_by_name(ctx.text)
    if place is None or not place.offered:
        at_landmark = _listed_at_named_point(ctx)  # "tell me more about the library one"
        if at_landmark is not None:
            detail(ctx, at_landmark)
        return at_landmark is not None
    if place.id in saved_ids(ctx, "shown") or ctx.library.places.resolve(ctx.text).label == place.name:
        detail(ctx, place.id)
        return True
    return False


def _listed_at_named_point(ctx: Ctx) -> str | None:
    """The one listed Digipunt standing at the landmark the message names ('the library one'), or None; a
    street is a place to search near ('kongostrat'), even the street of a listed Digipunt."""
    resolution = ctx.library.places.resolve(ctx.text)
    if resolution.kind != "point" or resolution.point is None:
        return None
    label = f" {key(resolution.label or '')} "
    found = []
    for place_id in saved_ids(ctx, "shown"):
        place = ctx.library.places.get(place_id)
        spot = place.point if place is not None else None
        on_its_street = place is not None and bool(place.street) and f" {key(place.street or '')} " in label
        if spot is not None and not on_its_street and distance_m(spot, resolution.point) <= SAME_SPOT_M:
            found.append(place_id)
    return found[0] if len(found) == 1 else None


def _listed_on_named_street(ctx: Ctx) -> str | None:
    """The one listed Digipunt whose street the message names, or None."""
    said = f" {key(ctx.text)} "
    found = []
    for place_id in saved_ids(ctx, "shown"):
        place = ctx.library.places.get(place_id)
        if place is not None and place.street and f" {key(place.street)} " in said:
            found.append(place_id)
    return found[0] if len(found) == 1 else None


def _not_understood(ctx: Ctx) -> None:
    """First miss: ask again with an example. Second miss: the wijken with a Digipunt, or a helper."""
    asks = saved_count(ctx, "asks") + 1
    ctx.state.data["asks"] = asks
    if asks >= 2:
        offer_areas(ctx, "")
        return
    street = ctx.library.places.gazetteer.unknown_street(ctx.text)
    if street:
        ctx.say(f"{ctx.t('dp_unknown_street', street=street)} {ctx.t('dp_ask_area')}", ask_location=True)
        return
    ctx.say(ctx.t("dp_unknown"), ask_location=True)


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
    at = moment_asked(ctx)
    statuses = sorted(
        (places.status(place, local(at)) for place in members),
        key=lambda status: (not status.open_now, status.place.name),
    )
    first_point = next((place.point for place in members if place.point is not None), None)
    point = [first_point.lat, first_point.lon] if first_point else None
    ctx.state.data.update({"point": point, "label": name, "asks": 0, "outside": False})
    header = ctx.t("dp_area_header", label=name, when=when_text(ctx))
    present(ctx, statuses[:PAGE], header, ["dp_results_footer_day", "dp_results_footer"], [])


def ask_where(ctx: Ctx, _arg: str) -> None:
    """The place question itself (TERUG from a list comes back here, without the remembered place)."""
    ctx.state.data = fresh_data()
    ctx.state.misses = 0
    ctx.intent = ctx.intent or INTENT
    remember_step(ctx, "dpask:")
    _ask_location(ctx)


def show_again(ctx: Ctx, _arg: str) -> None:
    show_results(ctx, fresh=True)


def show_all(ctx: Ctx, _arg: str) -> None:
    ctx.state.data["helper_only"] = False
    show_results(ctx, fresh=True)


ACTIONS: dict[str, Callable[[Ctx, str], None]] = {
    "digipunt": start,
    "place": picked_place,
    "dpplace": choose_place_name,
    "dparea": choose_area,
    "dpagain": show_again,
    "dpask": ask_where,
    "dpall": show_all,
}


TEXT_HOOKS: dict[str, Callable[[Ctx], bool]] = {ASKING: on_text, RESULTS: on_text}
