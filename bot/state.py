"""A conversation's state: what the engine remembers between two messages (JSON-serialisable)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class OfferedOption:
    """An option the resident can pick next: its number, label and the action it leads to.

    `answers` are the vocabulary categories that pick it ("yes", "no", "morning"...); `words` are other ways to
    name it (its label in other languages, content synonyms).
    """

    key: str
    label: str
    action: str
    answers: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)


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
    question: dict[str, Any] | None = None  # how to ask the open question again (in another language)
    where: dict[str, Any] | None = None  # the last location the resident gave: {"point": [lat, lon], "label"}
    later: dict[str, str] | None = None  # a second request of one message ({"intent", "text"}), offered after
    # what the resident receives, put here by the service each turn: {"news": bool, "follow": [place ids],
    # "offered_at": ISO time of the last news offer}
    outbound: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """As dataclasses.asdict (the same deep copy), without its generic walk of every value."""
        return {name: _plain(getattr(self, name)) for name in _STATE_FIELDS}

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> State:
        if not raw:
            return cls()
        known = {f for f in cls.__dataclass_fields__}
        values = {k: v for k, v in raw.items() if k in known}
        option_fields = set(OfferedOption.__dataclass_fields__)
        values["options"] = [OfferedOption(**{k: v for k, v in o.items() if k in option_fields})
                             for o in raw.get("options", []) if isinstance(o, dict)]
        return cls(**values)


_STATE_FIELDS = tuple(f.name for f in fields(State))
_ATOMS = (str, int, float, bool, type(None))


@dataclass
class _Boxed:
    value: Any


def _plain(value: Any) -> Any:
    """What dataclasses.asdict makes of a value: JSON-like values and dataclasses walked directly, anything else
    through asdict itself."""
    kind = type(value)
    if kind in _ATOMS:
        return value
    if kind is dict:
        return {_plain(key): _plain(item) for key, item in value.items()}
    if kind is list:
        return [_plain(item) for item in value]
    if kind is OfferedOption:  # (the largest part of a state: every option's words in every language)
        return {"key": value.key, "label": value.label, "action": value.action, "answers": list(value.answers),
                "words": list(value.words)}
    return asdict(_Boxed(value))["value"]
