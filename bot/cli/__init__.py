"""The `digibuur` command: serve, worker, chat, db and the content, ticket, user and privacy tools (one module each)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from types import ModuleType

from bot.settings import Settings, SettingsError


def command_modules() -> tuple[ModuleType, ...]:
    """Every command group, in the order `digibuur --help` lists them (imported here, not at package import)."""
    from bot.cli import (
        bookings,
        broadcast,
        chat,
        content,
        db,
        guides,
        intents,
        outbox,
        places,
        privacy,
        server,
        telegram,
        tickets,
        users,
    )

    return (chat, server, db, intents, guides, places, tickets, outbox, users, privacy, content, telegram, broadcast,
            bookings)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digibuur", description="digibuur: digital-inclusion messaging assistant")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in command_modules():
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except SettingsError as exc:
        print(f"digibuur: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(result or 0)


def settings() -> Settings:
    return Settings.from_env()

