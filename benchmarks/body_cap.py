"""Body cap benchmark: a forged 50 MB form to /webhooks/twilio against a real `digibuur serve` (uvicorn, SQLite),
once with a Content-Length and once chunked. Reports the status, seconds until the answer and the server's RSS
growth (current and peak), as JSON with --json.

Usage: python benchmarks/body_cap.py [--megabytes 50] [--json]"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHUNK = b"&Body=" + b"A" * (1024 * 1024 - 6)  # fields of 1 MB, as in the review


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak) of a process, in kB."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> None:
    """Reset the process's peak RSS (VmHWM) to its current RSS, so the peak measures this run only."""
    with contextlib.suppress(OSError):  # older kernels: the peak then includes start-up
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def start_server(port: int, folder: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "TWILIO_AUTH_TOKEN": "bench-token",
           "DIGIBUUR_RUN_SCHEDULER": "0", "LOG_LEVEL": "WARNING", "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}"}
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=folder, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("digibuur serve exited during start-up")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if sock.recv(64).startswith(b"HTTP/1.1"):
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("digibuur serve did not start")


def forged_post(port: int, size: int, *, chunked: bool) -> tuple[int, float]:
    """Send a forged (unsigned) form of `size` bytes while reading the answer; (status, seconds to the answer)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    framing = b"Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}".encode()
    head = (b"POST /webhooks/twilio HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Twilio-Signature: forged\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n" + framing + b"\r\n\r\n")

    def pump() -> None:
        sent = 0
        try:
            while sent < size:
                piece = CHUNK[: size - sent]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
                sent += len(piece)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server answered and closed: exactly what we want

    started = time.perf_counter()
    sock.sendall(head)
    sender = threading.Thread(target=pump, daemon=True)
    sender.start()
    answer = b""
    try:
        while b"\r\n" not in answer:
            data = sock.recv(4096)
            if not data:
                break
            answer += data
    except OSError:
        pass
    elapsed = time.perf_counter() - started
    sock.close()
    sender.join(timeout=30)
    status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0
    return status, elapsed


def run(megabytes: int) -> dict[str, Any]:
    size = megabytes * 1024 * 1024
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="digibuur-bodycap-") as tmp:
        proc = start_server(port, Path(tmp))
        try:
            reset_peak(proc.pid)
            before = memory_kb(proc.pid)
            results: dict[str, Any] = {"megabytes": megabytes, "rss_before_kb": before["VmRSS"]}
            for name, chunked in (("content_length", False), ("chunked", True)):
                status, seconds = forged_post(port, size, chunked=chunked)
                results[name] = {"status": status, "seconds": round(seconds, 3)}
            time.sleep(0.2)
            after = memory_kb(proc.pid)
            results["rss_after_kb"] = after["VmRSS"]
            results["rss_growth_mb"] = round((after["VmRSS"] - before["VmRSS"]) / 1024, 1)
            results["peak_growth_mb"] = round((after["VmHWM"] - before["VmHWM"]) / 1024, 1)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = run(args.megabytes)
    if args.json:
        print(json.dumps(results))
    else:
        for key, value in results.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
