"""`digibuur privacy forget NUMBER`: remove every trace of a resident (all channels), anonymise their tickets."""

from __future__ import annotations

import argparse
import sys

import phonenumbers

from bot.settings import Settings
from storage.db import checkpoint_erasure, make_engine, transaction
from storage.migrate import upgrade
from storage.privacy import forget_number


def normalise(raw: str, region: str = "BE") -> str:
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return raw.strip()
    if not phonenumbers.is_valid_number(parsed):
        return raw.strip()
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def forget(database_url: str, raw: str) -> int:
    address = normalise(raw)
    engine = make_engine(database_url)
    try:
        with transaction(engine) as session:
            count = forget_number(session, {address, raw.strip()})
        checkpoint_erasure(engine)
    finally:
        engine.dispose()
    return count


def _forget(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)
    count = forget(settings.database_url, args.number)
    print(f"forgot {count} contact(s)" if count else "no contact with that number", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("privacy", help="privacy tools")
    privacy_sub = parser.add_subparsers(dest="privacy_command", required=True)
    forget_parser = privacy_sub.add_parser("forget", help="delete a resident's number and messages everywhere")
    forget_parser.add_argument("number", help="phone number (E.164 or Belgian format) or Telegram chat id")
    forget_parser.set_defaults(func=_forget)
