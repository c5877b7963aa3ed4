"""The daily digest of new tickets by e-mail, from the organisation's time zone's morning (once per address a day)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.runtime import Deps
from handoff.mail import send_digests
from storage.db import transaction

DIGEST_HOUR = 8


def run(deps: Deps, now: datetime) -> dict[str, int]:
    local = now.astimezone(ZoneInfo(deps.settings.timezone))
    if local.hour < DIGEST_HOUR:
        return {"digests": 0}
    with transaction(deps.db) as session:
        sent = send_digests(session, deps.organisations(), now - timedelta(days=1), local.date().isoformat(),
                            deps.settings.public_base_url)
    return {"digests": sent}
