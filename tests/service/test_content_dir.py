"""Another city deploys its own content folder: DIGIBUUR_CONTENT_DIR, and the command works from any directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bot.content.live import materialise
from bot.settings import ContentPaths

ROOT = Path(__file__).resolve().parents[2]


def copy_content(target: Path) -> None:
    materialise(ContentPaths.shipped(), [], target)


def chat(tmp_path: Path, text: str, env: dict[str, str]) -> list[dict[str, object]]:
    out = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--json"], input=text, capture_output=True,
                         text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT), **env}, check=True)
    return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]


def test_a_content_folder_replaces_the_city(tmp_path: Path) -> None:
    content = tmp_path / "content"
    copy_content(content)
    deployment = content / "texts" / "_deployment.yaml"
    deployment.write_text(deployment.read_text().replace('city: "Stad Gent"', 'city: "Stad Testdorp"'))
    replies = chat(tmp_path, "hallo\n", {"DIGIBUUR_CONTENT_DIR": str(content),
                                         "DATABASE_URL": f"sqlite:///{tmp_path / 'other.db'}"})
    assert "digibuur van Stad Testdorp" in str(replies[0]["text"])


def test_chat_works_from_any_directory_and_follows_database_url(tmp_path: Path) -> None:
    elsewhere = tmp_path / "somewhere"
    elsewhere.mkdir()
    database = tmp_path / "data" / "bot.db"
    database.parent.mkdir()
    replies = chat(elsewhere, "menu\n", {"DATABASE_URL": f"sqlite:///{database}"})
    assert replies[0]["options"][0] == "Digipunt in de buurt"
    assert database.exists() and not (elsewhere / "digibuur.db").exists()
    again = chat(elsewhere, "2\n", {"DATABASE_URL": f"sqlite:///{database}"})
    assert str(again[0]["text"]).startswith("Wifi of internet"), "the conversation did not continue"
