"""With PostgreSQL (production), `digibuur serve` and `digibuur worker` refuse to start on the development
SECRET_KEY or STATS_HASH_KEY, with one clear line; the embedded SQLite default keeps working without them."""

from __future__ import annotations

import pytest

from bot.cli import main
from bot.settings import Settings

PG = "postgresql://digibuur@127.0.0.1:1/nowhere"  # never reached: the check comes first


@pytest.mark.parametrize("command", ["serve", "worker"])
@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "a" * 40}, "STATS_HASH_KEY"),
        ({"STATS_HASH_KEY": "b" * 40}, "SECRET_KEY"),
    ],
)
def test_production_refuses_development_keys(
    command: str, env: dict[str, str], named: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("SECRET_KEY", "STATS_HASH_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", PG)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main([command]) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("digibuur: configuration error: refusing to start with PostgreSQL")
    assert f"{named} is the development value" in line


def test_real_keys_or_sqlite_are_fine() -> None:
    assert Settings.from_env({"DATABASE_URL": PG, "SECRET_KEY": "k" * 40, "STATS_HASH_KEY": "s" * 40}) \
        .production_problems() == []
    assert Settings.from_env({}).production_problems() == []
    Settings.from_env({}).refuse_development_keys()
