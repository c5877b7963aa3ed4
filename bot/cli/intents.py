"""The `digibuur intents` command: classify messages from stdin, evaluate a labelled set."""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

from bot.content_base.languages import LanguageList, languages_near
from intents.catalog import CatalogError, IntentCatalog
from intents.evaluate import evaluate, format_report, load_labelled, load_thresholds
from intents.matcher import Matcher


def _catalog_dir() -> pathlib.Path:
    from bot.settings import Settings

    return Settings.from_env().content.intents


def _languages(directory: pathlib.Path) -> LanguageList:
    """The language list beside the catalogue (a content folder's texts/), else the configured one."""
    beside = directory.parent / "texts"
    if (beside / "_languages.yaml").is_file():
        return languages_near(beside)
    from bot.settings import Settings

    return languages_near(Settings.from_env().content.texts)


def _load_matcher(directory: pathlib.Path) -> Matcher:
    languages = _languages(directory)
    return Matcher(IntentCatalog.load(directory, languages.codes), languages)


def language_of(matcher: Matcher, text: str, hint: str | None) -> str | None:
    """One of the listed languages' codes (or None): what the message is written in, else the known one."""
    codes = matcher.languages.languages.codes
    found = matcher.languages.identifier.identify(text).language
    if found in codes:
        return found
    return hint if hint in codes else None


def run_classify(args: argparse.Namespace) -> int:
    """Read one message per line from stdin; write one JSON object per line."""
    try:
        matcher = _load_matcher(args.catalog or _catalog_dir())
    except CatalogError as exc:
        print(exc, file=sys.stderr)
        return 2
    for raw in sys.stdin:
        text = raw.rstrip("\n")
        if not text.strip():
            continue
        match = matcher.classify(text, language_hint=args.language)
        language = language_of(matcher, text, args.language)
        record = {"text": text, "intent": match.intent, "score": match.score, "language": language}
        print(json.dumps(record, ensure_ascii=False), flush=True)
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """Run a labelled TSV; print the report; exit 1 below the thresholds in _settings.yaml."""
    directory = args.catalog or _catalog_dir()
    try:
        matcher = _load_matcher(directory)
        thresholds = load_thresholds(directory)
        rows = [row for row in load_labelled(args.file) if args.language is None or row.language in args.language]
    except (CatalogError, ValueError, OSError) as exc:
        print(exc, file=sys.stderr)
        return 2
    report = evaluate(matcher, rows)
    print(format_report(report, show_misses=args.misses))
    print(
        f"thresholds: in-scope accuracy >= {thresholds.in_scope_accuracy:.0%}, none kept >= {thresholds.none_kept:.0%}"
    )
    if report.passes(thresholds):
        print("PASS")
        return 0
    print("FAIL: below the thresholds")
    return 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `intents classify` and `intents eval FILE` to the digibuur command."""
    intents = sub.add_parser("intents", help="classify messages and evaluate the intent catalogue")
    commands = intents.add_subparsers(dest="intents_command", required=True)

    classify = commands.add_parser("classify", help="classify messages read one per line from stdin (JSON out)")
    classify.add_argument("--language", help="the contact's known language (a code of the language list)")
    classify.add_argument("--catalog", type=pathlib.Path, help="catalogue directory (default: from settings)")
    classify.set_defaults(func=run_classify)

    evaluate_parser = commands.add_parser("eval", help="evaluate a labelled TSV (language, intent or none, text)")
    evaluate_parser.add_argument("file", type=pathlib.Path)
    evaluate_parser.add_argument("--catalog", type=pathlib.Path, help="catalogue directory (default: from settings)")
    evaluate_parser.add_argument("--misses", action="store_true", help="also list every wrong answer")
    evaluate_parser.add_argument(
        "--language", action="append", help="only rows in this language code (repeatable)"
    )
    evaluate_parser.set_defaults(func=run_eval)

    unmatched = commands.add_parser("unmatched", help="recent messages digibuur did not understand, with best guesses")
    unmatched.add_argument("--limit", type=int, default=50)
    unmatched.add_argument("--json", action="store_true", help="one JSON object per line")
    unmatched.set_defaults(func=run_unmatched)


def run_unmatched(args: argparse.Namespace) -> int:
    """List the newest unmatched or ambiguous messages kept for staff review (no phone numbers)."""
    from bot.settings import Settings
    from storage.db import make_engine
    from storage.migrate import upgrade
    from storage.queries import recent_unmatched

    settings = Settings.from_env()
    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    from storage.db import read_session

    with read_session(engine) as session:
        rows = recent_unmatched(session, limit=args.limit)
    engine.dispose()
    for row in rows:
        guesses = [{"intent": g.get("intent"), "score": g.get("score")} for g in row.guesses]
        if args.json:
            record = {"id": row.id, "text": row.text, "language": row.language, "reason": row.reason,
                      "guesses": guesses, "at": row.created_at.isoformat()}
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            best = ", ".join(f"{g['intent']} {g['score']}" for g in guesses) or "no guess"
            sys.stdout.write(f"{row.created_at:%Y-%m-%d %H:%M}  [{row.reason}] {row.text!r}  ({best})\n")
    if not rows:
        print("no unmatched messages", file=sys.stderr)
    return 0
