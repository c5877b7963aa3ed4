"""The waiting policy for tickets (re-announce, reroute, idle close), read from handoff/data/policy.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.yamlio import load_yaml

POLICY_FILE = Path(__file__).resolve().parent / "data" / "policy.yaml"


class PolicyError(ValueError):
    """The policy file is missing a number or has a wrong one."""


@dataclass(frozen=True)
class Policy:
    """Minutes are helpdesk minutes (only time when the organisation is open counts)."""

    re_announce_minutes: int = 30
    max_announcements: int = 3
    reroute_after_minutes: int = 120
    idle_close_days: int = 7


def parse_policy(text: str) -> Policy:
    raw = load_yaml(text) or {}
    if not isinstance(raw, dict):
        raise PolicyError("policy.yaml: expected a mapping")
    values: dict[str, int] = {}
    for name in ("re_announce_minutes", "max_announcements", "reroute_after_minutes", "idle_close_days"):
        if name not in raw:
            raise PolicyError(f"policy.yaml: {name} is missing")
        value = raw[name]
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise PolicyError(f"policy.yaml: {name} must be a whole number of at least 1")
        values[name] = value
    return Policy(**values)


@lru_cache(maxsize=1)
def load_policy(path: Path = POLICY_FILE) -> Policy:
    return parse_policy(path.read_text(encoding="utf-8"))
