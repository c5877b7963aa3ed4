"""Forget-me and the retention purge: reach every table that can hold a resident's number or words."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from storage.models import (
    AuditLog,
    Booking,
    BookingSlot,
    BroadcastRecipient,
    Contact,
    Conversation,
    DeadLetter,
    Message,
    Outbox,
    Satisfaction,
    Subscription,
    Ticket,
    TicketEvent,
    Unmatched,
)
from storage.types import utcnow

PERSONAL_EVENT_KINDS = ("resident_message", "message_to_resident", "second_request")
BATCH = 500


def _anonymise_ticket(session: Session, ticket: Ticket) -> None:
    assert ticket.id is not None
    session.execute(delete(TicketEvent).where(col(TicketEvent.ticket_id) == ticket.id))
    ticket.contact_id = None
    ticket.callback_number = None
    ticket.transcript = []
    ticket.note = None
    ticket.context = {}
    if ticket.status != "closed":
        ticket.status = "closed"
        ticket.outcome = "forgotten"
        ticket.closed_at = utcnow()
    session.add(ticket)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _forget_address(session: Session, channel: str | None, address: str) -> None:
    """Rows that name the address without a link to a contact: queued messages, dead letters, tickets that
    carry it as the callback number, and (for phone numbers) audit lines that mention it."""
    session.execute(delete(Outbox).where(col(Outbox.address) == address))
    letters = delete(DeadLetter).where(col(DeadLetter.address) == address)
    if channel is not None:
        letters = letters.where(col(DeadLetter.channel) == channel)
    session.execute(letters)
    for ticket in session.exec(select(Ticket).where(Ticket.callback_number == address)):
        _anonymise_ticket(session, ticket)
    if address.startswith("+") and len(address) >= 8:  # a phone number cannot be mistaken for another target
        session.execute(delete(AuditLog).where(col(AuditLog.target).like(f"%{_escape_like(address)}%", escape="\\")))


def forget_contact(session: Session, contact: Contact) -> None:
    """Remove every trace of a resident: messages, unmatched texts, dead letters, outbox rows to them or about
    them, their conversation; anonymise their tickets (and tickets that carry their number to call back)."""
    assert contact.id is not None
    message_ids = list(session.exec(select(Message.id).where(Message.contact_id == contact.id)))
    if message_ids:
        session.execute(delete(Unmatched).where(col(Unmatched.message_id).in_(message_ids)))
        session.execute(delete(DeadLetter).where(col(DeadLetter.message_id).in_(message_ids)))
        session.execute(update(Message).where(col(Message.reply_to_id).in_(message_ids)).values(reply_to_id=None))
    session.execute(delete(Message).where(col(Message.contact_id) == contact.id))
    forget_outbound(session, contact.id)
    session.execute(
        delete(Outbox).where(or_(col(Outbox.contact_id) == contact.id, col(Outbox.about_contact_id) == contact.id))
    )
    session.execute(delete(Conversation).where(col(Conversation.contact_id) == contact.id))
    forget_bookings(session, contact.id)
    for ticket in session.exec(select(Ticket).where(Ticket.contact_id == contact.id)):
        _anonymise_ticket(session, ticket)
    _forget_address(session, contact.channel, contact.address)
    session.delete(contact)
    session.flush()


def forget_outbound(session: Session, contact_id: int) -> None:
    """A resident's consents, broadcast recipient rows and satisfaction answer (counts stay on the broadcast)."""
    session.execute(delete(Subscription).where(col(Subscription.contact_id) == contact_id))
    session.execute(delete(BroadcastRecipient).where(col(BroadcastRecipient.contact_id) == contact_id))
    session.execute(update(Satisfaction).where(col(Satisfaction.contact_id) == contact_id)
                    .values(contact_id=None, comment=None))


def forget_bookings(session: Session, contact_id: int) -> None:
    """A forgotten resident's bookings keep no number, words or link; one still open is cancelled (its seat is
    given back), so staff do not wait for someone they cannot reach."""
    now = utcnow()
    for booking in session.exec(select(Booking).where(Booking.contact_id == contact_id)):
        if booking.status == "booked":
            booking.status, booking.cancelled_by = "cancelled", "forgotten"
            session.execute(update(BookingSlot).where(col(BookingSlot.id) == booking.slot_id,
                                                      col(BookingSlot.booked) > 0)
                            .values(booked=BookingSlot.booked - 1))
        booking.contact_id, booking.number, booking.purpose, booking.updated_at = None, None, None, now
        session.add(booking)
    session.flush()


