"""Console access: login and logout, login throttling, role checks, CSRF checks and the audit log."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.passwords import check_password, find_user, normalise_email, password_fingerprint
from bot.console.sessions import CSRF_FIELD, CSRF_HEADER, SessionData, tokens_match
from bot.console.web import Console, ConsoleForbidden, ConsoleRedirect, Viewer, login_location, redirect
from bot.messages import clean_text
from storage import audit_log, staff_accounts
from storage.db import read_session, transaction
from storage.logins import clear_attempts, forget_old_attempts, reserve_attempt
from storage.models import User
from storage.session import Session

FREE_ATTEMPTS = 5
FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(minutes=15)
STAFF_ROLES = ("staff", "admin")
HELPER_ROLES = ("helper", "staff", "admin")
UNSAFE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


# ---- audit log ----


def audit(session: Session, actor: str, action: str, target: str, now: datetime) -> None:
    """One line in the audit log: who did what to which thing (never message content)."""
    audit_log.record(session, actor, action, target, now)


# ---- login throttling ----


def attempt_key(email: str, ip: str) -> str:
    """Throttling is per (account, client address): an attacker elsewhere never locks the owner out."""
    return f"{normalise_email(email)}|{ip}"[:300]


def throttle_delay(extra_attempts: int) -> timedelta:
    """The wait after the free attempts: 30 s, 1 min, 2 min, ... at most 15 minutes."""
    factor: int = 2 ** min(max(extra_attempts, 0), 16)
    return min(FIRST_DELAY * factor, LONGEST_DELAY)


# ---- who is asking ----


def load_viewer(console: Console, request: Request) -> Viewer | None:
    """The logged-in user of this request, or None (no session, idle too long, deactivated, new password)."""
    data = console.session(request)
    if data.user_id is None:
        return None
    with read_session(console.deps.db) as session:
        user = staff_accounts.user_by_id(session, data.user_id)
    if user is None or user.id is None or not user.active:
        return None
    if password_fingerprint(user.password_hash) != data.password_print:
        return None
    if user.session_generation != data.generation:
        return None  # logged out since (on this or any other copy of the cookie)
    return Viewer(id=user.id, email=user.email, name=user.name, role=user.role, organisation=user.organisation)


def role_guard(console: Console, roles: tuple[str, ...]) -> Callable[[Request], Viewer]:
    """A FastAPI dependency: the viewer when their role is in `roles`; else the login page or a 403 page."""

    def guard(request: Request) -> Viewer:
        viewer = load_viewer(console, request)
        if viewer is None:
            if console.session(request).user_id is not None:
                console.replace_session(request, SessionData.anonymous(console.now()))
            target = request.url.path if request.method == "GET" else "/console"
            expired = "&expired=1" if console.session(request).expired else ""
            raise ConsoleRedirect(login_location(target) + expired)
        if viewer.role not in roles:
            home = "/helpers" if viewer.role == "helper" else "/console"
            raise ConsoleForbidden(f"Je account ({viewer.role}) kan deze pagina niet openen. Ga naar {home}.")
        return viewer

    return guard


def csrf_guard(console: Console) -> Callable[[Request], Awaitable[None]]:
    """A FastAPI dependency: every POST must carry the session's CSRF token (form field or header).

    JSON posts (the simulator's fetch) may instead prove they come from our own pages: same Origin, and a
    browser never sends JSON cross-site without a CORS preflight, which this app does not allow.
    """

    async def guard(request: Request) -> None:
        if request.method not in UNSAFE_METHODS:
            return
        expected = console.session(request).csrf
        given = request.headers.get(CSRF_HEADER)
        if given is None and request.headers.get("content-type", "").startswith("application/json"):
            if _same_origin(request):
                return
            raise ConsoleForbidden("Deze aanvraag kwam van een andere website en werd geweigerd.")
        if given is None:
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
        if not tokens_match(expected, given):
            raise ConsoleForbidden(
                "Het formulier was te oud of kwam van ergens anders (veiligheidscontrole). "
                "Laad de pagina opnieuw en probeer nog eens."
            )

    return guard


def _same_origin(request: Request) -> bool:
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1] == host


def safe_next(target: str | None, viewer_role: str) -> str:
    """Only a local path; otherwise the role's home page."""
    home = "/helpers" if viewer_role == "helper" else "/console"
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return home
    if viewer_role == "helper" and not target.startswith("/helpers"):
        return home
    return target


# ---- routes ----


def login_router(console: Console) -> APIRouter:
    api = APIRouter()
    csrf = csrf_guard(console)

    @api.get("/console/login")
    def login_page(request: Request, next: str = "", expired: int = 0) -> Response:
        viewer = load_viewer(console, request)
        if viewer is not None:
            return redirect(safe_next(next, viewer.role))
        was_expired = bool(expired) or console.session(request).expired
        return console.render(request, "login.html", next=next, error=None, expired=was_expired)

    @api.get("/helpers/login")
    def helper_login_page() -> Response:
        return redirect(login_location("/helpers"))

    @api.post("/console/login")
    async def login(request: Request) -> Response:
        await csrf(request)
        form = await request.form()
        email = clean_text(str(form.get("email") or "")).strip()
        password = str(form.get("password") or "")
        next_path = str(form.get("next") or "")
        ip = request.client.host if request.client else "unknown"
        outcome = await run_in_threadpool(_attempt_login, console, email, password, ip)
        if outcome == "throttled":
            return console.render(
                request,
                "login.html",
                status_code=429,
                next=next_path,
                expired=False,
                error="Te vaak een fout wachtwoord. Wacht even (een halve minuut, na nog meer fouten langer) "
                "en probeer dan opnieuw.",
            )
        if not isinstance(outcome, User):
            return console.render(
                request,
                "login.html",
                status_code=401,
                next=next_path,
                expired=False,
                error="Het e-mailadres of het wachtwoord klopt niet.",
            )
        assert outcome.id is not None
        console.replace_session(
            request,
            console.session(request).logged_in(
                outcome.id, password_fingerprint(outcome.password_hash), console.now(), outcome.session_generation
            ),
        )
        return redirect(safe_next(next_path, outcome.role))

    @api.post("/console/logout")
    async def logout(request: Request) -> Response:
        await csrf(request)
        viewer = await run_in_threadpool(load_viewer, console, request)
        if viewer is not None:
            await run_in_threadpool(_end_sessions, console, viewer)
        console.replace_session(request, SessionData.anonymous(console.now()))
        return redirect("/console/login")

    return api


def _end_sessions(console: Console, viewer: Viewer) -> None:
    """Logout ends this session everywhere it was copied: the user's session generation goes up."""
    with transaction(console.deps.db) as session:
        staff_accounts.end_sessions(session, viewer.id)
        audit(session, viewer.email, "logout", viewer.email, console.now())


def _attempt_login(console: Console, email: str, password: str, ip: str) -> User | str:
    """The user on success, "throttled" or "wrong" otherwise.

    The attempt is counted (atomically) before the password is checked; the argon2 check itself runs outside
    any transaction, so it never holds SQLite's writer lock while it works."""
    now = console.now()
    key = attempt_key(email, ip)
    with transaction(console.deps.db) as session:
        forget_old_attempts(session, now)
        wait_until = reserve_attempt(session, key, now, free=FREE_ATTEMPTS, delay=throttle_delay)
    if wait_until is not None:
        return "throttled"
    with read_session(console.deps.db) as session:
        user = find_user(session, email) if email and password else None
        found = (user.id, user.password_hash) if user is not None and user.active and user.id is not None else None
    valid, new_hash = check_password(found[1] if found else None, password)
    if not valid or found is None:
        return "wrong"
    with transaction(console.deps.db) as session:
        clear_attempts(session, key)
        fresh = staff_accounts.user_by_id(session, found[0])
        if fresh is None or not fresh.active or fresh.password_hash != found[1]:
            return "wrong"  # deactivated or given a new password while we checked
        if new_hash is not None:
            staff_accounts.set_password_hash(session, fresh, new_hash)
        audit(session, fresh.email, "login", fresh.email, now)
        return staff_accounts.reload_detached(session, fresh)
