"""Helper inbox page "Telegram koppelen": a one-time code to send to the bot (`/link CODE`), or unlinking."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.console.auth import audit
from bot.console.labels import local_moment
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from handoff.telegram_links import CODE_LIFETIME, new_link_code, unlink_telegram
from storage import staff_accounts
from storage.db import read_session, transaction

PAGE = "/helpers/telegram"


def add_telegram_link_routes(api: APIRouter, console: Console, helper: Callable[[Request], Viewer]) -> None:
    HelperViewer = Annotated[Viewer, Depends(helper)]

    def page(request: Request, viewer: Viewer, code: str = "", expires: str = "") -> Response:
        with read_session(console.deps.db) as session:
            user = staff_accounts.user_by_id(session, viewer.id)
            linked = user is not None and user.telegram_user_id is not None
        return console.render(request, "helpers_telegram.html", viewer=viewer, linked=linked, code=code,
                              expires=expires, minutes=int(CODE_LIFETIME.total_seconds() // 60))

    @api.get(PAGE)
    def telegram_page(request: Request, viewer: HelperViewer) -> Response:
        return page(request, viewer)

    @api.post(f"{PAGE}/code")
    def make_code(request: Request, viewer: HelperViewer) -> Response:
        now = console.now()
        with transaction(console.deps.db) as session:
            user = staff_accounts.user_by_id(session, viewer.id)
            if user is None:
                raise ConsoleForbidden("Je account bestaat niet meer.")
            code, expires = new_link_code(session, user, now)
            audit(session, viewer.email, "telegram.link_code", f"user:{viewer.id}", now)
        return page(request, viewer, code=code, expires=local_moment(expires))

    @api.post(f"{PAGE}/unlink")
    def unlink(viewer: HelperViewer) -> Response:
        now = console.now()
        with transaction(console.deps.db) as session:
            user = staff_accounts.user_by_id(session, viewer.id)
            if user is not None and unlink_telegram(session, user):
                audit(session, viewer.email, "telegram.unlinked", f"user:{viewer.id}", now)
        return redirect(PAGE)
