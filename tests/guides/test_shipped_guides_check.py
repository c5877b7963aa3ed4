"""Shipped guides pass `digibuur guides check` as a real command; every guide has a transcript per language."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "guides" / "content"
TRANSCRIPTS = ROOT / "tests" / "transcripts"
LANGUAGES = ("nl", "en", "fr")


def guides_check(*extra: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "DIGIBUUR_CONTENT_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "guides", "check", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def shipped_guide_ids() -> list[str]:
    return sorted(path.stem for path in SHIPPED.glob("*.yaml") if not path.name.startswith("_"))


def test_shipped_guides_pass_the_check_command() -> None:
    result = guides_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stderr
    assert ": error:" not in result.stdout


def test_the_check_command_fails_on_a_broken_guide(tmp_path: Path) -> None:
    copy = tmp_path / "guides"
    shutil.copytree(SHIPPED, copy)
    path = copy / "hotspot.yaml"
    text = path.read_text(encoding="utf-8")
    assert "next: iphone-hotspot" in text
    path.write_text(text.replace("next: iphone-hotspot", "next: no-such-step"), encoding="utf-8")
    result = guides_check("--dir", str(copy))
    assert result.returncode == 1
    assert "hotspot.yaml" in result.stdout
    assert "no-such-step" in result.stdout


def test_every_shipped_guide_has_a_transcript_in_every_language() -> None:
    ids = shipped_guide_ids()
    assert len(ids) >= 11
    missing = [
        f"guide_{guide_id}_{lang}.yaml"
        for guide_id in ids
        for lang in LANGUAGES
        if not (TRANSCRIPTS / f"guide_{guide_id}_{lang}.yaml").is_file()
    ]
    assert not missing, f"guides without a transcript: {missing}"
