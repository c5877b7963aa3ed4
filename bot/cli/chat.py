"""`digibuur chat`: talk to digibuur in the terminal, as a resident on any channel, on the real database."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from bot.messages import Address, Inbound, Reply
from bot.render import render_all
from bot.runtime import Deps, build_deps
from bot.service import handle
from bot.settings import Settings
from bot.state import State
from storage import queries
from storage.db import transaction


class MomentError(ValueError):
    """An --at value that is not a moment."""


def parse_moment(raw: str, timezone: str) -> datetime:
    """'2026-12-05 22:00' (the deployment's time zone, Europe/Brussels) or any ISO 8601 moment, with an offset
    ('2026-12-05T21:00Z', '2026-12-05T22:00+01:00') or without."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise MomentError(
            f"--at {raw!r} is not a moment: use ISO 8601, e.g. '2026-12-05 22:00' or '2026-12-05T22:00+01:00'"
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    return moment


def clock_from(start: datetime, monotonic: Callable[[], float] = time.monotonic) -> Callable[[], datetime]:
    """A clock that starts at `start` and runs on with real time (so messages keep their order)."""
    began = monotonic()

    def now() -> datetime:
        return (start + timedelta(seconds=monotonic() - began)).astimezone(UTC)

    return now


def reset_conversation(deps: Deps, address: Address) -> bool:
    """Forget the conversation state of this address (flow, guide, language, places asked about ...).
    Its tickets stay, and so does the link to an open ticket and a STOP. False when there is nothing to forget."""
    with transaction(deps.db) as session:
        contact = queries.find_contact(session, address.channel, address.id)
        if contact is None or contact.id is None:
            return False
        conversation = queries.lock_conversation(session, contact.id, deps.clock())
        old = State.from_dict(conversation.state)
        kept = State(ticket=old.ticket, ticket_claimed=old.ticket_claimed, opted_out=old.opted_out)
        conversation.state = kept.to_dict()
        conversation.turns = 0
        conversation.updated_at = deps.clock()
        session.add(conversation)
    return True


def _write(replies: tuple[Reply, ...], args: argparse.Namespace, stdout: TextIO) -> None:
    for rendered in render_all(replies, args.channel):
        if args.json:
            record = {"text": rendered.text, "options": [o.label for o in rendered.options],
                      "segments": rendered.segments, "encoding": rendered.encoding,
                      "language": rendered.language or None}
            if rendered.place is not None:
                record["place"] = {"name": rendered.place.name, "lat": rendered.place.lat,
                                   "lon": rendered.place.lon}
            if rendered.ask_location:
                record["ask_location"] = True
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            stdout.write(rendered.text + "\n\n")
    stdout.flush()


def run_chat(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None,
             stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    if args.channel == "voice":  # a phone call: keys in, spoken text out
        from bot.cli.voice import run_voice_chat

        return run_voice_chat(args)
    deps = build_deps(Settings.from_env(), migrate=True)
    if args.at:
        try:
            start = parse_moment(args.at, deps.library().texts.deployment.timezone)
        except MomentError as exc:
            print(f"digibuur chat: {exc}", file=stderr)
            return 2
        deps.clock = clock_from(start)
        shown = start.astimezone(ZoneInfo(deps.library().texts.deployment.timezone))
        print(f"digibuur chat: the time is {shown:%Y-%m-%d %H:%M %Z} for this conversation.", file=stderr)
    address = Address(channel=args.channel, id=args.as_address)
    if args.reset:
        where = f"{address.channel}:{address.id}"
        if reset_conversation(deps, address):
            print(f"digibuur chat: forgot the conversation of {where} (its tickets are kept).", file=stderr)
        else:
            print(f"digibuur chat: {where} has no conversation yet; nothing to forget.", file=stderr)
    interactive = stdin.isatty()
    if interactive:
        print("digibuur chat: type a message, Ctrl-D to stop.", file=stderr)
    while True:
        if interactive:
            print("> ", end="", file=stderr, flush=True)
        line = stdin.readline()
        if not line:
            break
        text = line.rstrip("\r\n")
        result = handle(Inbound(address=address, text=text, received_at=deps.clock()), deps)
        _write(result.replies, args, stdout)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("chat", help="talk to digibuur in the terminal (reads lines from standard input)")
    parser.add_argument("--as", dest="as_address", default="+32470000000",
                        help="whose conversation: a phone number or chat id (default +32470000000)")
    parser.add_argument("--channel", choices=("sms", "whatsapp", "telegram", "voice"), default="sms",
                        help="render replies as this channel would (default sms); voice plays a call: keys in")
    parser.add_argument("--json", action="store_true", help="one JSON object per reply: text, options, ...")
    parser.add_argument("--at", metavar="MOMENT",
                        help="talk as if it were this moment, e.g. '2026-12-05 22:00' (Europe/Brussels when no "
                             "offset is given; ISO 8601 accepted); the clock runs on from there")
    parser.add_argument("--reset", action="store_true",
                        help="first forget this address's conversation state (its tickets are kept), and say so")
    parser.set_defaults(func=run_chat)
