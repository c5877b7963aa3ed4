"""Handle one inbound message: dedupe, lock the conversation, run the engine, save, apply effects."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot import engine
from bot.content.library import Library
from bot.desks import booking, voice
from bot.desks.subscriptions import apply_outbound, is_outbound
from bot.effects import (
    AddToTicket,
    AskTicketStatus,
    BookingRequest,
    ChangeCallbackNumber,
    ChangeCallbackWindow,
    Effect,
    ForgetContact,
    NewsOffered,
    OpenTicket,
    OptIn,
    OptOut,
    RecordUnmatched,
    SetLanguage,
)
from bot.flows.handoff_numbers import pretty_number
from bot.flows.handoff_promise import promise_words
from bot.flows.handoff_replies import confirmation, status_reply
from bot.flows.voice_common import CHANNEL as VOICE
from bot.messages import Inbound, Reply, reply_from_dict, reply_to_dict
from bot.runtime import Deps
from bot.state import State
from bot.stats import stats_key
from handoff.tickets import add_to_ticket, change_number, change_window, open_ticket, status_info
from storage import conversations, queries
from storage.conversations import NO_OUTBOUND
from storage.db import checkpoint_erasure, describe_error, is_transient, transaction
from storage.models import Contact, Message
from storage.privacy import forget_contact
from storage.session import IntegrityError, Session
from storage.turn_transactions import (
    OptimisticTurn,
    TurnConflict,
    TurnTransaction,
    optimistic,
    optimistic_turn,
    turn_transaction,
)
from storage.turn_transactions import WriterBusy as WriterBusy  # raised by handle(wait=False), for the webhooks

log = logging.getLogger("digibuur.service")

@dataclass(frozen=True)
class HandleResult:
    """The replies to send inline, and whether this delivery was a repeat."""

    replies: tuple[Reply, ...]
    duplicate: bool = False
    opted_out: bool = False
    language: str = "nl"
    intent: str | None = None
    reply_ids: tuple[int, ...] = ()
    forgotten: bool = False


def _reply_payload(reply: Reply) -> dict[str, Any]:
    payload = reply_to_dict(reply)
    payload.pop("text", None)
    return payload


def reply_from_log(message: Message) -> Reply:
    """A logged reply (text + payload) as the Reply it was."""
    return _reply_from(message)


def _reply_from(message: Message) -> Reply:
    return reply_from_dict({**(message.payload or {}), "text": message.text})


def _stored_replies(session: Session, message: Message) -> tuple[Reply, ...]:
    assert message.id is not None
    return tuple(_reply_from(m) for m in queries.replies_to(session, message.id))


def _stored_ids(session: Session, message: Message) -> tuple[int, ...]:
    assert message.id is not None
    return tuple(m.id for m in queries.replies_to(session, message.id) if m.id is not None)


def handle(inbound: Inbound, deps: Deps, *, wait: bool = True) -> HandleResult:
    """Process one inbound message exactly once; a repeated external id gets the stored replies.

    Whatever goes wrong while handling, the message is kept as a dead letter and the resident gets an apology:
    a message that makes digibuur fail must not fail again on every redelivery. Only an unreachable or busy
    database is raised instead: then the provider's redelivery will be handled normally.

    `wait=False`, for a caller on an event loop: raise WriterBusy, having done nothing, when the turn would wait
    for the writer or the network (PostgreSQL always; SQLite when another thread of this process or another
    process is writing), then run it in a worker thread. On a free SQLite writer a turn is a fraction of a
    millisecond of local work, cheaper than the hand-off to a thread. A forget-me's WAL checkpoint (which may
    retry for a while) is then left to the caller: `finish_forget` in a worker thread."""
    try:
        result = _handle(inbound, deps, wait)
    except WriterBusy:
        raise
    except IntegrityError as exc:
        # A concurrent delivery of the same external id won the race: answer with what it stored.
        log.info("duplicate delivery resolved after a race", extra={"channel": inbound.address.channel})
        with transaction(deps.db) as session:
            if inbound.external_id:
                existing = queries.find_inbound(session, inbound.address.channel, inbound.external_id)
                if existing is not None:
                    return HandleResult(replies=_stored_replies(session, existing), duplicate=True,
                                        reply_ids=_stored_ids(session, existing))
        return _keep_dead_letter(inbound, deps, exc)
    except Exception as exc:
        if is_transient(exc):
            raise
        return _keep_dead_letter(inbound, deps, exc)
    if result.forgotten and wait:
        finish_forget(deps)
    return result


def finish_forget(deps: Deps) -> None:
    """After a forget-me: SQLite's WAL checkpoint, so the erased rows do not linger (may retry for a while)."""
    checkpoint_erasure(deps.db)


