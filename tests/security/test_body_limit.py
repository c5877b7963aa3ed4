"""Request body caps at the web edge: refused by Content-Length before any byte is read, streamed bodies counted,
the body read once; odd bodies get a 4xx, and a client that leaves mid-body costs one log line."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from bot.app import create_app
from bot.runtime import Deps
from storage.models import Message
from tests.channels.conftest import PUBLIC, channel_settings, count, sign

FIFTY_MB = 50 * 1024 * 1024


class Receiver:
    """An ASGI `receive` that serves a body in chunks and counts how many bytes the app pulled."""

    def __init__(self, chunk: bytes, total: int | None, *, disconnect_after: int | None = None) -> None:
        self.chunk = chunk
        self.total = total  # None = endless
        self.pulled = 0
        self.disconnect_after = disconnect_after

    async def __call__(self) -> dict[str, Any]:
        if self.disconnect_after is not None and self.pulled >= self.disconnect_after:
            return {"type": "http.disconnect"}
        self.pulled += len(self.chunk)
        more = self.total is None or self.pulled < self.total
        return {"type": "http.request", "body": self.chunk, "more_body": more}


async def call(app: Any, path: str, headers: list[tuple[bytes, bytes]], receive: Any) -> tuple[int, bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "https",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
             "headers": [(b"host", b"digibuur.example.org"), *headers], "client": ("127.0.0.1", 5000),
             "server": ("127.0.0.1", 443)}
    await app(scope, receive, send)
    start = next((m for m in sent if m["type"] == "http.response.start"), None)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return (start["status"] if start else 0), body


@pytest.fixture
def app(deps: Deps) -> Any:
    deps.settings = channel_settings(deps.settings)
    return create_app(deps.settings, deps, scheduler=False)


@pytest.fixture
async def http(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as client:
        yield client


@pytest.mark.parametrize("path", ["/webhooks/twilio", "/webhooks/twilio/status", "/webhooks/telegram",
                                  "/simulator/send", "/console/simulator/send", "/console/login"])
async def test_a_declared_oversized_body_is_refused_without_reading_a_byte(app: Any, path: str) -> None:
    receive = Receiver(b"x" * 65536, FIFTY_MB)
    status, _ = await call(app, path, [(b"content-type", b"application/x-www-form-urlencoded"),
                                       (b"content-length", str(FIFTY_MB).encode())], receive)
    assert status == 413
    assert receive.pulled == 0


@pytest.mark.parametrize(("path", "limit"), [("/webhooks/twilio", 65536), ("/webhooks/telegram", 1048576),
                                             ("/simulator/send", 16384)])
async def test_a_streamed_body_is_refused_as_soon_as_it_passes_the_limit(app: Any, path: str, limit: int) -> None:
    receive = Receiver(b"a=" + b"x" * 4094, None)  # chunked, endless
    status, _ = await call(app, path, [(b"content-type", b"application/x-www-form-urlencoded"),
                                       (b"transfer-encoding", b"chunked")], receive)
    assert status == 413
    assert limit < receive.pulled <= limit + 4096


async def test_the_limits_are_settings(deps: Deps) -> None:
    deps.settings = replace(channel_settings(deps.settings), twilio_max_body_bytes=1000)
    app = create_app(deps.settings, deps, scheduler=False)
    form = {"From": "+32470000001", "Body": "x" * 1200, "MessageSid": "SMbig"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as client:
        response = await client.post("/webhooks/twilio", data=form,
                                     headers={"X-Twilio-Signature": sign(form, PUBLIC + "/webhooks/twilio")})
    assert response.status_code == 413
    assert count(deps, Message) == 0


async def test_a_signed_form_under_the_limit_is_still_handled(http: httpx.AsyncClient, deps: Deps) -> None:
    form = {"From": "+32470000001", "Body": "menu", "MessageSid": "SMsmall"}
    response = await http.post("/webhooks/twilio", data=form,
                               headers={"X-Twilio-Signature": sign(form, PUBLIC + "/webhooks/twilio")})
    assert response.status_code == 200
    assert "<Message" in response.text
    assert count(deps, Message) >= 2


async def test_a_multipart_file_part_gets_415_not_500(http: httpx.AsyncClient, deps: Deps) -> None:
    form = {"From": "+32470000001", "Body": "menu", "MessageSid": "SMfile"}
    response = await http.post("/webhooks/twilio", data=form, files={"MediaUrl0": ("a.txt", b"hello", "text/plain")},
                               headers={"X-Twilio-Signature": sign(form, PUBLIC + "/webhooks/twilio")})
    assert response.status_code == 415
    assert count(deps, Message) == 0


async def test_too_many_fields_and_bad_encoding_are_refused(http: httpx.AsyncClient) -> None:
    many = "&".join(f"f{i}=1" for i in range(500))
    response = await http.post("/webhooks/twilio", content=many,
                               headers={"content-type": "application/x-www-form-urlencoded",
                                        "X-Twilio-Signature": "x"})
    assert response.status_code == 415
    response = await http.post("/webhooks/twilio", content=b"Body=\xff\xfe",
                               headers={"content-type": "application/x-www-form-urlencoded",
                                        "X-Twilio-Signature": "x"})
    assert response.status_code == 415


async def test_a_bad_content_length_is_a_400(app: Any) -> None:
    status, _ = await call(app, "/webhooks/twilio", [(b"content-length", b"12abc")], Receiver(b"", 0))
    assert status == 400


async def test_a_client_leaving_mid_body_costs_one_line_and_no_traceback(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    receive = Receiver(b"Body=" + b"x" * 1000, None, disconnect_after=3000)
    with caplog.at_level(logging.INFO):
        status, _ = await call(app, "/webhooks/twilio", [(b"content-type", b"application/x-www-form-urlencoded"),
                                                         (b"content-length", b"60000")], receive)
    assert status == 0  # nobody left to answer
    assert [r for r in caplog.records if r.exc_info] == []
    lines = [r for r in caplog.records if "went away" in r.getMessage()]
    assert len(lines) == 1
