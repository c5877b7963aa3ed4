"""Webhook benchmark: full handling of signed Twilio SMS webhooks vs a bare Starlette endpoint, both under uvicorn
on one core (taskset -c 0), load from wrk on the other core (taskset -c 1), in the same run; on SQLite and
PostgreSQL. Also: latency p50/p99 at 32 connections, and RSS of the web process after 10,000 messages.

Usage: python benchmarks/webhook_throughput.py [--seconds 10] [--postgres URL [--pin-postgres]]
Needs: wrk and taskset (Debian packages wrk, util-linux), two cores."""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import httpx
from twilio.request_validator import RequestValidator

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-auth-token"
MESSAGES = ["menu", "1", "waar is een digipunt", "dampoort", "hoe deel ik internet van mijn gsm", "ok", "2",
            "hallo", "terug", "ik heb geen internet thuis", "wifi", "bedankt"]
# --texts effects: 3 of these 14 turns have effects (a language set: 'English', then the Dutch question after it,
# then 'Nederlands'), which on PostgreSQL take the optimistic turn's lock upgrade; the blind conversation sets
# have effects in 31 % of their turns
MESSAGES_WITH_EFFECTS = ["menu", "1", "waar is een digipunt", "dampoort", "English",
                         "hoe deel ik internet van mijn gsm", "ok", "2", "hallo", "Nederlands", "terug",
                         "ik heb geen internet thuis", "wifi", "bedankt"]