def _keep_dead_letter(inbound: Inbound, deps: Deps, exc: Exception) -> HandleResult:
    """Store the message and a dead letter in a fresh transaction (without the text if the text itself was the
    problem) and apologise. Raises only when nothing at all can be stored (then the provider retries)."""
    channel = inbound.address.channel
    error = describe_error(exc)
    stack = "".join(traceback.format_tb(exc.__traceback__))  # the frames, not the message (it may quote data)
    log.error("handling failed; message kept as a dead letter: %s\n%s", error, stack, extra={"channel": channel})
    now = deps.clock()
    try:
        library = deps.library()
        sorry: tuple[Reply, ...] = (Reply(text=library.texts.get("nl", "error_sorry")),)
    except Exception:
        sorry = ()
    for keep_text in (True, False):
        try:
            with transaction(deps.db) as session:
                key = stats_key(deps.settings.stats_hash_key, channel, inbound.address.id)
                contact = queries.lock_contact(session, channel, inbound.address.id, key, now)
                language = contact.language or "nl"
                if contact.opted_out:
                    sorry = ()
                elif sorry and language != "nl":
                    sorry = (Reply(text=deps.library().texts.get(language, "error_sorry")),)
                row = queries.add_message(
                    session, contact_id=contact.id, channel=channel, direction="in",
                    external_id=inbound.external_id, text=inbound.text[:5000] if keep_text else "",
                    created_at=now, payload={},
                )
                queries.add_dead_letter(session, row.id, channel, error, address=inbound.address.id, created_at=now)
                ids = _log_replies(session, contact.id, channel, row.id, sorry, now)
                return HandleResult(replies=sorry, language=language, reply_ids=ids)
        except Exception:
            log.warning("storing the failed message %s its text failed too", "with" if keep_text else "without",
                        extra={"channel": channel})
    with transaction(deps.db) as session:  # the last resort: who and why, no message row, no text
        queries.add_dead_letter(session, None, channel, error, address=inbound.address.id[:64], created_at=now)
    return HandleResult(replies=sorry)


OPTIMISTIC_TRIES = 3  # PostgreSQL: reads and runs of a turn before it waits for the resident's locks instead


def _handle(inbound: Inbound, deps: Deps, wait: bool = True) -> HandleResult:
    """One turn. PostgreSQL: first without holding locks while the dialogue runs (storage.turn_transactions'
    OptimisticTurn: its write, or its lock when it needs more, checks that the contact and conversation did not
    change since its read; else the turn is read and run again: the dialogue is pure, a run that wrote nothing
    has done nothing), and after OPTIMISTIC_TRIES conflicts in a transaction that holds the locks throughout."""
    if wait and optimistic(deps.db):
        for _ in range(OPTIMISTIC_TRIES):
            try:
                with optimistic_turn(deps.db) as attempt:
                    return _run_turn(inbound, deps, attempt)
            except TurnConflict:
                log.info("the conversation changed while its turn ran; running it again",
                         extra={"channel": inbound.address.channel})
    with turn_transaction(deps.db, wait=wait) as tx:
        return _run_turn(inbound, deps, tx)


