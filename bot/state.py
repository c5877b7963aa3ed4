"""A conversation's state: what the engine remembers between two messages (JSON-serialisable)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class OfferedOption:
    """An option the resident can pick next: its number, label and the action it leads to."""

    key: str
    label: str
    action: str


@dataclass
class State:
    """Everything the engine needs to continue a conversation."""

    language: str = ""
    language_known: bool = False
    flow: str = ""
    options: list[OfferedOption] = field(default_factory=list)
    last_replies: list[dict[str, Any]] = field(default_factory=list)
    misses: int = 0
    step_misses: int = 0
    guide: dict[str, Any] | None = None
    guide_at: str | None = None
    history: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    opted_out: bool = False
    ticket: str | None = None
    ticket_claimed: bool = False
    last_at: str | None = None
    topic: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> State:
        if not raw:
            return cls()
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in raw.items() if k in known}
        values["options"] = [OfferedOption(**o) for o in raw.get("options", []) if isinstance(o, dict)]
        return cls(**values)
