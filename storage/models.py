"""SQLModel tables: contacts, conversations, the message log, tickets, outbox, content revisions, users."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


class Contact(SQLModel, table=True):
    """A resident on one channel (address = E.164 number or Telegram chat id)."""

    __table_args__ = (UniqueConstraint("channel", "address", name="uq_contact_channel_address"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    address: str = Field(max_length=64)
    stats_key: str = Field(max_length=64, index=True)
    language: str = Field(default="nl", max_length=8)
    opted_out: bool = Field(default=False)
    last_inbound_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Conversation(SQLModel, table=True):
    """The dialogue state of one contact (one row per contact, locked while a message is handled)."""

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id", unique=True)
    state: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    turns: int = Field(default=0)


class Message(SQLModel, table=True):
    """The message log: every inbound message and every reply or outbound message."""

    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_message_channel_external_id"),
        Index("ix_message_contact_created", "contact_id", "created_at"),
        # only the rows that have one (migration 0008): most messages have neither, and a turn writes two
        Index("ix_message_reply_to_id", "reply_to_id", sqlite_where=text("reply_to_id IS NOT NULL"),
              postgresql_where=text("reply_to_id IS NOT NULL")),
        Index("ix_message_provider_id", "provider_id", sqlite_where=text("provider_id IS NOT NULL"),
              postgresql_where=text("provider_id IS NOT NULL")),
    )
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    channel: str = Field(max_length=16)
    direction: str = Field(max_length=8)  # "in" or "out"
    external_id: str | None = Field(default=None, max_length=128)
    reply_to_id: int | None = Field(default=None, foreign_key="message.id")
    text: str = Field(default="")
    intent: str | None = Field(default=None, max_length=64)
    language: str | None = Field(default=None, max_length=8)
    flow: str | None = Field(default=None, max_length=64)
    status: str | None = Field(default=None, max_length=16)
    provider_id: str | None = Field(default=None, max_length=128)  # Twilio MessageSid of a reply
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Unmatched(SQLModel, table=True):
    """A message digibuur did not understand or found ambiguous, kept for staff review."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    text: str
    language: str | None = Field(default=None, max_length=8)
    reason: str = Field(default="unmatched", max_length=16)  # unmatched | ambiguous
    guesses: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = Field(default="new", max_length=16)  # new | added | dismissed
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))


