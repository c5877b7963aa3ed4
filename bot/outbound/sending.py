"""What a sender is given and gives back: a claimed outbox item, the outcome of one send, the Sender protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol


@dataclass(frozen=True)
class OutboxItem:
    """A claimed row, detached from the database while the network call runs."""

    id: int
    channel: str
    address: str
    body: dict[str, Any]
    attempts: int
    language: str
    template: bool = False  # WhatsApp: send the approved template instead of free text


@dataclass(frozen=True)
class SendOutcome:
    """What happened to one send. `retry_after` (seconds) overrides the backoff when larger.

    "retry" only when the failure certainly happened before the provider accepted the message (no connection,
    429, a 5xx without a message id); "unknown" when it may have accepted it (a read timeout, a dropped
    connection, a crash): such a row is never sent again automatically."""

    status: Literal["sent", "retry", "failed", "skipped", "unknown"]
    provider_id: str | None = None
    error: str | None = None
    retry_after: float | None = None
    opted_out: bool = False
    remaining_body: dict[str, Any] | None = None  # part already sent: retry only the rest

    @property
    def rate_limited(self) -> bool:
        return self.status == "retry" and self.retry_after is not None


class Sender(Protocol):
    """Sends one outbox item on one channel; never raises for provider errors (returns an outcome)."""

    def send(self, item: OutboxItem) -> SendOutcome: ...
