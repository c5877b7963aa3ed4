"""The `digibuur outbox list [--status S] [--json]` command: what will be or was sent, newest first."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.rows import Row, print_rows, read_rows
from bot.outbound.body import reply_from_body
from bot.render import render
from storage import listings
from storage.session import Session

STATUSES = ("pending", "sending", "sent", "failed", "skipped")


def outbox_rows(session: Session, status: str | None) -> list[dict[str, Any]]:
    """Outbox rows, newest first, in the command's JSON contract: the text as the channel will show it."""
    return [
        {
            "id": row.id,
            "channel": row.channel,
            "to": row.address,
            "status": row.status,
            "text": render(reply_from_body(dict(row.body or {})), row.channel).text,
            "created_at": row.created_at.isoformat(),
        }
        for row in listings.outbox(session, status)
    ]


def _line(row: Row) -> str:
    first = row["text"].splitlines()[0] if row["text"] else ""
    return f"{row['id']:>6} {row['status']:<8} {row['channel']:<9} {row['to']:<16} {row['created_at'][:16]}  {first}"


def run_list(args: argparse.Namespace) -> int:
    rows = read_rows(lambda session: outbox_rows(session, args.status))
    return print_rows(rows, args.json, _line, "the outbox is empty")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `outbox list [--status ...] [--json]` to the digibuur command."""
    outbox = sub.add_parser("outbox", help="messages that will be or were sent (not inline replies)")
    actions = outbox.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list outbox messages (newest first)")
    listing.add_argument("--status", choices=STATUSES, default=None)
    listing.add_argument("--json", action="store_true", help="print JSON: id, channel, to, status, text, created_at")
    listing.set_defaults(func=run_list)
