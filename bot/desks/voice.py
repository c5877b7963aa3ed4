"""The effects of a phone call, applied by the service: its ticket (the same as an SMS handoff, said aloud and
texted), SMS to the caller through the outbox, the language also for SMS, and the call's progress."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.content.library import Library
from bot.effects import CallProgress, Effect, OpenTicket, SendSms, SetLanguage
from bot.flows.context import Ctx
from bot.flows.handoff_replies import confirmation
from bot.flows.voice_callback import ticket_speech
from bot.flows.voice_common import CHANNEL, can_text, note
from bot.messages import Address, Inbound, Reply
from bot.outbound.body import body_from_reply
from bot.state import State
from bot.stats import stats_key
from handoff.tickets import open_ticket
from storage import outbox, queries
from storage.enums import TicketStatus
from storage.models import Contact, Message
from storage.session import Session
from storage.voice_calls import record_progress

if TYPE_CHECKING:
    from bot.runtime import Deps

Applied = tuple[list[Reply], bool]


def is_voice(contact: Contact) -> bool:
    return contact.channel == CHANNEL


def caller(contact: Contact) -> str | None:
    """The caller's E.164 number (a withheld caller's address is not a number)."""
    return contact.address if contact.address.startswith("+") else None


def apply(session: Session, deps: Deps, effect: Effect, contact: Contact, inbound_row: Message, state: State,
          library: Library, now: datetime, *, test: bool = False) -> Applied | None:
    """Carry out one effect of a call; None for effects the service handles as for any channel."""
    if isinstance(effect, OpenTicket):
        return _ticket(session, deps, effect, contact, state, library, now, test=test), False
    if isinstance(effect, SendSms):
        if not test:
            send_sms(session, deps, effect, contact, now)
        return [], False
    if isinstance(effect, CallProgress):
        number = caller(contact)
        if number is not None:  # a number that sent STOP by SMS gets no SMS from a call either (next turns)
            sms = queries.find_contact(session, "sms", number)
            state.data["sms_stopped"] = bool(sms is not None and sms.opted_out)
        if effect.call and not test:
            record_progress(session, effect.call, step=effect.step, language=effect.language,
                            withheld=effect.withheld, events=effect.events, now=now)
        return [], False
    if isinstance(effect, SetLanguage):
        contact.language = effect.language
        number = caller(contact)
        if number is not None and not test:  # "also for SMS": the same person texting from this number
            sms = _sms_contact(session, deps, number, now)
            sms.language = effect.language  # a locked row of this transaction: stored at commit
            if sms.id is not None:  # a choice made on purpose: the SMS conversation knows it too
                conversation = queries.lock_conversation(session, sms.id, now)
                conversation.state = {**(conversation.state or {}), "language": effect.language,
                                      "language_known": True}
        return [], False
    return None


def _sms_contact(session: Session, deps: Deps, number: str, now: datetime) -> Contact:
    key = stats_key(deps.settings.stats_hash_key, "sms", number)
    return queries.lock_contact(session, "sms", number, key, now, inbound=False)


def send_sms(session: Session, deps: Deps, effect: SendSms, contact: Contact, now: datetime) -> int:
    """Queue the replies as SMS to the number, unless that number sent STOP. With a state, the SMS conversation
    continues from it (kept: its opt-out, its ticket). Returns how many messages were queued."""
    sms = _sms_contact(session, deps, effect.to, now)
    if sms.opted_out:
        return 0
    if not sms.language:
        sms.language = effect.language
    if effect.state is not None and sms.id is not None:
        conversation = queries.lock_conversation(session, sms.id, now)
        old = State.from_dict(conversation.state)
        new = State.from_dict(effect.state)
        new.ticket, new.ticket_claimed, new.opted_out = old.ticket, old.ticket_claimed, old.opted_out
        conversation.state = new.to_dict()
        conversation.updated_at = now
    for reply in effect.replies:
        outbox.enqueue(session, "sms", effect.to, body_from_reply(reply), now=now, contact_id=sms.id,
                       purpose=effect.purpose, about_contact_id=contact.id)
    return len(effect.replies)


def _ticket(session: Session, deps: Deps, effect: OpenTicket, contact: Contact, state: State, library: Library,
            now: datetime, *, test: bool) -> list[Reply]:
    """The same ticket as an SMS handoff (routing, promise from hours), channel voice; the code is said digit by
    digit and, when the caller's number can receive SMS, texted to the number they gave."""
    timezone = library.texts.deployment.timezone
    ticket, receipt = open_ticket(session, contact, effect, organisations=deps.organisations(), now=now,
                                  timezone=timezone, test=test)
    state.ticket = ticket.code
    state.ticket_claimed = ticket.status == TicketStatus.CLAIMED
    for hook in deps.on_ticket_opened:
        hook(session, ticket, contact)
    language = state.language or library.texts.deployment.default_language
    target = effect.callback_number if caller(contact) is not None and can_text(effect.callback_number) else None
    texted = False
    if target is not None and not receipt.added_to_existing and not test:
        words = tuple(library.texts.stamp(reply, language) for reply in confirmation(receipt, language, library, now))
        texted = send_sms(session, deps, SendSms(to=target, replies=words, language=language, purpose="voice_ticket"),
                          contact, now) > 0
    ctx = Ctx(inbound=Inbound(address=Address(contact.channel, contact.address), text="", received_at=now),
              state=state, library=library, now=now)
    ticket_speech(ctx, receipt, effect.callback_window, texted=texted)
    note(ctx, "ticket")
    if texted:
        note(ctx, "sms_sent")
    call = str(state.data.get("call") or "")
    events = tuple(state.data.pop("events", []))
    if call and not test:
        record_progress(session, call, step=str(state.data.get("step") or ""), language=language,
                        withheld=caller(contact) is None, events=events, now=now, turn=False)
    return list(ctx.replies)
