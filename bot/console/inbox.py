"""The helper inbox at /helpers: open tickets, claim, transcript, outcome, release, close, message the resident.

The domain rules (who may see and do what, race-safe claims, resident notices) live in handoff.inbox;
this module only turns web requests into those calls, one transaction per request, with an audit line.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.auth import HELPER_ROLES, audit, csrf_guard, role_guard
from bot.console.labels import OUTCOME_LABELS, inbox_error, local_moment
from bot.console.mail_settings import MODE_WORDS, helper_mode, save_helper_mail
from bot.console.pages_telegram import add_telegram_link_routes
from bot.console.web import Console, ConsoleForbidden, Viewer, install, redirect
from bot.messages import clean_text
from bot.runtime import Deps
from bot.settings import Settings
from handoff import inbox
from handoff.helper_texts import helper_texts, window_label
from places.hours import TIMEZONE
from storage import staff_accounts
from storage.db import read_session, transaction
from storage.models import User
from storage.session import Session

ERROR_STATUS = {inbox.TicketNotFound: 404, inbox.NotAllowed: 403, inbox.InvalidAction: 409}


def _user(session: Session, viewer: Viewer) -> User:
    user = staff_accounts.user_by_id(session, viewer.id)
    if user is None:
        raise ConsoleForbidden("Je account bestaat niet meer.")
    return user


def window_words(window: str) -> str:
    """When the resident wants a call back, in Dutch ('zo snel mogelijk', 'voormiddag', 'maandag 30 november')."""
    return window_label(window, "nl", helper_texts()) if window else "-"


def parse_local_datetime(raw: str) -> datetime | None:
    """'2026-11-27T14:00' from a datetime-local field, as Brussels time."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=TIMEZONE)
    except ValueError:
        return None


def router(deps: Deps, settings: Settings, app: FastAPI) -> APIRouter:
    console = install(app, deps, settings)
    helper = role_guard(console, HELPER_ROLES)
    api = APIRouter(dependencies=[Depends(csrf_guard(console))])
    add_inbox_routes(api, console, helper)
    add_telegram_link_routes(api, console, helper)
    return api


def add_inbox_routes(api: APIRouter, console: Console, helper: Callable[[Request], Viewer]) -> None:
    HelperViewer = Annotated[Viewer, Depends(helper)]

    def detail_page(request: Request, viewer: Viewer, code: str, error: str = "", status_code: int = 200) -> Response:
        organisations = console.deps.organisations()  # before the session: one connection at a time
        with read_session(console.deps.db) as session:
            try:
                detail = inbox.get_ticket(session, _user(session, viewer), code, organisations=organisations)
            except inbox.TicketNotFound as exc:
                raise ConsoleForbidden(inbox_error(str(exc)), 404) from exc
        return console.render(
            request,
            "helpers_ticket.html",
            status_code=status_code,
            viewer=viewer,
            d=detail,
            t=detail.ticket,
            error=error,
            outcomes=OUTCOME_LABELS,
            local=local_moment,
            window=window_words,
        )

    def act(
        request: Request, viewer: Viewer, code: str, action: str, work: Callable[[Session, User, datetime], Any]
    ) -> Response:
        now = console.now()
        try:
            with transaction(console.deps.db) as session:
                outcome = work(session, _user(session, viewer), now)
                if outcome is False:
                    raise inbox.InvalidAction(_nothing_done(action))
                audit(session, viewer.email, f"ticket.{action}", code.upper(), now)
        except inbox.InboxError as exc:
            status = next((s for kind, s in ERROR_STATUS.items() if isinstance(exc, kind)), 409)
            return detail_page(request, viewer, code, inbox_error(str(exc)), status)
        return redirect(f"/helpers/tickets/{code.upper()}")

    @api.get("/helpers")
    def inbox_page(request: Request, scope: str = "unclaimed", status: str = "", *, viewer: HelperViewer) -> Response:
        scope = scope if scope in inbox.SCOPES else "unclaimed"
        organisations = console.deps.organisations()  # before the session: one connection at a time
        with read_session(console.deps.db) as session:
            try:
                tickets = inbox.list_tickets(
                    session,
                    viewer=_user(session, viewer),
                    scope=scope,  # type: ignore[arg-type]
                    status=status or None,
                    organisations=organisations,
                )
            except inbox.InvalidAction:
                tickets = []
        return console.render(
            request,
            "helpers_list.html",
            viewer=viewer,
            tickets=tickets,
            scope=scope,
            scopes=inbox.SCOPES,
            local=local_moment,
            window=window_words,
            mail_mode=helper_mode(console, viewer.id) if viewer.organisation else None,
            mode_words=MODE_WORDS,
        )

    @api.post("/helpers/mail")
    async def my_mail(request: Request, viewer: HelperViewer) -> Response:
        form = await request.form()
        await run_in_threadpool(save_helper_mail, console, viewer, viewer.id, str(form.get("mode") or ""))
        return redirect("/helpers")

    @api.get("/helpers/tickets/{code}")
    def ticket_page(request: Request, code: str, viewer: HelperViewer) -> Response:
        return detail_page(request, viewer, code)

    @api.get("/helpers/T-{number}")
    def old_ticket_link(number: str) -> Response:
        return redirect(f"/helpers/tickets/T-{number}")  # links in announcements sent before the route moved

    @api.post("/helpers/tickets/{code}/claim")
    def claim(request: Request, code: str, viewer: HelperViewer) -> Response:
        texts = console.deps.library().texts
        organisations = console.deps.organisations()
        return act(
            request,
            viewer,
            code,
            "claim",
            lambda s, u, now: inbox.claim(s, u, code, now, texts=texts, organisations=organisations),
        )

    @api.post("/helpers/tickets/{code}/release")
    def release(request: Request, code: str, viewer: HelperViewer) -> Response:
        return act(request, viewer, code, "release", lambda s, u, now: inbox.release(s, u, code, now))

    @api.post("/helpers/tickets/{code}/outcome")
    async def outcome(request: Request, code: str, viewer: HelperViewer) -> Response:
        form = await request.form()
        chosen = str(form.get("outcome") or "")
        note = clean_text(str(form.get("note") or ""))
        again = parse_local_datetime(str(form.get("call_again_at") or ""))
        return await run_in_threadpool(
            act,
            request,
            viewer,
            code,
            "outcome",
            lambda s, u, now: inbox.record_outcome(s, u, code, chosen, note, again, now),
        )

    @api.post("/helpers/tickets/{code}/close")
    def close(request: Request, code: str, viewer: HelperViewer) -> Response:
        return act(request, viewer, code, "close", lambda s, u, now: inbox.close(s, u, code, now))

    @api.post("/helpers/tickets/{code}/message")
    async def message(request: Request, code: str, viewer: HelperViewer) -> Response:
        form = await request.form()
        text = clean_text(str(form.get("text") or ""))
        texts = console.deps.library().texts
        return await run_in_threadpool(
            act,
            request,
            viewer,
            code,
            "message",
            lambda s, u, now: inbox.send_to_resident(s, u, code, text, now, texts=texts),
        )


def _nothing_done(action: str) -> str:
    return {
        "claim": "Een andere helper was sneller: deze vraag is niet meer open.",
        "release": "Niemand had deze vraag genomen.",
        "close": "Deze vraag was al afgesloten.",
        "message": "De bewoner is niet bereikbaar (stuurde STOP of liet de gegevens wissen). Er werd niets verstuurd.",
    }.get(action, "Er veranderde niets.")
