"""Apply and check alembic migrations programmatically (used by `digibuur db` and embedded start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.exc import DBAPIError

from bot.settings import SettingsError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply the migrations. A SQLite file that cannot be created or written (missing or read-only folder, full
    disk) raises SettingsError with one clear sentence instead of a driver traceback."""
    folder = sqlite_folder(database_url)
    if folder is not None and not folder.is_dir():
        raise SettingsError(f"DATABASE_URL: the folder {folder} for the SQLite database does not exist")
    try:
        command.upgrade(alembic_config(database_url), revision)
    except DBAPIError as exc:
        if folder is None:
            raise
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise SettingsError(
            f"DATABASE_URL: cannot write the SQLite database {sqlite_path(database_url)} ({reason}); "
            "check that its folder is writable and the disk has free space"
        ) from None


def sqlite_path(database_url: str) -> str:
    """The file of a sqlite:/// URL as written in the URL."""
    return database_url.split(":///", 1)[1].split("?", 1)[0] if ":///" in database_url else database_url


def sqlite_folder(database_url: str) -> Path | None:
    """The folder that holds a SQLite database file, or None for other databases and in-memory SQLite."""
    if not database_url.startswith("sqlite"):
        return None
    path = sqlite_path(database_url)
    if path in ("", ":memory:"):
        return None
    return Path(path).expanduser().resolve().parent


def check(database_url: str) -> None:
    """Raise if the models and the migrations disagree (alembic check)."""
    command.check(alembic_config(database_url))


def revision(database_url: str, message: str) -> None:
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
