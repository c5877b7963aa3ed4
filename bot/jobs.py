"""The scheduler: registers every job in bot.crons with a fixed id; runs in the worker (or the embedded process)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.optional import import_optional
from bot.runtime import Deps
from storage.db import transaction
from storage.models import JobRun
from storage.types import utcnow

log = logging.getLogger("digibuur.jobs")

# job module name -> interval in seconds
SCHEDULE: dict[str, int] = {
    "drain_outbox": 5,
    "announce_tickets": 60,
    "remind_call_again": 60,
    "close_idle_tickets": 3600,
    "end_idle_conversations": 600,
    "purge_retention": 3600,
    "send_broadcasts": 10,
    "mail_tickets": 60,
    "ask_satisfaction": 300,
    "booking_reminders": 300,
}

JobFunction = Callable[[Deps, datetime], dict[str, int]]


def job_function(name: str) -> JobFunction | None:
    module = import_optional(f"bot.crons.{name}")
    if module is None:
        return None
    run: JobFunction = module.run
    return run


def run_job(name: str, deps: Deps) -> dict[str, int]:
    """Run one job now, record its heartbeat, log its counts. Errors are logged, never raised to the scheduler."""
    function = job_function(name)
    if function is None:
        return {}
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
    for name, seconds in SCHEDULE.items():
        if job_function(name) is None:
            continue
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
