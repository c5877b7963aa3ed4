"""Run the whole test suite: the main tests in two parallel pytest processes (the CI machines have two cores),
then the browser tests in their own pytest invocation. Extra arguments go to every pytest run."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARDS = int(os.environ.get("DIGIBUUR_TEST_SHARDS", "2"))
NO_TESTS = 5  # pytest's exit code when every test of a run was deselected (the PostgreSQL run keeps DB tests only)


def _outcome(code: int) -> int:
    return 0 if code == NO_TESTS else code


def _test_files() -> list[Path]:
    return sorted(path for path in (ROOT / "tests").rglob("test_*.py") if "browser" not in path.parts)


def shards(files: list[Path], count: int) -> list[list[Path]]:
    """Test files in `count` groups of about equal size (the biggest files first, each to the lightest group)."""
    groups: list[list[Path]] = [[] for _ in range(count)]
    weights = [0] * count
    for path in sorted(files, key=lambda p: -p.stat().st_size):
        lightest = weights.index(min(weights))
        groups[lightest].append(path)
        weights[lightest] += path.stat().st_size
    return [group for group in groups if group]


def _run_main(extra: list[str]) -> int:
    groups = shards(_test_files(), max(1, SHARDS))
    code = 0
    with contextlib.ExitStack() as stack:
        running = []
        for number, group in enumerate(groups):
            log = stack.enter_context(tempfile.TemporaryFile(mode="w+", encoding="utf-8"))
            command = [sys.executable, "-m", "pytest", "-q", "-m", "not browser",
                       *[str(path.relative_to(ROOT)) for path in group], *extra]
            env = {**os.environ, "DIGIBUUR_TEST_SHARD": str(number)}  # its own PostgreSQL template database
            process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
            running.append((number, log, process))
        for number, log, process in running:
            code = _outcome(process.wait()) or code
            log.seek(0)
            print(f"===== main tests, part {number + 1} of {len(running)} =====", flush=True)
            sys.stdout.write(log.read())
            sys.stdout.flush()
    return code


def main() -> int:
    extra = sys.argv[1:]
    code = _run_main(extra)
    browser_dir = ROOT / "tests" / "browser"
    if browser_dir.is_dir():
        print("===== browser tests =====", flush=True)
        browser_run = [sys.executable, "-m", "pytest", "-q", "-p", "no:asyncio", "tests/browser", *extra]
        browser_code = _outcome(subprocess.call(browser_run, cwd=ROOT))
        code = code or browser_code
    return code


if __name__ == "__main__":
    sys.exit(main())