def _run_turn(inbound: Inbound, deps: Deps,
              tx: TurnTransaction | OptimisticTurn) -> HandleResult:
    """The turn in the given transaction: read, the dedupe, the loop guard and throttle, the engine, the writes."""
    now = deps.clock()
    channel = inbound.address.channel
    library = deps.library()
    default_language = library.texts.deployment.default_language
    limit = deps.settings.throttle_per_minute
    key = stats_key(deps.settings.stats_hash_key, channel, inbound.address.id)
    contact, opening = conversations.start_turn(tx, channel, inbound.address.id, key, now, inbound.external_id,
                                                recent_since=now - LOOP_WINDOW,
                                                recent_limit=max(limit + 1, LOOP_REPEATS))
    if opening.duplicate_of is not None:
        existing = tx.session.get(Message, opening.duplicate_of)
        assert existing is not None
        return HandleResult(replies=_stored_replies(tx.session, existing), duplicate=True,
                            opted_out=contact.opted_out, language=contact.language or default_language,
                            reply_ids=_stored_ids(tx.session, existing))
    recent = opening.recent
    state_raw = dict(opening.state or {})
    if contact.language and not state_raw.get("language"):
        state_raw["language"] = contact.language
    state_raw["outbound"] = (conversations.receives(tx, contact.id) if opening.subscribed
                             else {**NO_OUTBOUND, "follow": []})
    language = str(state_raw.get("language") or default_language)
    row: dict[str, Any] = {  # the inbound message's fields, stored once the turn knows how
        "external_id": inbound.external_id, "text": inbound.text[:5000], "created_at": now,
        "payload": {"location": [inbound.location.lat, inbound.location.lon]} if inbound.location else {},
    }
    sender: dict[str, Any] = {"contact_id": contact.id, "channel": channel, "direction": "in"}
    if _looks_like_a_bot_loop(inbound.text, recent):
        log.warning("message loop detected; not answering", extra={"channel": channel})
        conversations.add_message(tx, **sender, **row)
        return HandleResult(replies=(), language=language)
    minute_ago = now - timedelta(minutes=1)
    sent_last_minute = sum(1 for created, _ in recent if created >= minute_ago)
    if sent_last_minute >= limit:
        inbound_id = conversations.add_message(tx, **sender, **row)
        return _throttle_reply(tx, contact, inbound_id, channel, language, library,
                               sent_last_minute > limit, now)
    try:
        turn = engine.respond(inbound, state_raw, library, now)
    except Exception as exc:  # the engine must never lose a message: keep it as a dead letter
        log.exception("engine failed; message kept as a dead letter")
        inbound_id = conversations.add_message(tx, **sender, **row)
        queries.add_dead_letter(tx.session, inbound_id, channel, f"{type(exc).__name__}: {exc}",
                                address=inbound.address.id, created_at=now)
        sorry = library.texts.reply(language, library.texts.get(language, "error_sorry"))
        return HandleResult(replies=(sorry,), language=language,
                            reply_ids=_log_replies(tx, contact.id, channel, inbound_id, (sorry,), now))
    guide_cursor = turn.state.get("guide")
    if turn.flow == "guide" and isinstance(guide_cursor, dict):
        row["payload"] = {**row["payload"],
                          "guide_step": f"{guide_cursor.get('guide_id')}/{guide_cursor.get('step_id')}"}
    row |= {"intent": turn.intent, "flow": turn.flow, "language": str(turn.state.get("language") or "")}
    updates = _contact_updates_only(turn, channel)
    if updates is not None:  # most turns: the engine's state as it is, no ORM objects
        replies = turn.replies
        _, ids = conversations.finish_turn(
            tx, contact_id=contact.id, channel=channel, inbound=row, state=turn.state, now=now,
            replies=[(reply.text, _reply_payload(reply)) for reply in replies], updates=updates)
        return HandleResult(replies=replies, opted_out=contact.opted_out and not replies,
                            language=str(turn.state.get("language") or ""), intent=turn.intent,
                            reply_ids=ids)
    inbound_id = conversations.add_message(tx, **sender, **row)
    return _with_effects(tx.session, deps, inbound, turn, contact.id, inbound_id, library, now)