class Outbox(SQLModel, table=True):
    """Messages that are not inline replies, sent by the worker with retries."""

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)
    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)
    address: str = Field(max_length=64)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    body: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    purpose: str = Field(default="message", max_length=32)
    status: str = Field(default="pending", max_length=16)  # pending | sending | sent | failed | skipped
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_error: str | None = Field(default=None)
    provider_id: str | None = Field(default=None, max_length=128)
    # The resident a message is about when it goes to someone else (a resident's words forwarded to a helper),
    # so forget-me finds it.
    about_contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class ContentRevision(SQLModel, table=True):
    """A staff edit of a content file (guide, intent, places, organisations, texts), newest wins."""

    __table_args__ = (Index("ix_content_kind_key", "kind", "key", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    key: str = Field(max_length=128)
    body: str
    author: str | None = Field(default=None, max_length=254)
    comment: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class TextReview(SQLModel, table=True):
    """A reviewer's word on one text in one language: reviewed (with the hash of the text they read) or back to
    draft. The newest row per (kind, key, language) counts; a text changed since its review is a draft again."""

    __table_args__ = (Index("ix_textreview_item", "kind", "key", "language", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)  # "text" (bot sentences), "guide", "place"
    key: str = Field(max_length=128)  # the sentence key, guide id or place id
    language: str = Field(max_length=8)
    status: str = Field(max_length=16)  # "reviewed" or "draft"
    text_hash: str = Field(max_length=64)  # sha256 of the text as reviewed
    reviewer: str = Field(max_length=254)
    note: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class PlaceClosure(SQLModel, table=True):
    """A staff-entered closure of a Digipunt for a date range, with a reason per language."""

    id: int | None = Field(default=None, primary_key=True)
    place_id: str = Field(max_length=128, index=True)
    start: str = Field(max_length=10)  # ISO date
    end: str = Field(max_length=10)  # ISO date, inclusive
    reason: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    author: str | None = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Ticket(SQLModel, table=True):
    """A handoff to a human helper."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    status: str = Field(default="open", max_length=16, index=True)  # open | claimed | closed
    organisation: str = Field(max_length=64, index=True)
    routing_reason: str = Field(default="")
    language: str = Field(default="nl", max_length=8)
    topic: str = Field(default="", max_length=128)
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    channel: str = Field(default="sms", max_length=16)
    callback_number: str | None = Field(default=None, max_length=32)
    callback_window: str = Field(default="asap", max_length=32)
    transcript: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    claimed_by: int | None = Field(default=None, foreign_key="user.id")
    claimed_by_name: str | None = Field(default=None, max_length=120)  # shown to the resident; Telegram claims
    claimed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    outcome: str | None = Field(default=None, max_length=32)
    note: str | None = Field(default=None)
    call_again_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    announced_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    announce_count: int = Field(default=0)
    reminded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    last_activity_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    purged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    test: bool = Field(default=False, index=True)  # opened from a simulator: never announced, not a real request


class TicketEvent(SQLModel, table=True):
    """Something that happened to a ticket (claimed, outcome, message from/to the resident)."""

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    kind: str = Field(max_length=32)
    text: str = Field(default="")
    actor: str | None = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class User(SQLModel, table=True):
    """A helper, staff member or admin who logs in to the web console."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    name: str = Field(default="", max_length=120)
    password_hash: str
    role: str = Field(max_length=16)  # helper | staff | admin
    organisation: str | None = Field(default=None, max_length=64)
    active: bool = Field(default=True)
    telegram_user_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, nullable=True, unique=True, index=True)
    )
    session_generation: int = Field(default=0)  # raised on logout: every copy of an older session cookie ends
    telegram_link_code: str | None = Field(default=None, max_length=128)  # hash of the one-time /link code
    telegram_link_expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class AuditLog(SQLModel, table=True):
    """Who changed what, when (never message content)."""

    id: int | None = Field(default=None, primary_key=True)
    actor: str = Field(max_length=254)
    action: str = Field(max_length=64)
    target: str = Field(default="", max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class LoginThrottle(SQLModel, table=True):
    """Failed logins of one (account, client address), shared by all processes: a growing delay, never a lock."""

    key: str = Field(primary_key=True, max_length=300)
    failures: int = Field(default=0)
    next_allowed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))


