"""`digibuur chat --channel voice`: play a phone call in the terminal; lines are keys, the output is what would
be spoken (an empty line is silence: no key before the timeout)."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
from typing import TextIO

from bot.channels.twilio.voice import caller_address
from bot.channels.twilio.voice_twiml import keypad_of
from bot.flows.voice_common import START
from bot.messages import Inbound, Reply
from bot.runtime import build_deps
from bot.service import handle
from bot.settings import Settings
from storage.types import utcnow


def _waits_for(digits: int) -> str:
    if digits == 1:
        return "one key"
    return f"{digits} keys" if digits > 1 else "keys, then #"


def _show(replies: tuple[Reply, ...], as_json: bool, stdout: TextIO) -> bool:
    """Print what is spoken and what the call waits for; True when the call goes on."""
    keypad = keypad_of(replies)
    ends = keypad is None or keypad.hangup
    if as_json:
        record = {"say": [{"text": reply.text, "language": reply.language} for reply in replies],
                  "step": keypad.step if keypad else None, "keys": None if ends or keypad is None else keypad.digits,
                  "hangup": ends}
        stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    else:
        for reply in replies:
            stdout.write(f"[{reply.language}] {reply.text}\n")
        waits = "(the call ends)" if ends or keypad is None else f"(waits for {_waits_for(keypad.digits)})"
        stdout.write(waits + "\n\n")
    stdout.flush()
    return not ends


def run_voice_chat(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    """Standard input and output are looked up when the call starts (not when the module is imported)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    deps = build_deps(Settings.from_env(), migrate=True)
    call = "CA" + secrets.token_hex(16)
    address = caller_address(args.as_address, call)
    if stdin.isatty():
        print("digibuur call: type keys (e.g. 1, 9040, 0470123456), an empty line for silence, Ctrl-D to hang up.",
              file=sys.stderr)
    result = handle(Inbound(address=address, text="", received_at=utcnow(), external_id=f"{call}:start:",
                            payload=START, call_id=call), deps)
    going = _show(result.replies, args.json, stdout)
    while going:
        line = stdin.readline()
        if not line:
            break
        keypad = keypad_of(result.replies)
        turn = keypad.turn if keypad else 0
        keys = "".join(ch for ch in line if ch in "0123456789*#")
        inbound = Inbound(address=address, text=keys, received_at=utcnow(), external_id=f"{call}:{turn}:{keys}",
                          call_id=call)
        result = handle(inbound, deps)
        going = _show(result.replies, args.json, stdout)
    return 0
