"""Login throttling under load: atomic on both databases, argon2 outside SQLite's writer lock, and client
addresses from a reverse proxy believed only when the proxy is in FORWARDED_ALLOW_IPS."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.cli.server import server_config
from bot.console import passwords
from bot.console.auth import FREE_ATTEMPTS, _attempt_login
from bot.console.sessions import SessionCodec
from bot.console.web import Console
from bot.runtime import Deps, build_deps
from bot.settings import Settings
from storage.db import transaction
from storage.models import AuditLog, User
from tests.conftest import Clock, new_database_url
from tests.console.conftest import PASSWORD


class CountingHasher:
    """The real argon2 hasher, counting (and optionally slowing or holding) every password check."""

    def __init__(self, real: Any, *, pause: float = 0.0, hold: threading.Event | None = None) -> None:
        self.real = real
        self.pause = pause
        self.hold = hold
        self.checks = 0
        self.started = threading.Event()
        self._lock = threading.Lock()

    def _count(self) -> None:
        with self._lock:
            self.checks += 1
        self.started.set()
        if self.hold is not None:
            self.hold.wait(timeout=10)
        time.sleep(self.pause)

    def verify(self, password: str, hashed: str) -> bool:
        self._count()
        return bool(self.real.verify(password, hashed))

    def verify_and_update(self, password: str, hashed: str) -> tuple[bool, str | None]:
        self._count()
        valid, new_hash = self.real.verify_and_update(password, hashed)
        return bool(valid), new_hash

    def hash(self, password: str) -> str:
        return str(self.real.hash(password))


def console_for(deps: Deps) -> Console:
    return Console(deps=deps, settings=deps.settings, codec=SessionCodec("test-secret"))


@pytest.fixture(params=["sqlite", "postgres"])
def any_deps(request: pytest.FixtureRequest, tmp_path: Path, clock: Clock) -> Iterator[Deps]:
    url = new_database_url(tmp_path, request.param)
    built = build_deps(replace(Settings.from_env({}), database_url=url, run_scheduler=False))
    built.clock = clock
    with transaction(built.db) as session:
        passwords.create_user(session, "staff@gent.be", PASSWORD, "staff")
    yield built
    built.db.dispose()


def test_thirty_concurrent_tries_check_at_most_five_passwords(any_deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    counting = CountingHasher(passwords._HASHER, pause=0.05)
    monkeypatch.setattr(passwords, "_HASHER", counting)
    console = console_for(any_deps)
    start = threading.Barrier(30)
    outcomes: list[Any] = []

    def attempt(n: int) -> None:
        start.wait()
        outcomes.append(_attempt_login(console, "staff@gent.be", f"guess number {n}", "198.51.100.7"))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == 30
    assert counting.checks <= FREE_ATTEMPTS
    assert outcomes.count("wrong") == counting.checks and outcomes.count("throttled") == 30 - counting.checks


def test_password_check_does_not_hold_the_sqlite_writer_lock(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While argon2 works on one login, other writers (the bot answering residents) carry on."""
    with transaction(deps.db) as session:
        passwords.create_user(session, "staff@gent.be", PASSWORD, "staff")
    hold = threading.Event()
    counting = CountingHasher(passwords._HASHER, hold=hold)
    monkeypatch.setattr(passwords, "_HASHER", counting)
    console = console_for(deps)
    result: list[Any] = []
    login = threading.Thread(target=lambda: result.append(_attempt_login(console, "staff@gent.be", PASSWORD, "x")))
    login.start()
    try:
        assert counting.started.wait(timeout=10)
        wrote = threading.Event()

        def write() -> None:
            with transaction(deps.db) as session:
                session.add(AuditLog(actor="test", action="write", target="during login"))
            wrote.set()

        writer = threading.Thread(target=write)
        writer.start()
        assert wrote.wait(timeout=3), "a writer waited for the password check"
    finally:
        hold.set()
        login.join(timeout=30)
    assert isinstance(result[0], User)


@contextmanager
def serve_config(config: uvicorn.Config) -> Iterator[str]:
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def _client_host(request: Request) -> PlainTextResponse:
    return PlainTextResponse(request.client.host if request.client else "")


@pytest.mark.parametrize(
    ("allowed", "seen"), [("", "127.0.0.1"), ("10.0.0.1", "127.0.0.1"), ("127.0.0.1", "203.0.113.9")]
)
def test_forwarded_for_is_believed_only_from_allowed_proxies(allowed: str, seen: str) -> None:
    """`digibuur serve` builds uvicorn's config from FORWARDED_ALLOW_IPS: a spoofed X-Forwarded-For from a
    client that is not a listed proxy cannot pick the address that login throttling counts."""
    settings = Settings.from_env({"FORWARDED_ALLOW_IPS": allowed})
    app = Starlette(routes=[Route("/who", _client_host)])
    config = server_config(app, settings, "127.0.0.1", 0)
    config.log_level = "warning"
    with serve_config(config) as url:
        answer = httpx.get(f"{url}/who", headers={"X-Forwarded-For": "203.0.113.9"}, timeout=10)
        assert answer.text == seen


def test_trusted_proxies_default_to_the_local_machine() -> None:
    assert Settings.from_env({}).forwarded_allow_ips == "127.0.0.1,::1"
    assert Settings.from_env({"FORWARDED_ALLOW_IPS": " 10.0.0.1,10.0.0.2 "}).forwarded_allow_ips == "10.0.0.1,10.0.0.2"
