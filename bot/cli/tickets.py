"""The `digibuur tickets list [--status open|claimed|closed] [--json]` command."""

from __future__ import annotations

import argparse
from typing import Any

from bot.cli.rows import Row, print_rows, read_rows
from storage import listings
from storage.session import Session

STATUSES = ("open", "claimed", "closed")


def ticket_rows(session: Session, status: str | None) -> list[dict[str, Any]]:
    """Tickets, oldest first, in the command's JSON contract."""
    return [
        {
            "code": t.code,
            "status": t.status,
            "organisation": t.organisation,
            "language": t.language,
            "topic": t.topic,
            "callback_number": t.callback_number,
            "callback_window": t.callback_window,
            "created_at": t.created_at.isoformat(),
            "transcript": [
                {"from": str(line.get("from", "")), "text": str(line.get("text", "")), "at": str(line.get("at", ""))}
                for line in t.transcript or []
            ],
        }
        for t in listings.tickets(session, status)
    ]


def _line(row: Row) -> str:
    return (f"{row['code']:<9} {row['status']:<8} {row['organisation']:<12} {row['language']:<3} "
            f"{row['callback_window']:<16} {row['topic']}  ({len(row['transcript'])} messages)")


def run_list(args: argparse.Namespace) -> int:
    rows = read_rows(lambda session: ticket_rows(session, args.status))
    return print_rows(rows, args.json, _line, "no tickets")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `tickets list [--status ...] [--json]` to the digibuur command."""
    tickets = sub.add_parser("tickets", help="handoff tickets")
    actions = tickets.add_subparsers(dest="tickets_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list tickets (oldest first)")
    listing.add_argument("--status", choices=STATUSES, default=None)
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_list)
