"""`digibuur broadcast create|list|cancel`: announcements to residents who asked for them, from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.content.library import Library
from bot.outbound import broadcasts
from bot.runtime import build_deps
from bot.settings import Settings
from storage.db import transaction
from storage.types import utcnow


def read_texts(path: Path, library: Library) -> dict[str, str]:
    """A text file holds one text (in the source language) or a YAML mapping language -> text."""
    raw = path.read_text(encoding="utf-8")
    try:
        parsed = yaml.safe_load(raw)
    except yaml.YAMLError:
        parsed = None
    if isinstance(parsed, dict) and parsed and all(str(k) in library.texts.catalogue.codes for k in parsed):
        return {str(language): str(text).strip() for language, text in parsed.items()}
    return {library.texts.deployment.default_language: raw.strip()}


def parse_at(raw: str | None, timezone: str) -> datetime:
    """'YYYY-MM-DD HH:MM' in the deployment's time zone; now when not given."""
    if not raw:
        return utcnow()
    try:
        local = datetime.strptime(raw.strip(), "%Y-%m-%d %H:%M")
    except ValueError as exc:
        raise broadcasts.BroadcastError(f"--at must be 'YYYY-MM-DD HH:MM', got {raw!r}") from exc
    return local.replace(tzinfo=ZoneInfo(timezone))


def run_create(args: argparse.Namespace) -> int:
    deps = build_deps(Settings.from_env(), migrate=True)
    library = deps.library()
    try:
        texts = read_texts(Path(args.text_file), library)
        audience = broadcasts.Audience.parse(args.audience, library)
        send_at = parse_at(args.at, library.texts.deployment.timezone)
        with transaction(deps.db) as session:
            row = broadcasts.create(session, audience, texts, library, send_at=send_at, created_by="cli",
                                    approval_above=deps.settings.broadcast_approval_above, now=utcnow())
            result = {"id": row.id, "recipients": row.recipients}
            status = row.status
    except (broadcasts.BroadcastError, OSError) as exc:
        print(f"digibuur: {exc}", file=sys.stderr)
        return 2
    finally:
        deps.db.dispose()
    if args.json:
        print(json.dumps(result))
    else:
        print(f"broadcast {result['id']}: {result['recipients']} recipients, {status}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    deps = build_deps(Settings.from_env(), migrate=True)
    try:
        with transaction(deps.db) as session:
            rows = broadcasts.listing(session)
    finally:
        deps.db.dispose()
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        print(f"{row['id']:>4} {row['status']:<18} {row['audience']:<24} {row['recipients']:>5} recipients, "
              f"{row['sent']} sent, {row['delivered']} delivered, {row['failed']} failed, {row['queued']} queued")
    if not rows:
        print("no broadcasts")
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    deps = build_deps(Settings.from_env(), migrate=True)
    try:
        with transaction(deps.db) as session:
            skipped = broadcasts.cancel(session, args.id, utcnow())
    except broadcasts.BroadcastError as exc:
        print(f"digibuur: {exc}", file=sys.stderr)
        return 2
    finally:
        deps.db.dispose()
    print(f"broadcast {args.id} cancelled; {skipped} queued messages will not be sent")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    command = sub.add_parser("broadcast", help="announcements to residents who asked for them")
    actions = command.add_subparsers(dest="broadcast_command", required=True, metavar="ACTION")
    create = actions.add_parser("create", help="write an announcement (sent by the worker at its moment)")
    create.add_argument("--audience", required=True, help="news | lang:CODE | wijk:NAME | place:ID")
    create.add_argument("--text-file", required=True, help="one text, or a YAML mapping language -> text")
    create.add_argument("--at", default=None, help='send moment "YYYY-MM-DD HH:MM" (local time); default now')
    create.add_argument("--json", action="store_true", help="print {id, recipients}")
    create.set_defaults(func=run_create)
    listing = actions.add_parser("list", help="announcements with their delivery figures, newest first")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=run_list)
    cancel = actions.add_parser("cancel", help="stop an announcement, also while it is sending")
    cancel.add_argument("id", type=int)
    cancel.set_defaults(func=run_cancel)