class DeadLetter(SQLModel, table=True):
    """An inbound message that made digibuur fail; kept for staff."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    channel: str = Field(max_length=16)
    address: str | None = Field(default=None, max_length=64, index=True)  # the sender, so forget-me finds it
    error: str
    resolved: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class JobRun(SQLModel, table=True):
    """The last run of each scheduled job (the scheduler heartbeat)."""

    name: str = Field(primary_key=True, max_length=64)
    last_run_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class VoiceCall(SQLModel, table=True):
    """One phone call: how far it got and how it ended (Twilio's status callback). No number, no words: the
    dashboard counts calls per day and their endings (place found, SMS sent, ticket, hung up, where)."""

    __tablename__ = "voice_call"

    id: int | None = Field(default=None, primary_key=True)
    call_sid: str = Field(max_length=64, unique=True)
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    language: str = Field(default="", max_length=8)
    withheld: bool = Field(default=False)
    last_step: str = Field(default="", max_length=32)  # where the call was when it ended
    turns: int = Field(default=0)
    place_found: bool = Field(default=False)
    sms_sent: bool = Field(default=False)
    ticket: bool = Field(default=False)
    goodbye: bool = Field(default=False)  # digibuur ended the call (no keys twice)
    status: str | None = Field(default=None, max_length=16)  # completed, busy, no-answer, failed, canceled
    duration_seconds: int | None = Field(default=None)
    ended_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class Subscription(SQLModel, table=True):
    """What a resident agreed to receive, with the moment and the exact wording shown: news, or the closures of one
    place they follow ("follow"). `ended_at` is set when they stop it. A "news_offer" row records that the news
    offer was shown (asked at most once per 90 days)."""

    __table_args__ = (Index("ix_subscription_contact_kind", "contact_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    kind: str = Field(max_length=16)  # news | follow | news_offer
    place_id: str = Field(default="", max_length=128, index=True)
    language: str = Field(default="", max_length=8)
    wording: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    ended_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    end_reason: str | None = Field(default=None, max_length=32)


class Broadcast(SQLModel, table=True):
    """An announcement to residents who asked for it: audience, text per language, send moment, approval."""

    id: int | None = Field(default=None, primary_key=True)
    audience: str = Field(max_length=160)  # news | lang:CODE | wijk:NAME | place:ID
    texts: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    kind: str = Field(default="news", max_length=16)  # news | closure
    status: str = Field(default="scheduled", max_length=24, index=True)
    # awaiting_approval | scheduled | sending | sent | cancelled
    recipients: int = Field(default=0)
    created_by: str = Field(default="", max_length=254)
    approved_by: str | None = Field(default=None, max_length=254)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    send_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class BroadcastRecipient(SQLModel, table=True):
    """One resident of one broadcast: the unique (broadcast, contact) row that makes each send happen once."""

    __table_args__ = (UniqueConstraint("broadcast_id", "contact_id", name="uq_broadcast_recipient"),)
    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(foreign_key="broadcast.id", index=True)
    contact_id: int = Field(foreign_key="contact.id", index=True)
    outbox_id: int | None = Field(default=None, foreign_key="outbox.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class NotifyChoice(SQLModel, table=True):
    """Who hears of new tickets by e-mail: an organisation's address or a helper account, and how often."""

    __table_args__ = (UniqueConstraint("organisation", "user_id", name="uq_notifychoice_owner"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation: str = Field(max_length=64, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")  # None: the organisation's own address
    email: str = Field(default="", max_length=254)
    mode: str = Field(default="each", max_length=16)  # each | digest | none
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Satisfaction(SQLModel, table=True):
    """The one question after a ticket closed as helped: when it is due, when asked, the answer."""

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", unique=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    organisation: str = Field(max_length=64, index=True)
    status: str = Field(default="due", max_length=16, index=True)  # due | asked | answered | skipped
    due_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    asked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    answer: int | None = Field(default=None)  # 1 yes, 2 a little, 3 no
    comment: str | None = Field(default=None, max_length=500)
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
class BookingSlot(SQLModel, table=True):
    """A bookable session at a place: from the place's rules (made when first needed) or added by staff.

    `booked` counts the active bookings; it only changes in one conditional UPDATE, so it never passes capacity."""

    __table_args__ = (UniqueConstraint("place_id", "start", name="uq_bookingslot_place_start"),)
    id: int | None = Field(default=None, primary_key=True)
    place_id: str = Field(max_length=128, index=True)
    start: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False, index=True))
    end: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    capacity: int = Field(default=1)
    booked: int = Field(default=0)
    status: str = Field(default="open", max_length=16)  # open | cancelled
    source: str = Field(default="rule", max_length=16)  # rule | added
    note: str | None = Field(default=None, max_length=500)  # why staff cancelled it
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class Booking(SQLModel, table=True):
    """A resident's seat in a session; the code (R-4821) is what they quote to see or cancel it."""

    __table_args__ = (Index("ix_booking_contact_status", "contact_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    slot_id: int = Field(foreign_key="bookingslot.id", index=True)
    place_id: str = Field(max_length=128, index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    number: str | None = Field(default=None, max_length=64)  # the resident's address on the channel
    channel: str = Field(default="sms", max_length=16)
    language: str = Field(default="nl", max_length=8)
    purpose: str | None = Field(default=None, max_length=200)  # what for, in the resident's words
    status: str = Field(default="booked", max_length=16)  # booked | cancelled | attended | no_show
    cancelled_by: str | None = Field(default=None, max_length=16)  # resident | staff | closure
    test: bool = Field(default=False)
    reminded_day_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    reminded_soon_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True))
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class PlaceFeed(SQLModel, table=True):
    """The secret token of a place's iCalendar feed for staff calendars (rotated by staff)."""

    place_id: str = Field(primary_key=True, max_length=128)
    token: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
