"""Dashboard figures of outbound messaging: subscribers over time, announcements and their delivery, satisfaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from bot.outbound.broadcasts import listing
from storage import reports
from storage.models import Subscription
from storage.outbound import FOLLOW, NEWS
from storage.session import Session


@dataclass
class OutboundFigures:
    subscribers: list[tuple[date, int, int]] = field(default_factory=list)  # day, news, following a place
    broadcasts: list[dict[str, Any]] = field(default_factory=list)
    satisfaction: list[dict[str, Any]] = field(default_factory=list)  # organisation, month, yes, bit, no, open


def _active(rows: list[Subscription], kind: str, moment: datetime) -> int:
    return len({r.contact_id for r in rows if r.kind == kind and r.created_at <= moment
                and (r.ended_at is None or r.ended_at > moment)})


def outbound_figures(session: Session, days: list[date], timezone: Any) -> OutboundFigures:
    rows = reports.subscriptions_of_kinds(session, (NEWS, FOLLOW))
    figures = OutboundFigures()
    for day in days:
        end = datetime.combine(day + timedelta(days=1), time(0), timezone)
        figures.subscribers.append((day, _active(rows, NEWS, end), _active(rows, FOLLOW, end)))
    figures.broadcasts = listing(session)[:10]
    answers: dict[tuple[str, str], Counter[str]] = {}
    for row in reports.satisfaction_asked(session):
        moment = row.answered_at or row.asked_at
        if moment is None:
            continue
        key = (row.organisation, moment.astimezone(timezone).strftime("%Y-%m"))
        answers.setdefault(key, Counter())[{1: "yes", 2: "bit", 3: "no"}.get(row.answer or 0, "open")] += 1
    figures.satisfaction = [{"organisation": org, "month": month, **{k: counts.get(k, 0) for k in
                                                                     ("yes", "bit", "no", "open")}}
                            for (org, month), counts in sorted(answers.items())]
    return figures
