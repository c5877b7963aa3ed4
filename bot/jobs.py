"""The scheduler: registers every job of SCHEDULE with a fixed id; runs in the worker (or the embedded process)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.crons import (
    announce_tickets,
    ask_satisfaction,
    booking_reminders,
    close_idle_tickets,
    drain_outbox,
    end_idle_conversations,
    mail_tickets,
    purge_retention,
    remind_call_again,
    send_broadcasts,
)
from bot.runtime import Deps
from storage.db import transaction
from storage.models import JobRun
from storage.types import utcnow

log = logging.getLogger("digibuur.jobs")

JobFunction = Callable[[Deps, datetime], dict[str, int]]

# job name (its scheduler id and JobRun row) -> its `run` function and interval in seconds
SCHEDULE: dict[str, tuple[JobFunction, int]] = {
    "drain_outbox": (drain_outbox.run, 5),
    "announce_tickets": (announce_tickets.run, 60),
    "remind_call_again": (remind_call_again.run, 60),
    "close_idle_tickets": (close_idle_tickets.run, 3600),
    "end_idle_conversations": (end_idle_conversations.run, 600),
    "purge_retention": (purge_retention.run, 3600),
    "send_broadcasts": (send_broadcasts.run, 10),
    "mail_tickets": (mail_tickets.run, 60),
    "ask_satisfaction": (ask_satisfaction.run, 300),
    "booking_reminders": (booking_reminders.run, 300),
}


def run_job(name: str, deps: Deps) -> dict[str, int]:
    """Run one job now, record its heartbeat, log its counts. Errors are logged, never raised to the scheduler."""
    function, _seconds = SCHEDULE[name]
    try:
        counts = function(deps, deps.clock())
    except Exception:
        log.exception("job %s failed", name)
        return {"failed": 1}
    with transaction(deps.db) as session:
        row = session.get(JobRun, name) or JobRun(name=name)
        row.last_run_at = utcnow()
        row.counts = dict(counts)
        session.add(row)
    if any(counts.values()):
        log.info("job %s: %s", name, counts, extra={"job": name, "counts": counts})
    return counts


def _add_jobs(scheduler: Any, deps: Deps) -> list[str]:
    added = []
    for name, (_function, seconds) in SCHEDULE.items():
        scheduler.add_job(run_job, "interval", seconds=seconds, args=[name, deps], id=name, replace_existing=True,
                          max_instances=1, coalesce=True)
        added.append(name)
    return added


def start_background(deps: Deps) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    added = _add_jobs(scheduler, deps)
    scheduler.start()
    log.info("scheduler started in this process with jobs: %s", ", ".join(added))
    return scheduler


def run_blocking(deps: Deps) -> None:
    scheduler = BlockingScheduler(timezone="UTC")
    added = _add_jobs(scheduler, deps)
    log.info("worker started with jobs: %s", ", ".join(added))
    scheduler.start()