def _contact_updates_only(turn: engine.Turn, channel: str) -> conversations.ContactUpdates | None:
    """The turn's effects as ContactUpdates, when they are no more than that: none, or the commonest two (setting
    the contact's language: 'English', a question in another language; the news offer shown), written with the
    turn's plain writes. None otherwise, and on a phone call (whose language choice also reaches the caller's SMS
    contact: `voice.apply`)."""
    if not turn.effects:
        return conversations.ContactUpdates()
    if channel == VOICE or any(not isinstance(effect, (SetLanguage, NewsOffered)) for effect in turn.effects):
        return None
    languages = [effect.language for effect in turn.effects if isinstance(effect, SetLanguage)]
    offers = [effect.wording for effect in turn.effects if isinstance(effect, NewsOffered)]
    if len(offers) > 1:
        return None
    return conversations.ContactUpdates(language=languages[-1] if languages else None,
                                        offer_wording=offers[0] if offers else None,
                                        offer_language=str(turn.state.get("language") or ""))


def _with_effects(session: Session, deps: Deps, inbound: Inbound, turn: engine.Turn, contact_id: int,
                  inbound_id: int, library: Library, now: datetime) -> HandleResult:
    """Apply the turn's effects on the contact and logged message (as ORM objects), then save and log."""
    contact = session.get(Contact, contact_id)
    inbound_row = session.get(Message, inbound_id)
    assert contact is not None and inbound_row is not None
    replies = list(turn.replies)
    state = State.from_dict(turn.state)
    forgotten = False
    for effect in turn.effects:
        extra, forgotten_now = _apply(session, deps, effect, contact, inbound_row, state, library, now,
                                      test=inbound.test)
        written_in = state.language or library.texts.deployment.default_language
        replies.extend(reply if reply.language else library.texts.stamp(reply, written_in) for reply in extra)
        forgotten = forgotten or forgotten_now
    if forgotten:
        return HandleResult(replies=tuple(replies), language=state.language, forgotten=True)
    session.add(contact)
    session.flush()  # the effects' own writes first: this turn's state is the last word on the conversation
    conversations.save_state(session, contact_id, state.to_dict(), now)
    ids = _log_replies(session, contact_id, contact.channel, inbound_id, tuple(replies), now)
    return HandleResult(replies=tuple(replies), opted_out=contact.opted_out and not replies,
                        language=state.language, intent=turn.intent, reply_ids=ids)


LOOP_REPEATS = 4
LOOP_WINDOW = timedelta(minutes=10)
LOOP_MIN_LENGTH = 12


def _looks_like_a_bot_loop(text: str, recent: Sequence[tuple[datetime, str]]) -> bool:
    """Another bot answering us: the same longer text again and again within minutes. Stop replying to it."""
    text = text.strip()
    if len(text) < LOOP_MIN_LENGTH:
        return False
    previous = recent[:LOOP_REPEATS]
    return len(previous) == LOOP_REPEATS and all(p.strip() == text for _, p in previous)


def _throttle_reply(session: conversations.Target, contact: conversations.ContactRow, inbound_id: int, channel: str,
                    language: str, library: Library, already_told: bool, now: datetime) -> HandleResult:
    """One polite reply when the limit is first crossed, then silence until the minute has passed."""
    if already_told or contact.opted_out:
        return HandleResult(replies=(), language=language)
    reply = library.texts.reply(language, library.texts.get(language, "throttled"))
    ids = _log_replies(session, contact.id, channel, inbound_id, (reply,), now)
    return HandleResult(replies=(reply,), language=language, reply_ids=ids)


