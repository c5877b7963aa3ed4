"""Query functions of outbound messaging: consents (news, followed places), broadcast recipients, satisfaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import Satisfaction, Subscription

NEWS = "news"
FOLLOW = "follow"
NEWS_OFFER = "news_offer"


def active(session: Session, contact_id: int) -> list[Subscription]:
    """The contact's running consents (news, follow) and news offers, oldest first."""
    return list(session.exec(select(Subscription).where(
        Subscription.contact_id == contact_id, col(Subscription.ended_at).is_(None)).order_by(col(Subscription.id))))


def receives(session: Session, contact_id: int) -> dict[str, Any]:
    """What the engine is told the resident receives: {"news", "follow", "offered_at"}."""
    rows = session.exec(select(Subscription).where(Subscription.contact_id == contact_id)).all()
    news = any(r.kind == NEWS and r.ended_at is None for r in rows)
    follows = sorted({r.place_id for r in rows if r.kind == FOLLOW and r.ended_at is None})
    offers = [r.created_at for r in rows if r.kind == NEWS_OFFER]
    return {"news": news, "follow": follows, "offered_at": max(offers).isoformat() if offers else None}


def subscribe(session: Session, contact_id: int, kind: str, *, place_id: str = "", wording: str, language: str,
              now: datetime) -> Subscription:
    """Store a consent with its time and exact wording (a running one of the same kind and place is kept)."""
    existing = session.exec(select(Subscription).where(
        Subscription.contact_id == contact_id, Subscription.kind == kind, Subscription.place_id == place_id,
        col(Subscription.ended_at).is_(None))).first()
    if existing is not None:
        return existing
    row = Subscription(contact_id=contact_id, kind=kind, place_id=place_id, wording=wording, language=language,
                       created_at=now)
    session.add(row)
    session.flush()
    return row


def record_offer(session: Session, contact_id: int, wording: str, language: str, now: datetime) -> None:
    session.add(Subscription(contact_id=contact_id, kind=NEWS_OFFER, wording=wording, language=language,
                             created_at=now, ended_at=now, end_reason="offer"))


def unsubscribe(session: Session, contact_id: int, kinds: tuple[str, ...], now: datetime, reason: str) -> int:
    """End the running consents of these kinds; how many ended."""
    result = session.execute(update(Subscription).where(
        col(Subscription.contact_id) == contact_id, col(Subscription.kind).in_(kinds),
        col(Subscription.ended_at).is_(None)).values(ended_at=now, end_reason=reason)
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def asked_survey(session: Session, contact_id: int) -> Satisfaction | None:
    """The contact's newest satisfaction question that is asked (or answered, for the comment after it)."""
    return session.exec(select(Satisfaction).where(
        Satisfaction.contact_id == contact_id, col(Satisfaction.status).in_(("asked", "answered")))
        .order_by(col(Satisfaction.asked_at).desc())).first()


def record_survey_answer(session: Session, contact_id: int, answer: int | None, comment: str | None,
                         now: datetime) -> bool:
    """The resident's answer to their asked satisfaction question (1-3), or the comment after an answer (kept
    once). False when there is nothing to record it on."""
    row = asked_survey(session, contact_id)
    if row is None:
        return False
    if answer is not None and row.status == "asked":
        row.answer = answer
        row.status = "answered"
        row.answered_at = now
    elif comment and row.status == "answered" and not row.comment:
        row.comment = comment
    else:
        return False
    session.add(row)
    return True
