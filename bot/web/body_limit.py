"""Pure ASGI request-body cap: refuse by Content-Length before reading, count streamed bytes, read the body once."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("digibuur.web")

TOO_LARGE = b"request body too large"
BAD_LENGTH = b"invalid Content-Length"


class BodyLimitMiddleware:
    """Refuse request bodies above a per-path limit with 413, without reading the rest.

    `limits` are (path prefix, bytes) pairs, the first match wins; other paths get `default`. The body is
    read here, once, chunk by chunk (a chunked body is refused as soon as it passes the limit) and handed
    to the app in one piece. A client that disconnects before the body is complete costs one log line.
    """

    def __init__(self, app: ASGIApp, limits: Sequence[tuple[str, int]], default: int) -> None:
        self.app = app
        self.limits = tuple(limits)
        self.default = default

    def limit_for(self, path: str) -> int:
        return next((size for prefix, size in self.limits if path == prefix or path.startswith(prefix + "/")),
                    self.default)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = self.limit_for(path)
        length_header: bytes | None = None
        chunked = False
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                length_header = value
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if length_header is not None and not chunked:
            try:
                declared = int(length_header)
            except ValueError:
                await _refuse(send, 400, BAD_LENGTH)
                return
            if declared < 0:
                await _refuse(send, 400, BAD_LENGTH)
                return
            if declared > limit:
                log.info("request body refused before reading", extra={"path": path, "declared": declared,
                                                                       "limit": limit})
                await _refuse(send, 413, TOO_LARGE)
                return
        # read (and count) the body whatever the framing said: a server may also stream one without either header
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                log.info("client went away before the request body was complete", extra={"path": path,
                                                                                          "received": size})
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                log.info("streamed request body refused", extra={"path": path, "limit": limit})
                await _refuse(send, 413, TOO_LARGE)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        del chunks
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(send: Send, status: int, text: bytes) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(text)).encode()), (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": text})
