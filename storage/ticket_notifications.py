"""Who hears of new tickets by e-mail (notify choices, helper accounts) and which ticket mails are queued already."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from storage.enums import OutboxStatus
from storage.models import NotifyChoice, Outbox, User


def organisation_choice(session: Session, organisation: str) -> NotifyChoice | None:
    """The organisation's own address and mode (not a helper's)."""
    return session.exec(select(NotifyChoice).where(NotifyChoice.organisation == organisation,
                                                   col(NotifyChoice.user_id).is_(None))).first()


def save_choice(session: Session, organisation: str, user_id: int | None, *, email: str, mode: str,
                now: datetime) -> NotifyChoice:
    """Create or update the choice of the organisation (user_id None) or of one helper account."""
    query = select(NotifyChoice).where(NotifyChoice.organisation == organisation)
    query = query.where(col(NotifyChoice.user_id).is_(None) if user_id is None else NotifyChoice.user_id == user_id)
    row = session.exec(query).first() or NotifyChoice(organisation=organisation, user_id=user_id)
    row.email = email
    row.mode = mode
    row.updated_at = now
    session.add(row)
    return row


def helper_choices(session: Session, organisation: str) -> dict[int | None, NotifyChoice]:
    """The helper accounts' own choices in the organisation, by user id."""
    return {c.user_id: c for c in session.exec(select(NotifyChoice).where(
        NotifyChoice.organisation == organisation, col(NotifyChoice.user_id).is_not(None)))}


def active_helpers(session: Session, organisation: str) -> list[User]:
    """The organisation's active helper accounts, oldest first."""
    return list(session.exec(select(User).where(User.organisation == organisation, col(User.active).is_(True),
                                                User.role == "helper").order_by(col(User.id))))


def queued(session: Session, purpose: str, *, sent_only: bool = False) -> bool:
    """Is an outbox row with this purpose there (only a sent one with `sent_only`)?"""
    query = select(Outbox.id).where(Outbox.purpose == purpose)
    if sent_only:
        query = query.where(Outbox.status == OutboxStatus.SENT)
    return session.exec(query).first() is not None


def bodies(session: Session, purpose: str, address: str) -> list[object]:
    """The bodies of the outbox rows with this purpose to this address."""
    return list(session.exec(select(Outbox.body).where(Outbox.purpose == purpose, Outbox.address == address)).all())
