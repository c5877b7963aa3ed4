"""The simulator's phone: a test call through the real service, keys in, what would be spoken (and its TwiML) out.

A simulated caller's number is hidden (its address is the simulator's, not a phone number): nothing is texted, and
a callback asks for a number typed on the keypad, exactly as for a resident who withholds their number."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from fastapi import HTTPException

from bot.channels.twilio.voice import TURN, VOICE_PATH, voices
from bot.channels.twilio.voice_twiml import keypad_of, voice_twiml
from bot.flows.voice_common import CHANNEL, START
from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle

SIM_CALL = re.compile(r"SIM[0-9a-f]{32}")
KEYS = re.compile(r"[0-9*#]{0,20}")


def _unprocessable(detail: str) -> HTTPException:
    return HTTPException(status_code=422, detail=detail)


def _call_turn(payload: dict[str, Any]) -> tuple[str | None, int]:
    """The call a keypress belongs to and the turn it answers; (None, 0) when a new call starts."""
    call = payload.get("call")
    if call is None or call == "":
        return None, 0
    if not isinstance(call, str) or not SIM_CALL.fullmatch(call):
        raise _unprocessable("call must be the id the simulator gave when the call started")
    turn = payload.get("turn")
    if isinstance(turn, bool) or not isinstance(turn, int) or not 0 <= turn < 10_000:
        raise _unprocessable("turn must be the number the previous answer gave")
    return call, turn


def simulate_call(deps: Deps, payload: dict[str, Any], address: str, now: datetime) -> dict[str, Any]:
    """One webhook of a test call: starts a call (no `call`) or sends `keys` for `turn`; answers what is spoken,
    what the call waits for and the TwiML Twilio would receive."""
    call, turn = _call_turn(payload)
    keys = payload.get("keys", "")
    if not isinstance(keys, str) or not KEYS.fullmatch(keys):
        raise _unprocessable("keys must be at most 20 of 0-9, * and #")
    if call is None:
        call = "SIM" + secrets.token_hex(16)
        inbound = Inbound(address=Address(CHANNEL, address), text="", received_at=now, external_id=f"{call}:start:",
                          payload=START, call_id=call, test=True)
    else:
        inbound = Inbound(address=Address(CHANNEL, address), text=keys, received_at=now,
                          external_id=f"{call}:{turn}:{keys}", call_id=call, test=True)
    result = handle(inbound, deps)
    library = deps.library()
    known = voices(deps.settings, library)
    fallback = known[library.texts.catalogue.source]
    keypad = keypad_of(result.replies)
    ends = keypad is None or keypad.hangup
    twiml = voice_twiml(result.replies, action_url=lambda step: f"{VOICE_PATH}?{TURN}={step}",
                        voice_for=lambda code: known.get(code, fallback), speech=False)
    return {
        "call": call,
        "replies": [{"text": reply.text, "language": reply.language,
                     "locale": known.get(reply.language, fallback)[0]} for reply in result.replies if reply.text],
        "turn": None if ends or keypad is None else keypad.turn,
        "keys": None if ends or keypad is None else keypad.digits,
        "step": keypad.step if keypad else None,
        "hangup": ends,
        "twiml": twiml,
    }
