"""`digibuur chat`: talk to digibuur in the terminal, as a resident on any channel, on the real database."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot.messages import Address, Inbound
from bot.render import render_all
from bot.service import handle
from bot.settings import Settings
from bot.wiring import build_deps
from storage.types import utcnow


def run_chat(args: argparse.Namespace, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    if args.channel == "voice":  # a phone call: keys in, spoken text out
        from bot.cli_voice import run_voice_chat

        return run_voice_chat(args)
    deps = build_deps(Settings.from_env(), migrate=True)
    address = Address(channel=args.channel, id=args.as_address)
    interactive = stdin.isatty()
    if interactive:
        print("digibuur chat: type a message, Ctrl-D to stop.", file=sys.stderr)
    while True:
        if interactive:
            print("> ", end="", file=sys.stderr, flush=True)
        line = stdin.readline()
        if not line:
            break
        text = line.rstrip("\r\n")
        result = handle(Inbound(address=address, text=text, received_at=utcnow()), deps)
        for rendered in render_all(result.replies, args.channel):
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
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("chat", help="talk to digibuur in the terminal (reads lines from standard input)")
    parser.add_argument("--as", dest="as_address", default="+32470000000",
                        help="whose conversation: a phone number or chat id (default +32470000000)")
    parser.add_argument("--channel", choices=("sms", "whatsapp", "telegram", "voice"), default="sms",
                        help="render replies as this channel would (default sms); voice plays a call: keys in")
    parser.add_argument("--json", action="store_true", help="one JSON object per reply: text, options, ...")
    parser.set_defaults(func=run_chat)