def _log_replies(session: conversations.Target, contact_id: int | None, channel: str, inbound_id: int | None,
                 replies: tuple[Reply, ...], now: datetime) -> tuple[int, ...]:
    """Store the replies and return their ids, for delivery status callbacks."""
    return tuple(conversations.add_message(session, contact_id=contact_id, channel=channel, direction="out",
                                           reply_to_id=inbound_id, text=reply.text, payload=_reply_payload(reply),
                                           created_at=now) for reply in replies)


def _apply(session: Session, deps: Deps, effect: Effect, contact: Contact, inbound_row: Message, state: State,
           library: Library, now: datetime, *, test: bool = False) -> tuple[list[Reply], bool]:
    """Carry out one effect inside the same transaction; some effects add replies."""
    if voice.is_voice(contact):  # a phone call: its ticket is said aloud, SMS go through the outbox
        applied = voice.apply(session, deps, effect, contact, inbound_row, state, library, now, test=test)
        if applied is not None:
            return applied
    timezone = library.texts.deployment.timezone
    if is_outbound(effect):
        apply_outbound(session, effect, contact, state.language, now)
    elif isinstance(effect, OptOut):
        contact.opted_out = True
        apply_outbound(session, effect, contact, state.language, now)
    elif isinstance(effect, OptIn):
        contact.opted_out = False
    elif isinstance(effect, SetLanguage):
        contact.language = effect.language
    elif isinstance(effect, RecordUnmatched):
        queries.record_unmatched(session, inbound_row.id, effect.text, effect.language, effect.reason,
                                 list(effect.guesses), created_at=now)
    elif isinstance(effect, OpenTicket):
        ticket, receipt = open_ticket(session, contact, effect, organisations=deps.organisations(), now=now,
                                      timezone=timezone, test=test)
        state.ticket = ticket.code
        state.ticket_claimed = ticket.status == "claimed"
        for hook in deps.on_ticket_opened:
            hook(session, ticket, contact)
        language = state.language or library.texts.deployment.default_language
        return confirmation(receipt, language, library, now, by_message=not effect.callback_number), False
    elif isinstance(effect, AddToTicket):
        added = add_to_ticket(session, effect.code, effect.text, now)
        if added is None:
            state.ticket = None
            state.ticket_claimed = False
        else:
            for hook in deps.on_ticket_message:
                hook(session, added, contact)
    elif isinstance(effect, ChangeCallbackWindow):
        language = state.language or library.texts.deployment.default_language
        made = change_window(session, effect.code, effect.window, deps.organisations(), now, timezone)
        if made is None:  # claimed or closed meanwhile: the message goes to the ticket as any other
            if add_to_ticket(session, effect.code, inbound_row.text or "", now) is None:
                state.ticket = None
                state.ticket_claimed = False
            return [Reply(text=library.texts.get(language, "ho_forwarded"))], False
        prefix, when = promise_words(made, library.texts, language, now)
        text = library.texts.get(language, "ho_window_changed", when=when, code=effect.code)
        return [Reply(text=f"{prefix} {text}".strip())], False
    elif isinstance(effect, ChangeCallbackNumber):
        language = state.language or library.texts.deployment.default_language
        if not change_number(session, effect.code, effect.number, now):  # claimed or closed meanwhile
            if add_to_ticket(session, effect.code, inbound_row.text or "", now) is None:
                state.ticket = None
                state.ticket_claimed = False
            return [Reply(text=library.texts.get(language, "ho_forwarded"))], False
        text = library.texts.get(language, "ho_number_changed", number=pretty_number(effect.number), code=effect.code)
        return [Reply(text=text)], False
    elif isinstance(effect, AskTicketStatus):
        info = status_info(session, contact, effect.code, deps.organisations(), now=now, timezone=timezone)
        return [status_reply(info, state.language or library.texts.deployment.default_language, library, now)], False
    elif isinstance(effect, ForgetContact):
        forget_contact(session, contact)
        return [], True
    elif isinstance(effect, BookingRequest):
        return booking.answer(session, effect, contact, state, library, now, test=test), False
    return [], False
