"""The issue's measurement, against a real `digibuur serve` subprocess: a forged 50 MB form to /webhooks/twilio
(declared and chunked) is answered 413 in under a second, and the server grows by less than 20 MB."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_forged_50_mb_form_is_refused_fast_and_small() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "body_cap.py"), "--json"], cwd=ROOT,
                            capture_output=True, text=True, timeout=240, check=True)
    figures = json.loads(result.stdout)
    for framing in ("content_length", "chunked"):
        assert figures[framing]["status"] == 413, figures
        assert figures[framing]["seconds"] < 1.0, figures
    assert figures["rss_growth_mb"] < 20, figures
    assert figures["peak_growth_mb"] < 20, figures
