"""Dashboard figures for phone calls: calls per day, and how they ended (a ticket, an SMS, a place found, a
goodbye after silence, or the caller hung up, and at which step)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from storage.models import VoiceCall
from storage.session import Session
from storage.voice_calls import calls_between

# How a call ended, best outcome first; a call counts once, under the first that applies.
ENDINGS = ("ticket", "sms_sent", "place_found", "goodbye", "hung_up")
ENDING_LABELS = {
    "ticket": "helper belt terug (vraag gemaakt)",
    "sms_sent": "sms gestuurd",
    "place_found": "Digipunt gevonden",
    "goodbye": "geen toetsen: digibuur legde in",
    "hung_up": "bewoner legde in",
}
STEP_LABELS = {
    "menu": "hoofdmenu", "language": "taalkeuze", "postcode": "postcode", "places": "Digipunten gehoord",
    "callback": "terugbellen?", "number": "nummer intikken", "number-confirm": "nummer bevestigen",
    "window": "wanneer bellen", "after-ticket": "na de vraag", "guides": "stappenplan kiezen",
    "guide-help": "na het stappenplan", "ended": "einde",
}


@dataclass(frozen=True)
class CallFigures:
    per_day: tuple[tuple[date, int], ...]
    total: int
    endings: tuple[tuple[str, str, int], ...]  # (ending, label, calls)
    hung_up_at: tuple[tuple[str, int], ...]  # (step label, calls) for calls the caller ended without an outcome
    minutes: float  # total length of the calls Twilio reported, in minutes


def ending(call: VoiceCall) -> str:
    for name in ENDINGS[:-1]:
        if getattr(call, name):
            return name
    return "hung_up"


def build_calls(session: Session, days: list[date], begin: datetime, finish: datetime,
                local_day: Callable[[datetime], date]) -> CallFigures:
    """Calls that started in [begin, finish); `local_day` puts a call on the dashboard's local day."""
    rows = calls_between(session, begin, finish)
    per_day: Counter[date] = Counter()
    endings: Counter[str] = Counter()
    where: Counter[str] = Counter()
    seconds = 0
    for call in rows:
        per_day[local_day(call.started_at)] += 1
        name = ending(call)
        endings[name] += 1
        if name == "hung_up":
            where[STEP_LABELS.get(call.last_step, call.last_step or "-")] += 1
        seconds += call.duration_seconds or 0
    return CallFigures(
        per_day=tuple((day, per_day.get(day, 0)) for day in days),
        total=len(rows),
        endings=tuple((name, ENDING_LABELS[name], endings[name]) for name in ENDINGS if endings[name]),
        hung_up_at=tuple(where.most_common()),
        minutes=round(seconds / 60, 1),
    )
