"""Announcements: audience, texts per language with the SMS lint, preview, approval, sending through the outbox.

Each recipient is one unique (broadcast, contact) row written in the same transaction as its outbox row, so a
worker killed mid-send never queues anyone twice; the outbox sends each row at most once."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.content.library import Library
from bot.content.sms_budget import budget_problems
from bot.fold import fold
from bot.messages import GeoPoint, Reply
from bot.outbound.body import body_from_reply
from bot.render import render
from storage import broadcasts as rows
from storage.enums import BroadcastStatus, OutboxStatus
from storage.models import Broadcast, Contact
from storage.outbound import FOLLOW, NEWS
from storage.session import Session

CHANNELS = ("sms", "whatsapp", "telegram")  # residents' channels (no simulator or console contacts)
OPEN = (BroadcastStatus.AWAITING_APPROVAL, BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING)


class BroadcastError(ValueError):
    """An audience, text or action that cannot be used (the message says why)."""


@dataclass(frozen=True)
class Audience:
    kind: str  # news | lang | wijk | place
    value: str = ""

    @classmethod
    def parse(cls, raw: str, library: Library) -> Audience:
        kind, _, value = raw.strip().partition(":")
        if kind == "news" and not value:
            return cls("news")
        if kind == "lang" and value in library.texts.catalogue.codes:
            return cls("lang", value)
        if kind == "wijk" and value.strip():
            wijken = {fold(name.split(" - ")[0]): name for name in _wijk_names(library)}
            if fold(value) not in wijken:
                raise BroadcastError(f"unknown wijk {value!r}; known: {', '.join(sorted(wijken.values()))}")
            return cls("wijk", wijken[fold(value)].split(" - ")[0])
        if kind == "place" and library.places.get(value) is not None:
            return cls("place", value)
        raise BroadcastError(f"audience must be news, lang:CODE, wijk:NAME or place:ID (a known one), got {raw!r}")

    def __str__(self) -> str:
        return self.kind if self.kind == "news" else f"{self.kind}:{self.value}"


def _wijk_names(library: Library) -> set[str]:
    return set(library.places.by_neighbourhood()) | set(library.places.wijken.names())


def lint(texts: dict[str, str], library: Library) -> dict[str, list[str]]:
    """Per language, why its text breaks the SMS rules (an unknown language or an empty text too)."""
    problems: dict[str, list[str]] = {}
    catalogue = library.texts.catalogue
    for language, text in texts.items():
        if language not in catalogue.codes:
            problems[language] = [f"unknown language {language!r}"]
        elif not text.strip():
            problems[language] = ["empty text"]
        else:
            found = budget_problems(text, catalogue.sms(language))
            if found:
                problems[language] = found
    if library.texts.deployment.default_language not in texts:
        problems.setdefault(library.texts.deployment.default_language, []).append(
            "a text in the source language is needed (it goes to residents whose language has none)")
    return problems


def audience_contacts(session: Session, audience: Audience, library: Library) -> list[Contact]:
    """Who would receive it now: consenting, not opted out, on a resident channel."""
    kind = FOLLOW if audience.kind == "place" else NEWS
    contacts = rows.consenting(session, kind, CHANNELS, place_id=audience.value if audience.kind == "place" else None,
                               language=audience.value if audience.kind == "lang" else None)
    if audience.kind == "wijk":
        wijk = fold(audience.value)
        contacts = [c for c in contacts if fold((last_wijk(session, c, library) or "").split(" - ")[0]) == wijk]
    return contacts


def last_wijk(session: Session, contact: Contact, library: Library) -> str | None:
    """The wijk of the last point the resident gave (their conversation remembers it)."""
    state = rows.conversation_state(session, contact.id) if contact.id is not None else {}
    where = state.get("where")
    point = where.get("point") if isinstance(where, dict) else None
    if not isinstance(point, list) or len(point) != 2:
        return None
    return library.places.locate(GeoPoint(float(point[0]), float(point[1])))


def reply_for(broadcast: Broadcast, language: str, library: Library) -> Reply:
    """The message one resident gets: the text in their language (else the source language), with how to stop."""
    texts = library.texts
    source = texts.deployment.default_language
    chosen = language if language in broadcast.texts else source
    text = broadcast.texts.get(chosen) or next(iter(broadcast.texts.values()), "")
    footer_key = "news_footer" if broadcast.kind == "news" else "follow_footer"
    footer = texts.get(chosen, footer_key) if footer_key in texts.sentences.get(source, {}) else None
    return texts.stamp(Reply(text=text, footer=footer), chosen)


def preview(session: Session, audience: Audience, texts: dict[str, str], library: Library) -> dict[str, Any]:
    """Recipients per channel and language, and the SMS segments that will be paid."""
    contacts = audience_contacts(session, audience, library)
    probe = Broadcast(audience=str(audience), texts=texts)
    per_channel = Counter(c.channel for c in contacts)
    per_language = Counter(c.language or library.texts.deployment.default_language for c in contacts)
    segments = sum(render(reply_for(probe, c.language, library), "sms").segments for c in contacts
                   if c.channel == "sms")
    return {"recipients": len(contacts), "per_channel": dict(per_channel), "per_language": dict(per_language),
            "sms_segments": segments}


def create(session: Session, audience: Audience, texts: dict[str, str], library: Library, *, send_at: datetime,
           created_by: str, approval_above: int, now: datetime, kind: str = "news") -> Broadcast:
    problems = lint(texts, library)
    if problems:
        raise BroadcastError("; ".join(f"{language}: {', '.join(found)}" for language, found in problems.items()))
    recipients = len(audience_contacts(session, audience, library))
    status = BroadcastStatus.AWAITING_APPROVAL if recipients > approval_above else BroadcastStatus.SCHEDULED
    return rows.add(session, audience=str(audience), texts=texts, kind=kind, status=status, recipients=recipients,
                    created_by=created_by, now=now, send_at=send_at)


def approve(session: Session, broadcast_id: int, by: str) -> Broadcast:
    row = rows.lock(session, broadcast_id)
    if row is None:
        raise BroadcastError(f"no broadcast {broadcast_id}")
    if row.status != BroadcastStatus.AWAITING_APPROVAL:
        raise BroadcastError(f"broadcast {broadcast_id} is {row.status}, not awaiting approval")
    if by.strip().lower() == row.created_by.strip().lower():
        raise BroadcastError("een tweede medewerker keurt goed, niet wie het schreef")
    row.status = BroadcastStatus.SCHEDULED  # a locked row of this transaction: stored at commit
    row.approved_by = by
    return row


def cancel(session: Session, broadcast_id: int, now: datetime) -> int:
    """Stop a broadcast, also while it is sending: its queued outbox rows are skipped. Returns how many."""
    row = rows.lock(session, broadcast_id)
    if row is None:
        raise BroadcastError(f"no broadcast {broadcast_id}")
    if row.status not in OPEN:
        raise BroadcastError(f"broadcast {broadcast_id} is {row.status}: nothing to cancel")
    row.status = BroadcastStatus.CANCELLED
    row.finished_at = now
    return rows.skip_queued(session, broadcast_id, "broadcast cancelled")


def expand(session: Session, broadcast: Broadcast, library: Library, now: datetime, batch: int) -> int:
    """Queue the next recipients: a unique recipient row and its outbox row, in this one transaction.

    A recipient already queued (by an earlier run, or a worker that was killed after committing) is skipped by the
    unique (broadcast, contact) row; a run killed before committing leaves nothing behind. Returns how many."""
    assert broadcast.id is not None
    wanted = [c for c in audience_contacts(session, Audience.parse(broadcast.audience, library), library)
              if c.id is not None]
    queued_ids = rows.queued_contacts(session, broadcast.id)
    todo = [c for c in wanted if c.id not in queued_ids][:batch]
    count = 0
    for contact in todo:
        body = body_from_reply(reply_for(broadcast, contact.language, library))
        if rows.queue_recipient(session, broadcast.id, contact, body, now):
            count += 1
    return count


def figures(session: Session, broadcast_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per broadcast: queued (waiting or sending), sent, delivered, failed, from its outbox rows."""
    result: dict[int, dict[str, int]] = {i: {"queued": 0, "sent": 0, "delivered": 0, "failed": 0}
                                         for i in broadcast_ids}
    for broadcast_id, status, sent_at in rows.outbox_states(session, broadcast_ids):
        counts = result[broadcast_id]
        if status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            counts["queued"] += 1
        if sent_at is not None:
            counts["sent"] += 1
        if status in ("delivered", "read"):  # the provider's receipts (storage.delivery_receipts)
            counts["delivered"] += 1
        if status in (OutboxStatus.FAILED, "undelivered"):
            counts["failed"] += 1
    return result