def forget_number(session: Session, addresses: Iterable[str]) -> int:
    """`privacy forget`: every contact with one of these addresses (any channel), every contact whose ticket
    gave one of them as the number to call back (the same resident on another channel), and every row that
    names them. Returns how many contacts were forgotten."""
    wanted = sorted({a for a in addresses if a})
    owners = select(Ticket.contact_id).where(
        col(Ticket.callback_number).in_(wanted), col(Ticket.contact_id).is_not(None)
    )
    contacts = list(
        session.exec(select(Contact).where(or_(col(Contact.address).in_(wanted), col(Contact.id).in_(owners))))
    )
    for contact in contacts:
        forget_contact(session, contact)
    for address in wanted:
        _forget_address(session, None, address)
    return len(contacts)


# ---- retention ----


def purge_closed_tickets(session: Session, cutoff: datetime, now: datetime) -> int:
    """Closed tickets older than the cutoff lose their transcript, number, note and resident/helper words."""
    tickets = session.exec(
        select(Ticket).where(Ticket.status == "closed", col(Ticket.closed_at) < cutoff, col(Ticket.purged_at).is_(None))
    ).all()
    for ticket in tickets:
        ticket.transcript = []
        ticket.callback_number = None
        ticket.note = None
        ticket.purged_at = now
        session.add(ticket)
        session.execute(
            update(TicketEvent)
            .where(col(TicketEvent.ticket_id) == ticket.id, col(TicketEvent.kind).in_(PERSONAL_EVENT_KINDS))
            .values(text="")
        )
    return len(tickets)


def purge_unmatched(session: Session, cutoff: datetime) -> int:
    """Unmatched messages older than the cutoff are deleted (while still linked to their message)."""
    result = session.execute(delete(Unmatched).where(col(Unmatched.created_at) < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_dead_letters(session: Session, cutoff: datetime) -> int:
    result = session.execute(delete(DeadLetter).where(col(DeadLetter.created_at) < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_messages_batch(session: Session, cutoff: datetime) -> int:
    """Delete up to BATCH message-log rows older than the cutoff (with what points at them); 0 when done."""
    ids = list(session.exec(select(Message.id).where(col(Message.created_at) < cutoff).limit(BATCH)))
    if not ids:
        return 0
    session.execute(update(Message).where(col(Message.reply_to_id).in_(ids)).values(reply_to_id=None))
    session.execute(delete(Unmatched).where(col(Unmatched.message_id).in_(ids)))
    session.execute(delete(DeadLetter).where(col(DeadLetter.message_id).in_(ids)))
    session.execute(delete(Message).where(col(Message.id).in_(ids)))
    return len(ids)


def purge_outbox(session: Session, cutoff: datetime) -> int:
    """Outbox rows created before the cutoff, whatever their state (a row still sending is left alone); a broadcast
    recipient keeps its row (each resident once per broadcast) without the message. Old satisfaction comments go."""
    old = select(Outbox.id).where(col(Outbox.created_at) < cutoff, col(Outbox.status) != "sending")
    session.execute(update(BroadcastRecipient).where(col(BroadcastRecipient.outbox_id).in_(old))
                    .values(outbox_id=None).execution_options(synchronize_session=False))
    session.execute(update(Satisfaction).where(col(Satisfaction.answered_at) < cutoff,
                                               col(Satisfaction.comment).is_not(None))
                    .values(comment=None).execution_options(synchronize_session=False))
    result = session.execute(delete(Outbox).where(col(Outbox.created_at) < cutoff, col(Outbox.status) != "sending"))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_bookings(session: Session, cutoff: datetime) -> int:
    """Bookings whose session ended before the cutoff lose the resident's number, words and link (the counts
    for the dashboard stay)."""
    ended = select(BookingSlot.id).where(col(BookingSlot.end) < cutoff)
    result = session.execute(
        update(Booking)
        .where(col(Booking.slot_id).in_(ended), or_(col(Booking.number).is_not(None), col(Booking.purpose).is_not(None),
                                                    col(Booking.contact_id).is_not(None)))
        .values(number=None, purpose=None, contact_id=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)
