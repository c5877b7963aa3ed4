"""Phone calls: record each call's progress and Twilio's final status; read them for the dashboard."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import VoiceCall
from storage.queries import _insert

OUTCOMES = ("place_found", "sms_sent", "ticket", "goodbye")
FINAL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")


def lock_call(session: Session, call_sid: str, now: datetime) -> VoiceCall:
    """The call's row, created when missing, locked until the transaction ends (a turn and a status callback
    of the same call may arrive together)."""
    insert = _insert(session)
    session.execute(
        insert(VoiceCall)
        .values(call_sid=call_sid[:64], started_at=now, updated_at=now, language="", withheld=False, last_step="",
                turns=0, place_found=False, sms_sent=False, ticket=False, goodbye=False)
        .on_conflict_do_nothing(index_elements=["call_sid"])
    )
    call: VoiceCall = session.exec(
        select(VoiceCall).where(VoiceCall.call_sid == call_sid[:64]).with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return call


def record_progress(session: Session, call_sid: str, *, step: str, language: str, withheld: bool,
                    events: Iterable[str], now: datetime, turn: bool = True) -> VoiceCall:
    """One answered turn: where the call is now and what it achieved (outcomes are never taken back)."""
    call = lock_call(session, call_sid, now)
    call.last_step = step[:32]
    call.language = language[:8]
    call.withheld = withheld
    call.updated_at = now
    if turn:
        call.turns += 1
    for event in events:
        if event in OUTCOMES:
            setattr(call, event, True)
    session.add(call)
    return call


def record_status(session: Session, call_sid: str, status: str, duration: int | None, now: datetime) -> VoiceCall:
    """Twilio's call status callback (queued, ringing, in-progress, then one of FINAL_STATUSES)."""
    call = lock_call(session, call_sid, now)
    call.status = status[:16]
    if duration is not None:
        call.duration_seconds = duration
    if status in FINAL_STATUSES:
        call.ended_at = now
    call.updated_at = now
    session.add(call)
    return call


def calls_between(session: Session, begin: datetime, finish: datetime) -> list[VoiceCall]:
    return list(session.exec(
        select(VoiceCall).where(col(VoiceCall.started_at) >= begin, col(VoiceCall.started_at) < finish)
        .order_by(col(VoiceCall.started_at))
    ))
