"""The service alone: `service.handle` called in-process N times (no HTTP), CPU and wall time per message.

Usage: python benchmarks/bench_handle.py [--messages 5000] [--senders 1000] [--postgres URL] [--profile N]
The SQLite database lives in a temporary directory; a PostgreSQL URL must name an empty (or digibuur) database."""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import engine, service  # noqa: E402
from bot.messages import Address, Inbound  # noqa: E402
from bot.runtime import build_deps  # noqa: E402
from bot.service import handle  # noqa: E402
from bot.settings import Settings  # noqa: E402
from storage.types import utcnow  # noqa: E402

MESSAGES = ["menu", "1", "waar is een digipunt", "dampoort", "hoe deel ik internet van mijn gsm", "ok", "2",
            "hallo", "terug", "ik heb geen internet thuis", "wifi", "bedankt"]


def inbound(i: int, senders: int, run: str, first_sender: int = 0) -> Inbound:
    """The i-th message: senders take turns, each walking through the realistic texts."""
    sender = f"+3247{(first_sender + i % senders):07d}"
    return Inbound(address=Address(channel="sms", id=sender), text=MESSAGES[(i // senders) % len(MESSAGES)],
                   received_at=utcnow(), external_id=f"SMbench{run}{i:010d}")


class EngineClock:
    """Wraps engine.respond as the service calls it, adding up its CPU time (the rest is storage and glue)."""

    def __init__(self) -> None:
        self.cpu = 0.0
        self.respond = engine.respond

    def __call__(self, *args: Any) -> Any:
        started = time.process_time()
        try:
            return self.respond(*args)
        finally:
            self.cpu += time.process_time() - started


def measure(url: str, count: int, senders: int, profile: int, by_text: bool) -> dict[str, float]:
    settings = replace(Settings.from_env({}), database_url=url, run_scheduler=False)
    deps = build_deps(settings, migrate=True)
    run = str(time.time_ns())
    for i in range(min(200, count)):  # warm up: content loaded, caches filled, connections open
        handle(inbound(i, senders, run + "w"), deps)
    clock = EngineClock()
    service.engine = SimpleNamespace(respond=clock)  # type: ignore[assignment]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    replies = 0
    per_text: dict[str, list[float]] = {}
    for i in range(count):
        message = inbound(i, senders, run)
        started = time.process_time()
        replies += len(handle(message, deps).replies)
        per_text.setdefault(message.text, []).append(time.process_time() - started)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    service.engine = engine
    engine_cpu = clock.cpu
    if by_text:
        for text, times in sorted(per_text.items(), key=lambda item: -sum(item[1])):
            print(f"  {text!r:40} {len(times):5} x  CPU {sum(times) * 1000 / len(times):.3f} ms")
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(profile):
            handle(inbound(i, senders, run + "p", first_sender=senders), deps)  # new senders: not throttled
        profiler.disable()
        out = io.StringIO()
        sort = os.environ.get("BENCH_SORT", "tottime")
        pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(35)
        print(out.getvalue())
    deps.db.dispose()
    return {"cpu_ms": cpu * 1000 / count, "wall_ms": wall * 1000 / count, "replies": replies / count,
            "engine_ms": engine_cpu * 1000 / count}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=6000)
    parser.add_argument("--senders", type=int, default=500)
    parser.add_argument("--postgres", help="postgresql:// URL of a database to use (it gets the tables)")
    parser.add_argument("--profile", type=int, default=0, help="profile this many more messages (cProfile)")
    parser.add_argument("--by-text", action="store_true", help="CPU per message text")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digibuur-bench-") as tmp:
        runs = [("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}")]
        if args.postgres:
            runs.append(("PostgreSQL", args.postgres))
        for name, url in runs:
            r = measure(url, args.messages, args.senders, args.profile, args.by_text)
            print(f"{name}: {args.messages} messages from {args.senders} senders: CPU {r['cpu_ms']:.3f} ms/message, "
                  f"wall {r['wall_ms']:.3f} ms/message, {r['replies']:.2f} replies/message; of the CPU, "
                  f"engine.respond {r['engine_ms']:.3f} ms, the rest (storage, commit, glue) "
                  f"{r['cpu_ms'] - r['engine_ms']:.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
