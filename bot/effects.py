"""Effects: what the engine asks the service to do after a turn (the engine itself does no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.messages import Reply


@dataclass(frozen=True)
class OptOut:
    """The resident sent STOP: send nothing more until START."""


@dataclass(frozen=True)
class OptIn:
    """The resident sent START after STOP."""


@dataclass(frozen=True)
class SetLanguage:
    """Remember the resident's language on the contact."""

    language: str


@dataclass(frozen=True)
class RecordUnmatched:
    """Keep a not-understood or ambiguous message for staff review, with the best guesses."""

    text: str
    reason: str
    language: str | None
    guesses: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class OpenTicket:
    """Open (or add to) a handoff ticket; the service answers with the ticket confirmation."""

    topic: str
    language: str
    callback_number: str | None
    callback_window: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class AddToTicket:
    """Add the resident's message to their open ticket and tell the helper."""

    code: str
    text: str


@dataclass(frozen=True)
class ChangeCallbackWindow:
    """'svp in de voormiddag' just after the ticket was opened: the open ticket's callback window changes."""

    code: str
    window: str


@dataclass(frozen=True)
class ChangeCallbackNumber:
    """'Call her, not me: 0486 20 33 71' just after the ticket was opened: the open ticket's callback number
    changes."""

    code: str
    number: str


@dataclass(frozen=True)
class AskTicketStatus:
    """The resident asks where their ticket is; the service answers with its status."""

    code: str | None


@dataclass(frozen=True)
class ForgetContact:
    """Delete the resident's number and messages; anonymise their tickets."""


@dataclass(frozen=True)
class SendSms:
    """Queue replies as SMS to a number (a caller on the phone line asked for it). With `state`, the resident's
    SMS conversation continues from there (a guide started during a call goes on by SMS)."""

    to: str
    replies: tuple[Reply, ...]
    language: str
    purpose: str = "voice"
    state: dict[str, Any] | None = None


@dataclass(frozen=True)
class CallProgress:
    """Where a phone call is (its step) and what it achieved so far, for the calls on the dashboard.
    `events`: place_found, sms_sent, goodbye (digibuur ended the call)."""

    call: str
    step: str
    language: str
    withheld: bool = False
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Subscribe:
    """The resident said yes to news or to following a place; `wording` is the question exactly as shown."""

    kind: str  # news | follow
    place_id: str = ""
    wording: str = ""


@dataclass(frozen=True)
class Unsubscribe:
    """STOP NIEUWS or STOP VOLG: end that kind of message only."""

    kind: str  # news | follow


@dataclass(frozen=True)
class NewsOffered:
    """The one-time news offer was shown (asked again at the earliest 90 days later)."""

    wording: str


@dataclass(frozen=True)
class SurveyAnswer:
    """The answer to 'did the helper help you?' (1 yes, 2 a little, 3 no), or the optional comment after it."""

    answer: int | None
    comment: str | None = None


@dataclass(frozen=True)
class BookingRequest:
    """A booking step that needs the database; the service answers it through bot/flows/booking.py.

    kind: "days" (days with free seats), "times" (free sessions of `day`, from `offset`), "book" (take a seat in
    `slot`), "status" (the resident's bookings, or the one with `code`), "cancel_ask" (which to cancel), "cancel"
    (cancel `code`)."""

    kind: str
    place: str = ""
    day: str = ""
    slot: int = 0
    offset: int = 0
    purpose: str = ""
    code: str = ""


Effect = (OptOut | OptIn | SetLanguage | RecordUnmatched | OpenTicket | AddToTicket | ChangeCallbackWindow
          | ChangeCallbackNumber | AskTicketStatus | ForgetContact | SendSms | CallProgress | Subscribe | Unsubscribe
          | NewsOffered | SurveyAnswer | BookingRequest)
OUTBOUND_EFFECTS = (Subscribe, Unsubscribe, NewsOffered, SurveyAnswer)


@dataclass(frozen=True)
class CallbackPromise:
    """When a helper will call, in the window the resident chose (computed by handoff/promise.py).

    window: "asap", "morning", "afternoon" or "day" (a chosen day, in `day`).
    start: the earliest real moment a helper can call, from the organisation's hours (None: hours unknown;
      with unknown hours and a chosen day that is a Sunday or public holiday: the next day, at midnight).
    end: when a call is possible right now, the end of that chance today ("today before 17:00").
    open_now: the organisation is open at the moment of the promise.
    as_chosen: False when the chosen day or window has no opening: `start` is the first moment after it.
    part: the part of the chosen day ('monday afternoon'), if one was chosen.
    """

    window: str
    start: datetime | None = None
    end: datetime | None = None
    day: date | None = None
    hours_known: bool = False
    open_now: bool = False
    as_chosen: bool = True
    part: str | None = None  # with a chosen day: "morning" or "afternoon" when that part of it was chosen


@dataclass(frozen=True)
class TicketReceipt:
    """What the service tells the engine after opening (or adding to) a ticket."""

    code: str
    organisation: str
    expected_at: datetime | None
    in_hours: bool
    added_to_existing: bool = False
    promise: CallbackPromise | None = None
    language: str = ""  # the language the resident asked to be called in
    helper_languages: tuple[str, ...] = ()  # the languages the chosen organisation's helpers speak


@dataclass(frozen=True)
class TicketStatusInfo:
    """Where a ticket stands, for the resident's status question."""

    code: str | None
    status: str | None
    organisation: str = ""
    helper: str = ""
    expected_at: datetime | None = None
    promise: CallbackPromise | None = None
