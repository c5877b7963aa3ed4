"""The `digibuur` command: serve, worker, chat, db, and the content, ticket, user and privacy tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.optional import import_optional
from bot.settings import Settings, SettingsError

AREA_MODULES = (
    "bot.cli_chat",
    "bot.cli_server",
    "bot.cli_db",
    "bot.cli_intents",
    "bot.cli_guides",
    "bot.cli_places",
    "bot.cli_tickets",
    "bot.cli_outbox",
    "bot.cli_users",
    "bot.cli_privacy",
    "bot.cli_content",
    "bot.cli_telegram",
    "bot.cli_broadcast",
    "bot.cli_bookings",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="digibuur", description="digibuur: digital-inclusion messaging assistant")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in AREA_MODULES:
        module = import_optional(name)
        if module is not None:
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


if __name__ == "__main__":
    sys.exit(main())
