"""Carry out the outbound effects of a turn (consents, the news offer, survey answers) in the turn's transaction."""

from __future__ import annotations

from datetime import datetime

from bot.effects import OUTBOUND_EFFECTS, Effect, NewsOffered, OptOut, Subscribe, SurveyAnswer, Unsubscribe
from storage import outbound
from storage.models import Contact
from storage.session import Session


def is_outbound(effect: Effect) -> bool:
    return isinstance(effect, OUTBOUND_EFFECTS)


def apply_outbound(session: Session, effect: Effect, contact: Contact, language: str, now: datetime) -> None:
    """Store a consent, end one (STOP NIEUWS, STOP VOLG; STOP ends all), record the offer or a survey answer."""
    assert contact.id is not None
    if isinstance(effect, Subscribe):
        outbound.subscribe(session, contact.id, effect.kind, place_id=effect.place_id, wording=effect.wording,
                           language=language, now=now)
    elif isinstance(effect, Unsubscribe):
        outbound.unsubscribe(session, contact.id, (effect.kind,), now, reason=f"stop {effect.kind}")
    elif isinstance(effect, OptOut):
        outbound.unsubscribe(session, contact.id, (outbound.NEWS, outbound.FOLLOW), now, reason="stop")
    elif isinstance(effect, NewsOffered):
        outbound.record_offer(session, contact.id, effect.wording, language, now)
    elif isinstance(effect, SurveyAnswer):
        outbound.record_survey_answer(session, contact.id, effect.answer, effect.comment, now)
