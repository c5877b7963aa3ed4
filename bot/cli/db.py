"""`digibuur db upgrade|check`: apply the alembic migrations, or check models and migrations agree."""

from __future__ import annotations

import argparse

from bot.settings import Settings
from storage import migrate


def _upgrade(args: argparse.Namespace) -> int:
    migrate.upgrade(Settings.from_env().database_url)
    print("database is at the newest migration")
    return 0


def _check(args: argparse.Namespace) -> int:
    url = Settings.from_env().database_url
    migrate.upgrade(url)
    migrate.check(url)
    print("models and migrations agree")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("db", help="database migrations")
    db_sub = parser.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply all migrations (alembic upgrade head)").set_defaults(func=_upgrade)
    db_sub.add_parser("check", help="upgrade, then fail if the models differ from the migrations").set_defaults(
        func=_check)
