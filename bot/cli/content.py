"""`digibuur content export DIR` / `content import DIR`: staff revisions to files and back, validated on import."""

from __future__ import annotations

import argparse
import getpass
import sys
import tempfile
from pathlib import Path

from bot.console.auth import audit
from bot.console.guide_editing import guide_problems
from bot.console.revisions import RevisionKey, add_revision, check_whole, current_text
from bot.content.live import materialise
from bot.settings import ContentPaths, Settings
from guides.loader import load_guides
from storage.db import make_engine, read_session, transaction
from storage.migrate import upgrade
from storage.queries import latest_revisions
from storage.session import Engine
from storage.types import utcnow

SUFFIXES = (".yaml", ".geojson", ".csv")
FOLDERS = {"guide": "guides", "intent": "intents", "places": "places", "texts": "texts"}
DEFAULT_MAX_BYTES = Settings.content_max_bytes


def _engine(settings: Settings) -> Engine:
    if settings.database_url.startswith("sqlite"):
        upgrade(settings.database_url)
    return make_engine(settings.database_url)


def relative_path(kind: str, key: str) -> Path:
    """Where a revision lives under an export folder (the same layout as DIGIBUUR_CONTENT_DIR)."""
    if kind == "organisations":
        return Path("organisations.yaml")
    return Path(FOLDERS[kind]) / Path(key).name


def content_paths(directory: Path) -> dict[RevisionKey, Path]:
    """Every content file under `directory` in the export layout, keyed by (kind, file name)."""
    found: dict[RevisionKey, Path] = {}
    for kind, folder in FOLDERS.items():
        base = directory / folder
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if path.is_file() and path.suffix in SUFFIXES:
                found[(kind, path.name)] = path
    organisations = directory / "organisations.yaml"
    if organisations.is_file():
        found[("organisations", "organisations.yaml")] = organisations
    return found


def files_in(directory: Path) -> dict[RevisionKey, str]:
    """The text of every content file under `directory`, keyed by (kind, file name)."""
    return {key: path.read_text(encoding="utf-8") for key, path in content_paths(directory).items()}


def oversized_files(directory: Path, max_bytes: int) -> list[str]:
    """Files larger than CONTENT_MAX_BYTES, found before any of them is read."""
    return [
        f"{path.relative_to(directory)}: {size} bytes; a content file may be at most {max_bytes} bytes "
        "(CONTENT_MAX_BYTES)"
        for path in content_paths(directory).values()
        if (size := path.stat().st_size) > max_bytes
    ]


def export_content(engine: Engine, paths: ContentPaths, directory: Path, *, everything: bool) -> int:
    """Write the newest revisions (or, with `everything`, the whole live content) to `directory`."""
    with read_session(engine) as session:
        revisions = latest_revisions(session)
    if everything:
        with tempfile.TemporaryDirectory(prefix="digibuur-export-") as tmp:
            materialise(paths, revisions, Path(tmp) / "content")
            written = 0
            for (kind, key), body in files_in(Path(tmp) / "content").items():
                _write(directory / relative_path(kind, key), body)
                written += 1
            return written
    written = 0
    for revision in revisions:
        if revision.body and revision.kind in (*FOLDERS, "organisations"):
            _write(directory / relative_path(revision.kind, revision.key), revision.body)
            written += 1
    return written


def _write(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")


def import_problems(
    engine: Engine, paths: ContentPaths, changes: dict[RevisionKey, str], max_bytes: int = DEFAULT_MAX_BYTES
) -> list[str]:
    """Every problem with the changed files, checked one by one and then all together with the live content."""
    problems: list[str] = []
    with read_session(engine) as session:
        guide_keys = {k for kind, k in changes if kind == "guide" and not k.startswith("_")}
        if guide_keys:
            with tempfile.TemporaryDirectory(prefix="digibuur-import-") as tmp:
                layout = materialise(paths, latest_revisions(session), Path(tmp))
                try:
                    book = load_guides(layout.guides)
                    frame, known = book.frame, set(book.guides)
                except ValueError:
                    frame, known = None, set()
            if frame is not None:
                for key in sorted(guide_keys):
                    for problem in guide_problems(key.removesuffix(".yaml"), changes[("guide", key)], frame, known):
                        if problem.level == "error":
                            problems.append(str(problem))
        problems += check_whole(paths, session, changes, max_bytes=max_bytes)
    return problems


def import_content(
    engine: Engine,
    paths: ContentPaths,
    directory: Path,
    *,
    author: str,
    dry_run: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> tuple[list[RevisionKey], list[str]]:
    """Store every file that differs from the live content as a new revision, all or nothing.

    Returns (the changed (kind, key) pairs, problems); nothing is stored when there is any problem.
    """
    if too_big := oversized_files(directory, max_bytes):
        return [], too_big
    with read_session(engine) as session:
        changes = {
            (kind, key): body
            for (kind, key), body in files_in(directory).items()
            if current_text(session, paths, kind, key).body != body
        }
    if not changes:
        return [], []
    problems = import_problems(engine, paths, changes, max_bytes)
    if problems or dry_run:
        return sorted(changes), problems
    now = utcnow()
    with transaction(engine) as session:
        for (kind, key), body in sorted(changes.items()):
            revision = add_revision(session, kind, key, body, author=author, now=now, comment="content import")
            audit(session, author, "content.import", f"{kind}:{key} r{revision.id}", now)
    return sorted(changes), []


def _export(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    engine = _engine(settings)
    try:
        count = export_content(engine, settings.content, Path(args.directory), everything=args.all)
    finally:
        engine.dispose()
    what = "content files" if args.all else "revised files"
    print(f"wrote {count} {what} to {args.directory}")
    return 0


def _import(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    directory = Path(args.directory)
    if not directory.is_dir():
        print(f"digibuur content: {directory} is not a folder", file=sys.stderr)
        return 2
    engine = _engine(settings)
    try:
        author = args.author or f"cli:{getpass.getuser()}"
        changed, problems = import_content(
            engine,
            settings.content,
            directory,
            author=author,
            dry_run=args.dry_run,
            max_bytes=settings.content_max_bytes,
        )
    finally:
        engine.dispose()
    if problems:
        print("nothing imported; fix these first:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if not changed:
        print("nothing to import: the files match the live content")
        return 0
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {len(changed)} files: " + ", ".join(f"{kind}:{key}" for kind, key in changed))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("content", help="export staff revisions to files, or import files as revisions")
    content = parser.add_subparsers(dest="content_command", required=True)
    export = content.add_parser("export", help="write the newest revisions to DIR (guides/, intents/, places/ ...)")
    export.add_argument("directory", metavar="DIR")
    export.add_argument("--all", action="store_true", help="write the whole live content, not only revised files")
    export.set_defaults(func=_export)
    importing = content.add_parser("import", help="store the files in DIR that differ as new revisions")
    importing.add_argument("directory", metavar="DIR")
    importing.add_argument("--author", help="recorded as the author of the revisions (default cli:<user>)")
    importing.add_argument("--dry-run", action="store_true", help="validate and list the changes, store nothing")
    importing.set_defaults(func=_import)
