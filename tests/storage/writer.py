"""A separate process that sends messages for one resident through the real service (used by the storage tests)."""

from __future__ import annotations

import sys
from dataclasses import replace

from bot.messages import Address, Inbound
from bot.runtime import build_deps
from bot.service import handle
from bot.settings import Settings
from storage.types import utcnow


def main(url: str, tag: str, count: int) -> None:
    settings = replace(Settings.from_env({}), database_url=url, run_scheduler=False, throttle_per_minute=10_000)
    deps = build_deps(settings)
    for i in range(count):
        text = "menu" if i % 2 else "2"
        handle(Inbound(address=Address("sms", "+32470999999"), text=text, received_at=utcnow(),
                       external_id=f"{tag}-{i}"), deps)
    deps.db.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
