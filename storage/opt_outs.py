"""Opt-outs: find the contact an outbound row or receipt belongs to, and opt it out everywhere (STOP)."""

from __future__ import annotations

from sqlmodel import Session, select

from bot.state import State
from storage import outbound, queries
from storage.models import Contact, Conversation
from storage.types import utcnow


def find_contact(session: Session, contact_id: int | None, channel: str, address: str) -> Contact | None:
    """The contact by id, else by (channel, address); None when neither is stored (forgotten)."""
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        if contact is not None:
            return contact
    return queries.find_contact(session, channel, address)


def mark_opted_out(session: Session, contact: Contact) -> None:
    """Opt the contact out on the contact row and in the dialogue state, so both stay silent until START."""
    contact.opted_out = True
    session.add(contact)
    if contact.id is not None:  # STOP stops everything: news and followed places too
        outbound.unsubscribe(session, contact.id, (outbound.NEWS, outbound.FOLLOW), utcnow(), reason="stop")
    conversation = session.exec(select(Conversation).where(Conversation.contact_id == contact.id)).first()
    if conversation is None:
        return
    state = State.from_dict(conversation.state)
    if not state.opted_out:
        state.opted_out = True
        state.flow = ""
        state.options = []
        conversation.state = state.to_dict()
        session.add(conversation)