def listing(session: Session) -> list[dict[str, Any]]:
    """Every broadcast, newest first, as `digibuur broadcast list --json` shows it."""
    found = rows.newest_first(session)
    numbers = figures(session, [r.id for r in found if r.id is not None])
    return [{"id": r.id, "audience": r.audience, "status": r.status, "recipients": r.recipients,
             **numbers.get(r.id or 0, {}), "created_at": r.created_at.isoformat(), "send_at": r.send_at.isoformat()}
            for r in found]


def advance(session: Session, broadcast: Broadcast, library: Library, now: datetime, batch: int) -> int:
    """One worker step of a due broadcast: queue a batch; once all are queued and sent, it is done."""
    if broadcast.status == BroadcastStatus.SCHEDULED:
        broadcast.status = BroadcastStatus.SENDING  # a row the job locked: stored at commit
    queued = expand(session, broadcast, library, now, batch)
    assert broadcast.id is not None
    total = rows.recipient_count(session, broadcast.id)
    broadcast.recipients = max(broadcast.recipients, total)  # the estimate at creation, or more by now
    if queued == 0 and figures(session, [broadcast.id])[broadcast.id]["queued"] == 0:
        broadcast.status = BroadcastStatus.SENT
        broadcast.recipients = total
        broadcast.finished_at = now
    return queued


def _dates(start: date, end: date) -> str:
    return f"{start.day}/{start.month}" if start == end else f"{start.day}/{start.month}-{end.day}/{end.month}"


def closure_texts(library: Library, place_id: str, start: date, end: date, reason: dict[str, str]) -> dict[str, str]:
    """The closure notice in every offered language (the reason in that language, else none), within SMS budget."""
    place = library.places.get(place_id)
    name = (place.short_name or place.name) if place is not None else place_id
    texts: dict[str, str] = {}
    for language in library.texts.languages:
        for why in (reason.get(language, ""), ""):
            text = library.texts.get(language, "closure_notice", place=name, dates=_dates(start, end),
                                     reason=why).strip()
            if not lint({language: text, library.texts.deployment.default_language: "x"}, library):
                break
        texts[language] = text
    return texts


def notify_followers(session: Session, library: Library, place_id: str, start: date, end: date,
                     reason: dict[str, str], *, author: str, now: datetime) -> Broadcast | None:
    """A closure notice to the place's followers, sent now (they asked for it: no approval); None without any."""
    audience = Audience("place", place_id)
    if not audience_contacts(session, audience, library):
        return None
    return create(session, audience, closure_texts(library, place_id, start, end, reason), library, send_at=now,
                  created_by=author, approval_above=10**9, now=now, kind="closure")


def follower_count(session: Session, place_id: str) -> int:
    return rows.follower_count(session, place_id)
