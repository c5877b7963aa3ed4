"""The status and outcome words stored in the database, in one place (StrEnum: they compare equal to the strings)."""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    """Where a ticket is: waiting for a helper, taken by one, or done."""

    OPEN = "open"
    CLAIMED = "claimed"
    CLOSED = "closed"


class TicketOutcome(StrEnum):
    """What a helper logs after a call (IDLE and FORGOTTEN: what digibuur itself sets when it closes a ticket)."""

    SOLVED = "solved"
    NO_ANSWER = "no_answer"
    CALL_AGAIN = "call_again"
    REFERRED = "referred"
    OTHER = "other"
    IDLE = "idle"  # set by the idle-close job, never logged by a helper (not in HELPER_OUTCOMES)
    FORGOTTEN = "forgotten"  # set when the resident asked to be forgotten (storage.privacy)


CLOSING_OUTCOMES: frozenset[TicketOutcome] = frozenset({TicketOutcome.SOLVED, TicketOutcome.REFERRED})


class OutboxStatus(StrEnum):
    """A queued outbound message's life: waiting, being sent, sent, given up, or not needed."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class BookingStatus(StrEnum):
    """A resident's booked session."""

    BOOKED = "booked"
    CANCELLED = "cancelled"
    ATTENDED = "attended"
    NO_SHOW = "no_show"


class TranslationStatus(StrEnum):
    """Whether a text in a language was checked by a person."""

    REVIEWED = "reviewed"
    DRAFT = "draft"


# the outcomes a helper may log in the inbox (IDLE is the idle-close job's)
HELPER_OUTCOMES: tuple[TicketOutcome, ...] = (
    TicketOutcome.SOLVED,
    TicketOutcome.NO_ANSWER,
    TicketOutcome.CALL_AGAIN,
    TicketOutcome.REFERRED,
    TicketOutcome.OTHER,
)


class SlotStatus(StrEnum):
    """A bookable session: open for booking, or called off by staff."""

    OPEN = "open"
    CANCELLED = "cancelled"


class BroadcastStatus(StrEnum):
    """An announcement's life: waiting for a second staff member, scheduled, being queued, done, or stopped."""

    AWAITING_APPROVAL = "awaiting_approval"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    CANCELLED = "cancelled"
