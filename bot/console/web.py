"""The console's shared parts: templates, the session middleware, viewer and error types, page rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.console.labels import event_text, label, language_label, local_moment, routing_words, short_day
from bot.console.sessions import COOKIE_NAME, CSRF_FIELD, SessionCodec, SessionData
from bot.runtime import Deps
from bot.settings import Settings

HERE = Path(__file__).resolve().parent
CONSOLE_PREFIXES = ("/console", "/helpers")
STATIC_PREFIX = "/console/static"
SESSION_SCOPE_KEY = "digibuur_console_session"


@dataclass
class SessionSlot:
    """The request's session; handlers replace `data` (login, logout) and the middleware writes it back."""

    data: SessionData


@dataclass(frozen=True)
class Viewer:
    """The logged-in person, as pages see them."""

    id: int
    email: str
    name: str
    role: str
    organisation: str | None

    @property
    def is_staff(self) -> bool:
        return self.role in ("staff", "admin")


class ConsoleRedirect(Exception):
    """Send the browser elsewhere (for example to the login page)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


class ConsoleForbidden(Exception):
    """The request is refused with a page that says why (403, or another status such as 429)."""

    def __init__(self, reason: str, status_code: int = 403) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code


def make_templates() -> Environment:
    """The page templates, with filters for Dutch labels of stored codes and Dutch dates."""
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
    templates.filters["label"] = label
    templates.filters["short_day"] = short_day
    templates.filters["local_moment"] = local_moment
    templates.filters["routing_words"] = routing_words
    templates.filters["language_label"] = language_label
    templates.globals["event_text"] = event_text
    return templates


@dataclass
class Console:
    """Built once per app and shared by the staff and helper routers."""

    deps: Deps
    settings: Settings
    codec: SessionCodec
    templates: Environment = field(default_factory=make_templates)

    def now(self) -> datetime:
        return self.deps.clock()

    def session(self, request: Request) -> SessionData:
        return slot_of(request).data

    def replace_session(self, request: Request, data: SessionData) -> None:
        slot_of(request).data = data

    def render(
        self, request: Request, template: str, *, status_code: int = 200, viewer: Viewer | None = None, **context: Any
    ) -> HTMLResponse:
        session = self.session(request)
        html = self.templates.get_template(template).render(
            request_path=request.url.path,
            viewer=viewer,
            csrf_token=session.csrf,
            csrf_field=CSRF_FIELD,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)


def slot_of(request: Request) -> SessionSlot:
    slot = request.scope.get(SESSION_SCOPE_KEY)
    if not isinstance(slot, SessionSlot):
        raise RuntimeError("the console session middleware is not installed")
    return slot


def redirect(location: str) -> RedirectResponse:
    return RedirectResponse(location, status_code=303)


def login_location(next_path: str) -> str:
    return f"/console/login?next={quote(next_path, safe='/')}"


class SessionMiddleware:
    """Reads the console cookie for /console and /helpers requests and writes it back (sliding idle expiry)."""

    def __init__(self, app: ASGIApp, console: Console) -> None:
        self.app = app
        self.console = console

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(CONSOLE_PREFIXES) or path.startswith(STATIC_PREFIX):
            await self.app(scope, receive, send)
            return
        cookie = SimpleCookie()
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                try:
                    cookie.load(value.decode("latin-1"))
                except Exception:  # a malformed cookie header is treated as no cookie
                    continue
        raw = cookie[COOKIE_NAME].value if COOKIE_NAME in cookie else None
        now = self.console.now()
        slot = SessionSlot(self.console.codec.loads(raw, now))
        scope[SESSION_SCOPE_KEY] = slot

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                data = slot.data if slot.data.expired else slot.data.touched(self.console.now())
                headers = list(message.get("headers", []))
                headers.append((b"set-cookie", self._cookie(data).encode("latin-1")))
                headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_cookie)

    def _cookie(self, data: SessionData) -> str:
        response = Response()
        response.set_cookie(
            COOKIE_NAME,
            self.console.codec.dumps(data),
            httponly=True,
            samesite="lax",
            secure=self.console.settings.cookies_secure,
            path="/",
        )
        header = response.headers["set-cookie"]
        return header


def install(app: FastAPI, deps: Deps, settings: Settings) -> Console:
    """The app's Console, created (with its middleware, error pages and static files) on first use."""
    existing = getattr(app.state, "console", None)
    if isinstance(existing, Console):
        return existing
    from fastapi.staticfiles import StaticFiles

    console = Console(deps=deps, settings=settings, codec=SessionCodec(settings.secret_key))
    app.state.console = console
    app.add_middleware(SessionMiddleware, console=console)
    app.mount(STATIC_PREFIX, StaticFiles(directory=HERE / "static"), name="console-static")

    async def on_redirect(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleRedirect)
        return redirect(exc.location)

    async def on_forbidden(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ConsoleForbidden)
        return console.render(request, "refused.html", status_code=exc.status_code, reason=exc.reason)

    app.add_exception_handler(ConsoleRedirect, on_redirect)
    app.add_exception_handler(ConsoleForbidden, on_forbidden)
    return console
