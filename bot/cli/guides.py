"""The `digibuur guides check` and `digibuur guides list` commands."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.content_base.languages import LanguageList, languages_near
from bot.settings import Settings
from guides.loader import GuideError, load_guides
from guides.problems import errors_in
from guides.validate import check_directory


def _directory(args: argparse.Namespace) -> Path:
    if args.dir is not None:
        return Path(args.dir)
    return Settings.from_env().content.guides


def _languages(args: argparse.Namespace) -> LanguageList:
    """The configured content's language list (a --dir inside a content folder uses that folder's list)."""
    if args.dir is not None:
        return languages_near(Path(args.dir).parent / "texts")
    return languages_near(Settings.from_env().content.texts)


def run_check(args: argparse.Namespace) -> int:
    """Print every problem (errors and warnings) as file:line; exit 1 when there is an error."""
    problems = check_directory(_directory(args), _languages(args))
    for problem in sorted(problems, key=lambda p: (p.file, p.line, p.level)):
        print(problem)
    errors = len(errors_in(problems))
    print(f"{errors} errors, {len(problems) - errors} warnings", file=sys.stderr)
    return 1 if errors else 0


def run_list(args: argparse.Namespace) -> int:
    """List the guides: id, title in the source language, languages, number of steps, intents (--json)."""
    languages = _languages(args)
    try:
        book = load_guides(_directory(args), languages)
    except GuideError as exc:
        print(exc, file=sys.stderr)
        return 1
    source = languages.source
    rows: list[dict[str, object]] = [
        {
            "id": guide.id,
            "title": guide.title[source],
            "languages": [code for code in languages.codes if code in guide.languages()],
            "steps": len(guide.steps),
            "intents": list(guide.intents),
        }
        for guide in sorted(book.guides.values(), key=lambda g: g.id)
    ]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for guide in sorted(book.guides.values(), key=lambda g: g.id):
            codes = ",".join(code for code in languages.codes if code in guide.languages())
            print(f"{guide.id:<16} {len(guide.steps):>3} steps  {codes}  {guide.title[source]}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `guides check` and `guides list [--json]` to the digibuur command."""
    guides = sub.add_parser("guides", help="check or list the guides")
    commands = guides.add_subparsers(dest="guides_command", required=True)
    check = commands.add_parser("check", help="validate every guide (schema, steps, languages, SMS length)")
    check.add_argument("--dir", type=Path, default=None, help="guide directory (default: the configured one)")
    check.set_defaults(func=run_check)
    listing = commands.add_parser("list", help="list the guides")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument(
        "--dir", type=Path, default=None, help="guide directory (default: the configured one)"
    )
    listing.set_defaults(func=run_list)
