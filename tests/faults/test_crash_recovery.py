"""Faults with real processes: kill -9 of the server mid-guide, and PostgreSQL restarting under load."""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.faults.servers import PrivatePostgres, Server, postgres_bin

ADDRESS = "+32470555666"


def sim(server: Server, message: str, address: str = ADDRESS) -> dict[str, Any]:
    response = httpx.post(f"{server.url}/simulator/send", timeout=15,
                          json={"channel": "sms", "address": address, "text": message})
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def test_kill_9_mid_guide_resumes_at_the_same_step(tmp_path: Path) -> None:
    server = Server(f"sqlite:///{tmp_path / 'crash.db'}")
    server.start()
    try:
        sim(server, "menu")
        sim(server, "2")  # wifi
        sim(server, "1")  # hotspot
        step = sim(server, "1")["replies"][0]["text"]  # iPhone: step 1
        assert "Stap 1 van" in step
        step2 = sim(server, "ok")["replies"][0]["text"]
        assert "Stap 2 van" in step2
        server.kill9()
        server.start()
        after = sim(server, "ok")["replies"][0]["text"]
        assert "Stap 3 van" in after, after
    finally:
        server.stop()
    engine = create_engine(f"sqlite:///{tmp_path / 'crash.db'}")
    with engine.connect() as conn:
        inbound = conn.execute(text("select count(*) from message where direction = 'in'")).scalar_one()
    assert inbound == 6, "an inbound message was lost"


@pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL server binaries not installed")
def test_postgres_restart_while_messages_stream_in(tmp_path: Path) -> None:
    """Every message is either answered (and stored) or refused with a 5xx; the service recovers by itself."""
    folder = Path(tempfile.mkdtemp(prefix="digibuur-pg-"))  # short: the server's socket path has a length limit
    pg = PrivatePostgres(folder / "pg")
    pg.init()
    server = Server(pg.url.replace("postgresql://", "postgresql+psycopg://"))
    server.start()
    answered: list[str] = []
    refused: list[str] = []
    other: list[str] = []
    stop = threading.Event()

    def stream(worker: int) -> None:
        i = 0
        while not stop.is_set():
            body = f"bericht {worker}-{i}"
            try:
                response = httpx.post(f"{server.url}/simulator/send", timeout=20,
                                      json={"channel": "sms", "address": f"+3247055{worker:04d}", "text": body})
                if response.status_code == 200:
                    answered.append(body)
                elif response.status_code >= 500:
                    refused.append(body)
                else:
                    other.append(f"{response.status_code} {body}")
            except httpx.HTTPError:
                refused.append(body)
            i += 1
            time.sleep(0.02)

    threads = [threading.Thread(target=stream, args=(w,)) for w in range(4)]
    try:
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        pg.stop("fast")
        time.sleep(1.5)
        pg.start()
        time.sleep(3)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        assert not other, other[:5]
        assert refused, "the restart did not refuse anything: the test did not exercise the fault"
        recovered = sim(server, "menu", address="+32470559999")
        assert recovered["replies"], "the service did not recover after the database came back"
    finally:
        stop.set()
        server.stop()
    engine = create_engine(pg.url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as conn:
        stored = {row[0] for row in conn.execute(text("select text from message where direction = 'in'"))}
    engine.dispose()
    pg.stop("immediate")
    shutil.rmtree(folder, ignore_errors=True)  # nothing of the throwaway server is left in /tmp
    missing = [body for body in answered if body not in stored]
    assert not missing, f"answered but not stored: {missing[:5]}"
