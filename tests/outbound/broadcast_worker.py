"""A worker process for the exactly-once test: queue due broadcasts and drain the outbox until nothing is pending
(run as `python -m tests.outbound.broadcast_worker`, configured by the environment; the test kills it mid-send)."""

from __future__ import annotations

import sys
import time

from sqlmodel import Session, col, func, select

from bot.crons import drain_outbox, send_broadcasts
from bot.runtime import build_deps
from bot.settings import Settings
from storage.models import Broadcast, Outbox
from storage.types import utcnow


def main() -> int:
    deps = build_deps(Settings.from_env())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        now = utcnow()
        send_broadcasts.run(deps, now)
        drain_outbox.run(deps, now)
        with Session(deps.db) as session:
            pending = session.exec(select(func.count()).select_from(Outbox)
                                   .where(Outbox.status == "pending")).one()
            open_ = session.exec(select(func.count()).select_from(Broadcast)
                                 .where(col(Broadcast.status).in_(("scheduled",)))).one()
        if not pending and not open_:
            break
    deps.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
