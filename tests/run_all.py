"""Run the whole test suite: the main pytest run, then the browser tests in their own pytest invocation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    extra = sys.argv[1:]
    main_run = [sys.executable, "-m", "pytest", "-q", "-m", "not browser", "--ignore=tests/browser", *extra]
    code = subprocess.call(main_run, cwd=ROOT)
    browser_dir = ROOT / "tests" / "browser"
    if browser_dir.is_dir():
        browser_run = [sys.executable, "-m", "pytest", "-q", "-p", "no:asyncio", "tests/browser", *extra]
        browser_code = subprocess.call(browser_run, cwd=ROOT)
        code = code or browser_code
    return code


if __name__ == "__main__":
    sys.exit(main())
