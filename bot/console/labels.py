"""Dutch words for the console: labels for stored codes, short Dutch dates, inbox errors in plain Dutch.

The database keeps its codes (solved, claimed, listed, ...); only what staff and helpers read is Dutch.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel import Locale, UnknownLocaleError

from places.hours import TIMEZONE

OUTCOME_LABELS: dict[str, str] = {
    "solved": "Opgelost",
    "no_answer": "Niet opgenomen",
    "call_again": "Later opnieuw bellen (kies datum en uur)",
    "referred": "Doorverwezen naar een Digipunt",
    "other": "Iets anders",
}

LABELS: dict[str, dict[str, str]] = {
    "outcome": {**OUTCOME_LABELS, "call_again": "Later opnieuw bellen"},
    "ticket_status": {"open": "open", "claimed": "genomen", "closed": "afgesloten"},
    "scope": {"unclaimed": "Wachtend", "mine": "Mijn vragen", "organisation": "Mijn organisatie", "all": "Alle",
              "test": "Testgesprekken"},
    "place_status": {"listed": "op de lijst", "unverified": "niet bevestigd", "historical": "gestopt"},
    "event": {
        "opened": "geopend",
        "claimed": "genomen",
        "released": "teruggegeven",
        "closed": "afgesloten",
        "outcome": "resultaat",
        "reminder": "herinnering",
        "rerouted": "naar een andere organisatie",
        "second_request": "nieuwe vraag van de bewoner",
        "resident_message": "bericht van de bewoner",
        "message_to_resident": "bericht aan de bewoner",
        "message_not_sent": "bericht niet verstuurd",
    },
    "step_kind": {"step": "stap", "check": "controle", "answer": "keuze"},
    "sender": {"resident": "bewoner", "digibuur": "digibuur", "helper": "helper"},
    "outbox_status": {"failed": "mislukt", "skipped": "overgeslagen", "pending": "wacht", "sent": "verstuurd"},
    "purpose": {
        "helper_message": "bericht van een helper",
        "ticket_announcement": "nieuwe vraag voor helpers",
        "ticket_message": "bericht van de bewoner aan de helper",
        "ticket_claimed": "melding: een helper neemt de vraag op",
        "ticket_closed_idle": "melding: vraag afgesloten",
        "call_again_reminder": "herinnering: opnieuw bellen",
        "reply": "antwoord",
    },
    "content_kind": {
        "guide": "stappenplan",
        "intent": "soort vraag",
        "places": "Digipunten",
        "texts": "teksten",
        "organisations": "helperorganisaties",
    },
    "unmatched_reason": {"unmatched": "niet herkend", "ambiguous": "twijfel"},
    "unmatched_status": {"new": "nieuw", "added": "toegevoegd", "dismissed": "weggelegd"},
}

WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
_SILENT_EVENT_TEXTS = ("message_to_resident", "resident_message")


def label(value: object, kind: str) -> str:
    """The Dutch word for a stored code; an unknown code is shown as it is."""
    text = "" if value is None else str(value)
    return LABELS.get(kind, {}).get(text, text)


def short_day(day: date) -> str:
    """'do 26/11'."""
    return f"{WEEKDAYS[day.weekday()]} {day:%d/%m}"


def local_moment(moment: datetime | None) -> str:
    """'do 26/11 14:00' in Ghent time; empty for None."""
    if moment is None:
        return ""
    here = moment.astimezone(TIMEZONE)
    return f"{short_day(here.date())} {here:%H:%M}"


def event_text(kind: str, text: str) -> str:
    """What an event line adds after its kind: outcome codes as words; messages themselves are not repeated."""
    if not text or kind in _SILENT_EVENT_TEXTS:
        return ""
    if kind in ("outcome", "closed"):
        code, _, rest = text.partition(" ")
        if code == "idle":
            return "niemand reageerde meer"
        if code in OUTCOME_LABELS:
            moment = _iso_moment(rest)
            return label(code, "outcome") + (f" ({moment})" if moment else "")
    if kind == "message_not_sent":
        return "de bewoner is niet bereikbaar (STOP of gegevens gewist)"
    if kind in ("opened", "rerouted"):
        return routing_words(text)
    if kind == "reminder":
        moment = _iso_moment(text.removeprefix("call again at "))
        return f"opnieuw bellen om {moment}" if moment else text
    return text


def _iso_moment(raw: str) -> str:
    try:
        return local_moment(datetime.fromisoformat(raw.strip())) if raw.strip() else ""
    except ValueError:
        return ""


_ROUTING_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), dutch)
    for pattern, dutch in (  # longer phrases first: "nobody open now" before "open now"
        (r"\bnobody open now; first to open\b", "nu is niemand open; eerste die opengaat"),
        (r"\bnobody active speaks (\S+?)\b", r"geen actieve organisatie spreekt \1"),
        (r"\bthose who speak (\S+?) are not open now\b", r"wie \1 spreekt is nu niet open"),
        (r"\bnobody fitting covers (\S+?)(?=[,;)]|$)", r"geen passende organisatie helpt met \1"),
        (r"\bhours not filled in\b", "uren niet ingevuld"),
        (r"\bopen now\b", "nu open"),
        (r"\bspeaks (\S+?)\b", r"spreekt \1"),
        (r"\bcovers (\S+?)(?=[,;)]|$)", r"helpt met \1"),
        (r"\b1 open tickets\b", "1 open vraag"),
        (r"\b(\d+) open tickets\b", r"\1 open vragen"),
        (r"\bno active organisation\b", "geen actieve organisatie"),
        (r"\b(\S+) is not active\b", r"\1 is niet actief"),
        (r"\b(\S+) is not configured\b", r"\1 bestaat niet in de lijst"),
        (r"\bunclaimed at (\S+) for (\d+) helpdesk minutes\b", r"\2 minuten niet genomen bij \1 (tijdens de uren)"),
        (r"; then ", "; daarna "),
    )
)


def routing_words(reason: str) -> str:
    """Why a question went to an organisation (stored in English by the routing rules), in Dutch words."""
    for pattern, dutch in _ROUTING_WORDS:
        reason = pattern.sub(dutch, reason)
    return reason


_INBOX_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), dutch)
    for pattern, dutch in (
        (r"^no ticket (?P<code>.+)$", "Vraag {code} bestaat niet, of je organisatie mag ze niet zien."),
        (
            r"^only helpers, staff and admins can claim$",
            "Alleen helpers en medewerkers van de stad kunnen een vraag nemen.",
        ),
        (r"^only the helper who claimed it can release", "Alleen de helper die deze vraag nam, kan ze teruggeven."),
        (r"^outcome must be one of", "Kies een resultaat uit de lijst."),
        (r"^call_again needs a date and time", "Kies een datum en uur om opnieuw te bellen."),
        (r"^call_again time must be in the future", "Het uur om opnieuw te bellen moet in de toekomst liggen."),
        (r"^this ticket is closed$", "Deze vraag is al afgesloten."),
        (r"^another helper has just claimed this ticket$", "Een andere helper heeft deze vraag net genomen."),
        (r"^another helper has this ticket$", "Een andere helper heeft deze vraag."),
        (r"^the message is empty$", "Het bericht is leeg. Schrijf eerst iets."),
        (r"^the message is longer than (?P<count>\d+) characters$", "Het bericht is langer dan {count} tekens."),
    )
)


def inbox_error(message: str) -> str:
    """An error from the shared inbox rules (English, for developers) in plain Dutch for the helper."""
    for pattern, dutch in _INBOX_ERRORS:
        found = pattern.match(message)
        if found:
            return dutch.format(**found.groupdict())
    return message


def language_label(code: str) -> str:
    """A language code for helpers and staff: its Dutch name and its own name ('Arabisch · العربية')."""
    try:
        own = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return code
    dutch = Locale.parse("nl").languages.get(code) or code
    native = own.get_display_name(code) or code
    return dutch if dutch.lower() == native.lower() else f"{dutch} · {native}"
