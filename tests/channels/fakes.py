"""Local fakes for the channel tests: a Twilio REST API and a Telegram Bot API, served by uvicorn on free ports."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run `app` with uvicorn on a free local port in a thread; yields its base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake server did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _decode(value: str) -> Any:
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# ---------------------------------------------------------------------------------------------------------- Twilio


@dataclass
class TwilioScript:
    """One scripted answer of the fake Twilio API (consumed in order; the default answer is success)."""

    status: int = 201
    code: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    sid_in_error: bool = False  # an error answer that still names a created message


class FakeTwilio:
    """Twilio's Messages resource: records every create call; answers from a script, else 201 with a new sid."""

    def __init__(self) -> None:
        self.requests: list[dict[str, str]] = []
        self.delivered: list[dict[str, str]] = []
        self.script: deque[TwilioScript] = deque()
        self._ids = itertools.count(1)
        self.app = Starlette(
            routes=[
                Route("/2010-04-01/Accounts/{account}/Messages.json", self._create, methods=["POST"]),
            ]
        )

    def then(self, *answers: TwilioScript) -> None:
        self.script.extend(answers)

    async def _create(self, request: Request) -> Response:
        form = {key: str(value) for key, value in (await request.form()).items()}
        self.requests.append(form)
        answer = self.script.popleft() if self.script else TwilioScript()
        if answer.status < 300 or answer.sid_in_error:
            # accepted: the message exists (and is paid for) even if the answer arrives too late
            sid = f"SM{next(self._ids):032d}"
            self.delivered.append({**form, "Sid": sid})
        if answer.delay:
            await asyncio.sleep(answer.delay)
        if answer.status >= 300:
            body = {
                "code": answer.code,
                "message": f"fake error {answer.code}",
                "status": answer.status,
                "more_info": f"https://www.twilio.com/docs/errors/{answer.code}",
            }
            if answer.sid_in_error:
                body["sid"] = sid
            return JSONResponse(body, status_code=answer.status, headers=answer.headers)
        body = {
            "sid": sid,
            "status": "queued",
            "to": form.get("To"),
            "from": form.get("From"),
            "body": form.get("Body"),
            "account_sid": request.path_params["account"],
            "num_segments": "1",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "error_code": None,
            "price": None,
            "uri": f"/2010-04-01/Accounts/{request.path_params['account']}/Messages/{sid}.json",
        }
        return JSONResponse(body, status_code=201)


# -------------------------------------------------------------------------------------------------------- Telegram


@dataclass
class TelegramFailure:
    """A scripted Bot API error for one method call."""

    error_code: int
    description: str
    retry_after: int | None = None


class FakeTelegram:
    """The Bot API methods digibuur uses; records every call with its decoded parameters."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failures: dict[str, deque[TelegramFailure | None]] = {}
        self.delays: dict[str, deque[float]] = {}
        self._ids = itertools.count(100)
        self.app = Starlette(routes=[Route("/bot{token}/{method}", self._method, methods=["POST", "GET"])])

    def fail(self, method: str, *failures: TelegramFailure | None) -> None:
        """The next calls of `method` get these errors; None in the list = that call succeeds."""
        self.failures.setdefault(method, deque()).extend(failures)

    def slow(self, method: str, *seconds: float) -> None:
        """The next calls of `method` succeed (the message is delivered) but answer only after a delay."""
        self.delays.setdefault(method, deque()).extend(seconds)

    def sent(self, *methods: str) -> list[tuple[str, dict[str, Any]]]:
        return [(m, p) for m, p in self.calls if m in methods]

    async def _params(self, request: Request) -> dict[str, Any]:
        if request.headers.get("content-type", "").startswith("application/json"):
            data = await request.json()
            return dict(data or {})
        form = await request.form()
        return {key: _decode(str(value)) for key, value in form.items()}

    def _message(self, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self._ids),
            "date": 1795000000,
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            **extra,
        }

    async def _method(self, request: Request) -> Response:
        method = request.path_params["method"]
        params = await self._params(request)
        self.calls.append((method, params))
        queue = self.failures.get(method)
        failure = queue.popleft() if queue else None
        if failure is not None:
            body: dict[str, Any] = {"ok": False, "error_code": failure.error_code, "description": failure.description}
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return JSONResponse(body, status_code=failure.error_code)
        result: Any = True
        if method == "getMe":
            result = {"id": 123456, "is_bot": True, "first_name": "digibuur", "username": "digibuur_test_bot"}
        elif method == "sendMessage":
            result = self._message(params, text=str(params.get("text", "")))
        elif method == "sendVenue":
            location = {"latitude": float(params["latitude"]), "longitude": float(params["longitude"])}
            result = self._message(
                params, venue={"location": location, "title": params["title"], "address": params["address"]}
            )
        elif method == "getUpdates":
            result = []
        delays = self.delays.get(method)
        if delays:
            await asyncio.sleep(delays.popleft())
        return JSONResponse({"ok": True, "result": result})
