"""Twilio delivery status callbacks: the status and error code read the Twilio way, stored through storage."""

from __future__ import annotations

import logging

from storage import delivery_receipts
from storage.session import Session

log = logging.getLogger("digibuur.channels.status")

OPTED_OUT_CODES = frozenset({"21610"})  # Twilio: the number sent STOP


def apply_status(
    session: Session, provider_id: str, status: str, error_code: str | None = None, hint_message_id: int | None = None
) -> str:
    """Record one status callback; returns which row it touched: "outbox", "message" or "unknown"."""
    status = status.strip().lower()
    code = (error_code or "").strip() or None
    touched = delivery_receipts.record(
        session, provider_id, status, error_code=code, error=f"twilio error {code} ({status})" if code else None,
        opted_out=code in OPTED_OUT_CODES, hint_message_id=hint_message_id)
    if touched == "unknown":
        log.info("status callback for an unknown message", extra={"status": status})
    return touched
