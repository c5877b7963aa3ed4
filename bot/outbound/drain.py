"""Drain the outbox: claim due rows, commit, then send; retries with backoff; at most one send per row."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.content_base.languages import shipped_languages
from bot.outbound.body import wants_template
from bot.outbound.sending import OutboxItem, Sender, SendOutcome
from storage import outbox
from storage.db import transaction
from storage.models import Contact, Outbox
from storage.opt_outs import find_contact, mark_opted_out
from storage.session import Engine, Session

log = logging.getLogger("digibuur.outbox")

UNKNOWN_OUTCOME = "unknown outcome: still 'sending' after the stale limit; not resent, check by hand"
UNKNOWN_SEND = "unknown outcome ({error}): the provider may have the message; not resent, check by hand"


@dataclass(frozen=True)
class DrainPolicy:
    """How hard to push: per-run cap and spacing per channel, backoff, give-up and stale limits."""

    per_run_cap: int = 20
    spacing_seconds: Mapping[str, float] = field(
        default_factory=lambda: {"sms": 0.2, "whatsapp": 0.2, "telegram": 0.05}
    )
    # the least time between two messages to one address on a channel (Telegram: one message per chat per second)
    per_address_seconds: Mapping[str, float] = field(default_factory=dict)
    max_attempts: int = 6
    base_delay_seconds: float = 30.0
    max_delay_seconds: float = 3600.0
    stale_after: timedelta = timedelta(minutes=10)
    whatsapp_window: timedelta = timedelta(hours=24)
    template_available: bool = False


def backoff(attempts: int, policy: DrainPolicy, retry_after: float | None = None) -> float:
    """Seconds to wait after the `attempts`-th failed try: 30 s, 1 min, 2 min ... capped; Retry-After wins if longer."""
    delay = min(policy.base_delay_seconds * 2.0 ** max(attempts - 1, 0), policy.max_delay_seconds)
    return max(delay, retry_after or 0.0)


def _new_counts() -> dict[str, int]:
    return {"sent": 0, "retried": 0, "failed": 0, "skipped": 0, "unknown": 0}


def _skip(session: Session, row: Outbox, reason: str, counts: dict[str, int]) -> None:
    outbox.mark_skipped(session, row, reason)
    counts["skipped"] += 1
    log.info("outbox row %s skipped: %s", row.id, reason, extra={"channel": row.channel})


def _mark_stale(session: Session, now: datetime, counts: dict[str, int]) -> None:
    """Rows left in "sending" past their deadline (a crash mid-send) are failed, never resent blindly."""
    for row_id in outbox.fail_stale(session, now, UNKNOWN_OUTCOME):
        counts["unknown"] += 1
        log.warning("outbox row %s: unknown outcome, marked failed for staff", row_id)


def _whatsapp_window_open(contact: Contact | None, now: datetime, policy: DrainPolicy) -> bool:
    last = contact.last_inbound_at if contact is not None else None
    return last is not None and now - last < policy.whatsapp_window


def _decide(row: Outbox, contact: Contact | None, now: datetime, policy: DrainPolicy) -> str | bool:
    """A skip reason, or whether to send the WhatsApp template (False = free text)."""
    if contact is not None and contact.opted_out:
        return "contact opted out"
    if row.address.startswith("sim:"):
        return "simulator contact: nothing to send"
    if row.channel != "whatsapp":
        return False
    if wants_template(row.body) and policy.template_available:
        return True
    if _whatsapp_window_open(contact, now, policy):
        return False
    if policy.template_available:
        return True
    return "outside the WhatsApp 24-hour window and TWILIO_WHATSAPP_TEMPLATE_SID is not set"


def _claim(
    session: Session, channel: str, now: datetime, policy: DrainPolicy, counts: dict[str, int]
) -> list[OutboxItem]:
    items: list[OutboxItem] = []
    for row in outbox.due(session, channel, now, policy.per_run_cap):
        assert row.id is not None
        contact = find_contact(session, row.contact_id, row.channel, row.address)
        decision = _decide(row, contact, now, policy)
        if isinstance(decision, str):
            _skip(session, row, decision, counts)
            continue
        outbox.mark_sending(session, row, now + policy.stale_after)  # after the deadline the outcome is unknown
        language = (contact.language if contact is not None else "") or shipped_languages().source
        items.append(
            OutboxItem(
                id=row.id,
                channel=row.channel,
                address=row.address,
                body=dict(row.body or {}),
                attempts=row.attempts,
                language=language,
                template=decision,
            )
        )
    return items


def _skip_unsendable(
    session: Session,
    channels: Mapping[str, str],
    sendable: set[str],
    now: datetime,
    policy: DrainPolicy,
    counts: dict[str, int],
) -> None:
    """Due rows on a channel with no sender (not configured) are skipped with the reason, so staff see them."""
    for row in outbox.due_elsewhere(session, sendable, now, policy.per_run_cap * 5):
        _skip(session, row, channels.get(row.channel, f"no sender for channel {row.channel!r}"), counts)


def _record(
    db: Engine, item: OutboxItem, outcome: SendOutcome, now: datetime, policy: DrainPolicy, counts: dict[str, int]
) -> None:
    with transaction(db) as session:
        row = outbox.lock_sending(session, item.id)
        if row is None:
            return  # deleted (forget-me) or already resolved
        if outcome.status == "sent":
            outbox.mark_sent(session, row, outcome.provider_id, now)
            counts["sent"] += 1
        elif outcome.status == "retry" and row.attempts < policy.max_attempts:
            at = now + timedelta(seconds=backoff(row.attempts, policy, outcome.retry_after))
            outbox.mark_retry(session, row, at, outcome.error, outcome.remaining_body)
            counts["retried"] += 1
        elif outcome.status == "skipped":
            _skip(session, row, outcome.error or "skipped", counts)
        elif outcome.status == "unknown":
            outbox.mark_failed(session, row, UNKNOWN_SEND.format(error=outcome.error or "no answer")[:500],
                               provider_id=outcome.provider_id, body=outcome.remaining_body)
            counts["unknown"] += 1
            log.warning("outbox row %s: unknown outcome, not resent", row.id, extra={"channel": row.channel})
        else:
            error = (
                outcome.error
                if outcome.status == "failed"
                else (f"gave up after {row.attempts} attempts: {outcome.error}")
            )
            outbox.mark_failed(session, row, error)
            counts["failed"] += 1
            log.warning("outbox row %s failed: %s", row.id, row.last_error, extra={"channel": row.channel})
        if outcome.opted_out:
            contact = find_contact(session, row.contact_id, row.channel, row.address)
            if contact is not None:
                mark_opted_out(session, contact)


def _release(db: Engine, items: list[OutboxItem], until: datetime) -> None:
    """Put claimed rows back untouched (the channel asked us to slow down): no attempt is counted."""
    with transaction(db) as session:
        outbox.release(session, [item.id for item in items], until)


def _send_one(sender: Sender, item: OutboxItem) -> SendOutcome:
    try:
        return sender.send(item)
    except Exception as exc:  # a bug or an unexpected library error: perhaps after the provider took it
        log.exception("outbox sender crashed on row %s", item.id)
        return SendOutcome("unknown", error=f"{type(exc).__name__}: {exc}"[:500])


def drain(
    db: Engine,
    now: datetime,
    senders: Mapping[str, Sender],
    *,
    unavailable: Mapping[str, str] | None = None,
    policy: DrainPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, int]:
    """One drain run. Claiming commits before any network call, so a row is sent at most once."""
    policy = policy or DrainPolicy()
    counts = _new_counts()
    with transaction(db) as session:
        _mark_stale(session, now, counts)
        claimed = {channel: _claim(session, channel, now, policy, counts) for channel in senders}
        _skip_unsendable(session, unavailable or {}, set(senders), now, policy, counts)
    for channel, items in claimed.items():
        spacing = policy.spacing_seconds.get(channel, 0.0)
        per_address = policy.per_address_seconds.get(channel, 0.0)
        last_to: dict[str, float] = {}
        next_at = time.monotonic()
        for index, item in enumerate(items):
            if spacing > 0:  # paced from the start of the previous send: at most 1/spacing a second
                wait = next_at - time.monotonic()
                if wait > 0:
                    sleep(wait)
                next_at = max(next_at, time.monotonic()) + spacing
            if per_address > 0 and item.address in last_to:
                wait = last_to[item.address] + per_address - time.monotonic()
                if wait > 0:
                    sleep(wait)
            outcome = _send_one(senders[channel], item)
            last_to[item.address] = time.monotonic()  # counted from the answer: the provider had it by then
            _record(db, item, outcome, now, policy, counts)
            if outcome.rate_limited:
                rest = items[index + 1 :]
                if rest:
                    _release(db, rest, now + timedelta(seconds=outcome.retry_after or 0.0))
                log.info("channel %s rate limited; %d rows put back", channel, len(rest))
                break
    return counts