TEXTS = {"plain": MESSAGES, "effects": MESSAGES_WITH_EFFECTS}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_requests(path: Path, base_url: str, count: int, senders: int, tag: str = "",
                   texts: list[str] = MESSAGES) -> None:
    validator = RequestValidator(TOKEN)
    url = base_url + "/webhooks/twilio"
    with path.open("w") as out:
        for i in range(count):
            sender = f"+3247{(i % senders):07d}"
            form = {"MessageSid": f"SMbench{tag}{i:010d}{os.getpid()}", "AccountSid": "ACbench", "From": sender,
                    "To": "+3225550000", "Body": texts[(i // senders) % len(texts)], "NumMedia": "0",
                    "NumSegments": "1", "SmsStatus": "received", "ApiVersion": "2010-04-01"}
            signature = validator.compute_signature(url, form)
            out.write(f"{signature}\t{urllib.parse.urlencode(form)}\n")


def start(command: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(["taskset", "-c", "0", *command], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.post(f"http://127.0.0.1:{port}/webhooks/twilio", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start: {command}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def rss_mb(pid: int) -> float:
    for child in [pid, *_children(pid)]:
        status = Path(f"/proc/{child}/status")
        if status.exists():
            text = status.read_text()
            if "python" in Path(f"/proc/{child}/cmdline").read_text(errors="ignore"):
                match = re.search(r"VmRSS:\s+(\d+) kB", text)
                if match:
                    return int(match.group(1)) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far (its own threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def wrk(port: int, requests: Path, seconds: int, connections: int) -> dict[str, float]:
    env = {**os.environ, "BENCH_REQUESTS": str(requests), "BENCH_THREADS": "1"}
    out = subprocess.run(["taskset", "-c", "1", "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-s", str(ROOT / "benchmarks" / "signed.lua"), f"http://127.0.0.1:{port}"],
                         env=env, capture_output=True, text=True, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for pct in ("50", "99"):
        match = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)", out)
        if match:
            value, unit = float(match.group(1)), match.group(2)
            result[f"p{pct}_ms"] = value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non2xx"] = float(non2xx.group(1)) if non2xx else 0.0
    total = re.search(r"(\d+) requests in", out)
    result["requests"] = float(total.group(1)) if total else 0.0
    return result


PAGES = ("/console", "/console/unmatched", "/console/places", "/console/guides")


def browse_console(base: str, email: str, password: str, stop_at: list[bool], counts: list[int],
                   passes: int = 0) -> None:
    """A logged-in staff member clicking through console pages without pause (from core 1, next to wrk);
    `passes`: stop after that many passes over the pages (0: when told)."""
    os.sched_setaffinity(0, {1})
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        page = client.get("/console/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        login = client.post("/console/login", data={"email": email, "password": password, "next": "/console",
                                                    "csrf_token": token.group(1) if token else ""})
        if login.status_code != 303 and login.status_code != 302:
            raise RuntimeError(f"staff login failed: {login.status_code}")
        done = 0
        while not stop_at[0] and (not passes or done < passes):
            for path in PAGES:
                response = client.get(path)
                counts[0 if response.status_code == 200 else 1] += 1
            done += 1


def warm_console(base: str, email: str, password: str) -> None:
    """One pass over the console pages before measuring, as the webhook is warmed up before measuring."""
    # a thread of its own: browse_console pins the thread it runs in to core 1
    thread = threading.Thread(target=browse_console, args=(base, email, password, [False], [0, 0]),
                              kwargs={"passes": 1})
    thread.start()
    thread.join()


def create_staff(env: dict[str, str]) -> tuple[str, str]:
    email, password = "staff@bench.example", "bench-password-" + "z" * 16
    subprocess.run([sys.executable, "-m", "bot.cli", "users", "create", "--email", email, "--role", "staff",
                    "--name", "Bench"], env=env, cwd=ROOT, check=True, capture_output=True, input=f"{password}\n",
                   text=True)
    return email, password


def run(backend: str, database_url: str, seconds: int, workdir: Path, console: bool = False,
        senders: int = 5000, texts: list[str] = MESSAGES) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    requests = workdir / f"requests-{backend}.txt"
    write_requests(requests, base, count=max(60_000, seconds * 4000), senders=senders, texts=texts)
    warm = workdir / f"warm-{backend}.txt"
    write_requests(warm, base, count=3000, senders=senders, tag="w")
    browsing_requests = workdir / f"requests-console-{backend}.txt"
    if console:
        write_requests(browsing_requests, base, count=max(60_000, seconds * 4000), senders=senders,
                       tag="c", texts=texts)
    env = {**os.environ, "DATABASE_URL": database_url, "TWILIO_AUTH_TOKEN": TOKEN, "PUBLIC_BASE_URL": base,
           "DIGIBUUR_RUN_SCHEDULER": "0", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT),
           "SECRET_KEY": "benchmark-secret-key-" + "x" * 24, "STATS_HASH_KEY": "benchmark-stats-key-" + "y" * 24}
    subprocess.run([sys.executable, "-m", "bot.cli", "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    staff = create_staff(env) if console else None
    full = start([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], env, port)
    browsing: dict[str, float] = {}
    pages = [0, 0]
    try:
        wrk(port, warm, 3, 32)  # content loaded, imports done, connections open (other message ids)
        if staff is not None:  # the console's first visits too: the unmatched page's intent score (seconds of
            warm_console(base, *staff)  # CPU, once per content revision) and the templates are made then
        cpu_before = cpu_seconds(full.pid)
        digibuur = wrk(port, requests, seconds, 32)
        cpu_per_request = (cpu_seconds(full.pid) - cpu_before) * 1000 / max(digibuur["requests"], 1)
        if staff is not None:
            stop_at = [False]
            browser = threading.Thread(target=browse_console, args=(base, *staff, stop_at, pages))
            browser.start()
            try:
                browsing = wrk(port, browsing_requests, seconds, 32)
            finally:
                stop_at[0] = True
                browser.join()
        memory = rss_mb(full.pid)
    finally:
        stop(full)
    bare_port = free_port()
    bare = start([sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--port", str(bare_port),
                  "--no-access-log", "--log-level", "warning"], env, bare_port)
    try:
        baseline = wrk(bare_port, requests, seconds, 32)
    finally:
        stop(bare)
    print(f"\n## {backend}")
    print("| endpoint | req/s | p50 ms | p99 ms | non-2xx | requests |")
    print("| --- | --- | --- | --- | --- | --- |")
    rows = [("digibuur /webhooks/twilio", digibuur), ("bare Starlette", baseline)]
    if browsing:
        rows.insert(1, ("digibuur webhook, staff browsing the console", browsing))
    for name, r in rows:
        print(f"| {name} | {r['rps']:.0f} | {r.get('p50_ms', 0):.1f} | {r.get('p99_ms', 0):.1f} | "
              f"{r['non2xx']:.0f} | {r['requests']:.0f} |")
    print(f"ratio digibuur / bare: {digibuur['rps'] / baseline['rps']:.2f}")
    print(f"CPU of the digibuur web process per webhook request (without browsing): {cpu_per_request:.3f} ms")
    if browsing:
        print(f"console pages served during the browsing run: {pages[0]} (non-200: {pages[1]}); webhook p99 with / "
              f"without: {browsing.get('p99_ms', 0) / max(digibuur.get('p99_ms', 1), 1e-9):.2f}")
    print(f"RSS of the digibuur web process after {digibuur['requests']:.0f} messages: {memory:.0f} MB")


def pin_postgres(url: str, core: int) -> int:
    """Pin a local PostgreSQL server (its postmaster, so every backend it starts later too, and its running
    processes) to one core; returns how many processes. Unpinned, the backends a turn wakes tend to run on the
    web process's core (the scheduler wakes a task next to its waker) and take CPU from it: SQLite's work is the
    web process's own, a PostgreSQL server's is not."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        backend = int(connection.execute("SELECT pg_backend_pid()").fetchone()[0])  # type: ignore[index]
    status = Path(f"/proc/{backend}/status").read_text()
    postmaster = int(re.search(r"PPid:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    processes = [postmaster, *_children(postmaster)]
    for pid in processes:
        os.sched_setaffinity(pid, {core})
    return len(processes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--postgres", help="postgresql:// URL of a database to use (it gets the tables)")
    parser.add_argument("--console", action="store_true",
                        help="also a run with a logged-in staff member browsing console pages at the same time")
    parser.add_argument("--senders", type=int, default=5000,
                        help="different senders; each walks through the texts in turn. With 5,000 a 10 s run is "
                             "mostly 'menu' and '1'; 1,000 walks a run through the whole list (the throttle allows "
                             "20 messages a minute per number)")
    parser.add_argument("--texts", choices=sorted(TEXTS), default="plain",
                        help="the texts each sender walks through: plain (no turn has effects) or effects (3 of 14 "
                             "turns set the language)")
    parser.add_argument("--skip-sqlite", action="store_true", help="with --postgres: only the PostgreSQL run")
    parser.add_argument("--pin-postgres", action="store_true",
                        help="with --postgres on this machine: pin the server and its backends to core 1 (next to "
                             "wrk), as the database of a deployment runs on cores of its own, not the web process's")
    args = parser.parse_args()
    if args.pin_postgres and args.postgres:
        pinned = pin_postgres(args.postgres, core=1)
        print(f"PostgreSQL server pinned to core 1: the postmaster and {pinned - 1} processes")
    with tempfile.TemporaryDirectory(prefix="digibuur-bench-") as tmp:
        workdir = Path(tmp)
        if not (args.skip_sqlite and args.postgres):
            run("SQLite", f"sqlite:///{workdir / 'bench.db'}", args.seconds, workdir, args.console, args.senders,
                TEXTS[args.texts])
        if args.postgres:
            run("PostgreSQL", args.postgres, args.seconds, workdir, args.console, args.senders, TEXTS[args.texts])
    return 0


if __name__ == "__main__":
    sys.exit(main())
