"""The ASGI app: webhooks, simulator, console, health; builds the dependencies once (composition root)."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from fastapi import APIRouter, FastAPI, Response
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot import logs, metrics
from bot.channels.telegram import inbound as telegram
from bot.channels.twilio import inbound as twilio
from bot.channels.twilio import voice as twilio_voice
from bot.console import inbox, staff
from bot.content.live import freeze_after_builds
from bot.runtime import Deps, build_deps
from bot.settings import Settings
from bot.simulator import router as simulator_router
from bot.web.body_limit import BodyLimitMiddleware
from bot.web.security_headers import SecurityHeadersMiddleware
from handoff.mail import untold_tickets
from storage import queries, reports
from storage.db import WalCheckpointer, read_session, transaction
from storage.session import Session
from storage.types import utcnow

log = logging.getLogger("digibuur.app")
STATIC_PREFIX = "/static"
WRITE_PROBE = "web_write_probe"  # a JobRun row written by /healthz, never counted as the scheduler heartbeat
STATIC_DIR = Path(__file__).resolve().parent / "static"

# Every router besides the simulator, in the order they are included: `router(deps, settings, app)` gives the
# module's APIRouter, or None when that part is switched off.
RouterFactory = Callable[[Deps, Settings, FastAPI], APIRouter | None]
ROUTERS: tuple[RouterFactory, ...] = (twilio.router, twilio_voice.router, telegram.router, inbox.router, staff.router,
                                      metrics.router)


def create_app(settings: Settings | None = None, deps: Deps | None = None, *, scheduler: bool | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    embedded = settings.database_url.startswith("sqlite")
    deps = deps or build_deps(settings, migrate=embedded)
    run_scheduler = settings.run_scheduler if scheduler is None else scheduler
    startup_hooks: list[Callable[[], Awaitable[None]]] = []
    shutdown_hooks: list[Callable[[], Awaitable[None]]] = []

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Few worker threads: message handling is mostly CPU under the GIL; more threads only add contention.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        background: Any = None
        checkpointer = WalCheckpointer(deps.db).start()  # SQLite: WAL checkpoints off the event loop
        freeze_after_builds(True)  # content libraries left out of the GC's full scans (built lazily, as before)
        if run_scheduler:
            from bot.jobs import start_background

            background = start_background(deps)
        for hook in startup_hooks:
            await hook()
        try:
            yield
        finally:
            for hook in shutdown_hooks:
                await hook()
            if background is not None:
                background.shutdown(wait=False)
            checkpointer.stop()
            freeze_after_builds(False)

    app = FastAPI(title="digibuur", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.deps = deps
    app.state.settings = settings
    app.state.startup_hooks = startup_hooks
    app.state.shutdown_hooks = shutdown_hooks
    app.state.scheduler_in_process = run_scheduler

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        return health(deps, run_scheduler)

    @app.get("/")
    def root() -> Response:
        target = "/simulator" if settings.public_simulator else "/console"
        return Response(status_code=307, headers={"location": target})

    app.mount(STATIC_PREFIX, StaticFiles(directory=STATIC_DIR), name="static")
    if settings.public_simulator:
        app.include_router(simulator_router(deps, per_minute=settings.simulator_per_minute))
    else:
        log.info("the public simulator at /simulator is off (PUBLIC_SIMULATOR=0); staff use /console/simulator")
    for router in ROUTERS:
        extra = router(deps, settings, app)
        if extra is not None:
            app.include_router(extra)
    # added last = outermost: every response (a 413 too) carries the headers and the request id
    app.add_middleware(BodyLimitMiddleware, limits=body_limits(settings), default=settings.max_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app


def body_limits(settings: Settings) -> list[tuple[str, int]]:
    """Per-path request body caps (prefix, bytes): webhooks and the simulators; other paths get MAX_BODY_BYTES."""
    return [
        ("/webhooks/twilio", settings.twilio_max_body_bytes),
        ("/webhooks/telegram", settings.telegram_max_body_bytes),
        ("/simulator", settings.simulator_max_body_bytes),
        ("/console/simulator", settings.simulator_max_body_bytes),
    ]


def write_probe(deps: Deps) -> None:
    """Write one small row (this process's heartbeat) so that a database that reads but cannot write shows."""
    with transaction(deps.db) as session:
        queries.touch_heartbeat(session, WRITE_PROBE, utcnow())


def health(deps: Deps, scheduler_expected: bool) -> JSONResponse:
    """Database reachable and writable, scheduler heartbeat fresh, outbox backlog small: 200; otherwise 503."""
    problems: list[str] = []
    checks: dict[str, Any] = {}
    try:
        with read_session(deps.db) as session:
            reports.ping(session)
            checks["database"] = "ok"
            backlog = reports.pending_outbox(session)
            checks["outbox_pending"] = backlog
            if backlog > 500:
                problems.append(f"outbox backlog is {backlog} messages")
            last = reports.last_job_run(session, besides=WRITE_PROBE)
            checks["scheduler_last_run"] = last.isoformat() if last else None
            if scheduler_expected and last is not None and utcnow() - _aware(last) > timedelta(minutes=5):
                problems.append("scheduler heartbeat older than 5 minutes")
            checks.update(untold_check(session, deps))
    except Exception as exc:
        checks["database"] = "unreachable"
        problems.append(f"database: {type(exc).__name__}")
    if checks.get("database") == "ok":
        try:
            write_probe(deps)
            checks["database_write"] = "ok"
        except Exception as exc:
            checks["database_write"] = "failing"
            problems.append(f"database writes fail: {type(exc).__name__}")
            log.error("health check: the database refuses writes (%s)", type(exc).__name__)
    status = 503 if problems else 200
    return JSONResponse({"status": "ok" if not problems else "degraded", "problems": problems, "checks": checks},
                        status_code=status)


def untold_check(session: Session, deps: Deps) -> dict[str, Any]:
    """New tickets that waited longer than TICKET_UNTOLD_MINUTES with nobody told (reported, not a 503: the web
    process itself is fine)."""
    older = utcnow() - timedelta(minutes=deps.settings.ticket_untold_minutes)
    untold = untold_tickets(session, deps.organisations(), older)
    report: dict[str, Any] = {"tickets_untold": untold}
    if untold:
        report["warnings"] = [f"{len(untold)} new ticket(s) waited over {deps.settings.ticket_untold_minutes} "
                              f"minutes and no helper was told: {', '.join(untold[:10])}"]
    return report


def _aware(value: Any) -> Any:
    from datetime import UTC

    return value if value.tzinfo else value.replace(tzinfo=UTC)


class RequestIdMiddleware:
    """Pure ASGI: give every request an id (from X-Request-Id or new) for the logs and the response header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = ""
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                rid = value.decode("latin-1")[:64]
        rid = rid or secrets.token_hex(8)  # 16 hex digits, as uuid4().hex[:16] gave, without the UUID object
        token = logs.request_id.set(rid)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            logs.request_id.reset(token)
