"""`digibuur users create|list|deactivate|password`: console accounts (passwords are read from standard input)."""

from __future__ import annotations

import argparse
import getpass
import sys

from bot.console.auth import audit
from bot.console.passwords import ROLES, AccountError, create_user, find_user, set_password
from bot.settings import Settings
from storage.db import make_engine, read_session, transaction
from storage.migrate import upgrade
from storage.session import Engine
from storage.types import utcnow
from storage.user_admin import all_users, deactivate

CLI_ACTOR = "cli"


def _engine(settings: Settings) -> Engine:
    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)
    return make_engine(settings.database_url)


def read_password(prompt: str = "Password: ") -> str:
    """One line from standard input (a pipe), or a hidden prompt on a terminal."""
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise AccountError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _known_organisations(settings: Settings) -> set[str]:
    from bot.content.live import LiveContent
    from handoff.organisations import load_organisations

    engine = make_engine(settings.database_url)
    try:
        return {org.id for org in LiveContent(settings, engine).organisations()}
    except Exception:  # content that does not load must not block account creation
        return {org.id for org in load_organisations(settings.content.organisations)}
    finally:
        engine.dispose()


def _create(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    engine = _engine(settings)
    try:
        if args.organisation and args.organisation not in (known := _known_organisations(settings)):
            raise AccountError(f"unknown organisation {args.organisation!r} (known: {', '.join(sorted(known))})")
        password = read_password()
        with transaction(engine) as session:
            user = create_user(
                session, args.email, password, args.role, organisation=args.organisation, name=args.name or ""
            )
            audit(session, CLI_ACTOR, "user.create", f"{user.email} ({user.role})", utcnow())
            print(f"created {user.role} {user.email}" + (f" for {user.organisation}" if user.organisation else ""))
    except AccountError as exc:
        print(f"digibuur users: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _list(args: argparse.Namespace) -> int:
    engine = _engine(Settings.from_env())
    with read_session(engine) as session:
        for user in all_users(session):
            state = "active" if user.active else "inactive"
            print(f"{user.email}\t{user.role}\t{user.organisation or '-'}\t{state}")
    engine.dispose()
    return 0


def _deactivate(args: argparse.Namespace) -> int:
    engine = _engine(Settings.from_env())
    try:
        with transaction(engine) as session:
            user = find_user(session, args.email)
            if user is None:
                print(f"digibuur users: no account {args.email}", file=sys.stderr)
                return 1
            deactivate(session, user)
            audit(session, CLI_ACTOR, "user.deactivate", user.email, utcnow())
        print(f"deactivated {args.email}")
    finally:
        engine.dispose()
    return 0


def _password(args: argparse.Namespace) -> int:
    engine = _engine(Settings.from_env())
    try:
        password = read_password("New password: ")
        with transaction(engine) as session:
            user = find_user(session, args.email)
            if user is None:
                print(f"digibuur users: no account {args.email}", file=sys.stderr)
                return 1
            set_password(session, user, password)
            audit(session, CLI_ACTOR, "user.password", user.email, utcnow())
        print(f"password changed for {args.email}; their open sessions have ended")
    except AccountError as exc:
        print(f"digibuur users: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("users", help="console accounts for helpers, staff and admins")
    users = parser.add_subparsers(dest="users_command", required=True)
    create = users.add_parser("create", help="create an account; the password is read from standard input")
    create.add_argument("--email", required=True)
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--organisation", help="helper organisation id (required for helpers), e.g. beego")
    create.add_argument("--name", help="the name shown to residents and colleagues")
    create.set_defaults(func=_create)
    users.add_parser("list", help="list accounts").set_defaults(func=_list)
    deactivate = users.add_parser("deactivate", help="stop an account from logging in")
    deactivate.add_argument("--email", required=True)
    deactivate.set_defaults(func=_deactivate)
    password = users.add_parser("password", help="set a new password (read from standard input)")
    password.add_argument("--email", required=True)
    password.set_defaults(func=_password)
