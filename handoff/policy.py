"""The waiting policy for tickets (announce, reroute, idle close, callback lead), from handoff/data/policy.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.content_base.yamlio import load_yaml

POLICY_FILE = Path(__file__).resolve().parent / "data" / "policy.yaml"
REQUIRED = ("re_announce_minutes", "max_announcements", "reroute_after_minutes", "idle_close_days")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class PolicyError(ValueError):
    """The policy file is missing a number or has a wrong one."""


@dataclass(frozen=True)
class Policy:
    """Minutes are helpdesk minutes (only time when the organisation is open counts)."""

    re_announce_minutes: int = 30
    max_announcements: int = 3
    reroute_after_minutes: int = 120
    idle_close_days: int = 7
    call_lead_minutes: int = 30
    afternoon_starts: time = time(12, 0)


def _whole(raw: dict[str, Any], name: str) -> int:
    value = raw[name]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PolicyError(f"policy.yaml: {name} must be a whole number of at least 1")
    return value


def parse_policy(text: str) -> Policy:
    raw = load_yaml(text) or {}
    if not isinstance(raw, dict):
        raise PolicyError("policy.yaml: expected a mapping")
    values: dict[str, Any] = {}
    for name in REQUIRED:
        if name not in raw:
            raise PolicyError(f"policy.yaml: {name} is missing")
        values[name] = _whole(raw, name)
    if "call_lead_minutes" in raw:
        values["call_lead_minutes"] = _whole(raw, "call_lead_minutes")
    if "afternoon_starts" in raw:
        match = _CLOCK.match(str(raw["afternoon_starts"]))
        if match is None:
            raise PolicyError("policy.yaml: afternoon_starts must be a time like \"12:00\" (in quotes)")
        values["afternoon_starts"] = time(int(match.group(1)), int(match.group(2)))
    return Policy(**values)


@lru_cache(maxsize=1)
def load_policy(path: Path = POLICY_FILE) -> Policy:
    return parse_policy(path.read_text(encoding="utf-8"))
