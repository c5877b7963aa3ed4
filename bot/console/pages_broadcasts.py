"""Console page for announcements: compose per language with the SMS lint, preview recipients and SMS segments
paid, a send moment, a second staff member's approval above BROADCAST_APPROVAL_ABOVE, cancel while sending."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.auth import audit
from bot.console.web import Console, Viewer, redirect
from bot.messages import clean_text
from bot.outbound import broadcasts
from bot.outbound.broadcasts import Audience, BroadcastError
from bot.render import render
from storage.db import read_session, transaction
from storage.models import Broadcast


def _form_texts(form: Any, languages: tuple[str, ...]) -> dict[str, str]:
    texts = {lang: clean_text(str(form.get(f"text_{lang}") or "")).strip() for lang in languages}
    return {lang: text for lang, text in texts.items() if text}


def _send_at(raw: str, timezone: str, now: datetime) -> datetime:
    if not raw.strip():
        return now
    try:
        return datetime.fromisoformat(raw.strip()).replace(tzinfo=ZoneInfo(timezone))
    except ValueError as exc:
        raise BroadcastError("Schrijf het moment zoals 2026-12-24 09:30.") from exc


def _segments(console: Console, texts: dict[str, str]) -> dict[str, int]:
    """SMS segments of one message per language, as sent (with the stop line)."""
    library = console.deps.library()
    probe = Broadcast(audience="news", texts=texts)
    return {lang: render(broadcasts.reply_for(probe, lang, library), "sms").segments for lang in texts}


def add_broadcast_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    def page(request: Request, viewer: Viewer, *, form: dict[str, Any] | None = None, shown: dict[str, Any] | None
             = None, error: str = "", status_code: int = 200) -> Response:
        library = console.deps.library()
        with read_session(console.deps.db) as session:
            rows = broadcasts.listing(session)
        audiences = ["news", *(f"lang:{code}" for code in library.texts.languages),
                     *(f"wijk:{name.split(' - ')[0]}" for name in sorted(library.places.by_neighbourhood())),
                     *(f"place:{place.id}" for place in library.places.places)]
        return console.render(request, "broadcasts.html", status_code=status_code, viewer=viewer, rows=rows,
                              form=form or {}, shown=shown, error=error, audiences=audiences,
                              languages=library.texts.languages, source=library.texts.deployment.default_language,
                              approval_above=console.deps.settings.broadcast_approval_above)

    @api.get("/console/broadcasts")
    def broadcasts_page(request: Request, viewer: StaffViewer) -> Response:
        return page(request, viewer)

    @api.post("/console/broadcasts")
    async def compose(request: Request, viewer: StaffViewer) -> Response:
        raw = await request.form()
        library = console.deps.library()
        form = {key: str(value) for key, value in raw.items()}
        texts = _form_texts(raw, library.texts.languages)
        try:
            audience = Audience.parse(form.get("audience", ""), library)
            send_at = _send_at(form.get("send_at", ""), library.texts.deployment.timezone, console.now())
        except BroadcastError as exc:
            return page(request, viewer, form=form, error=str(exc), status_code=422)
        problems = broadcasts.lint(texts, library)
        if form.get("action") != "create" or problems:
            def look() -> dict[str, Any]:
                with read_session(console.deps.db) as session:
                    return broadcasts.preview(session, audience, texts, library)
            shown = await run_in_threadpool(look)
            shown.update(problems=problems, segments=_segments(console, texts), send_at=send_at,
                         needs_approval=shown["recipients"] > console.deps.settings.broadcast_approval_above)
            return page(request, viewer, form=form, shown=shown, status_code=422 if problems else 200)

        def save() -> None:
            now = console.now()
            with transaction(console.deps.db) as session:
                row = broadcasts.create(session, audience, texts, library, send_at=send_at, created_by=viewer.email,
                                        approval_above=console.deps.settings.broadcast_approval_above, now=now)
                audit(session, viewer.email, "broadcast.create", f"broadcast:{row.id} {audience}", now)
        await run_in_threadpool(save)
        return redirect("/console/broadcasts")

    @api.post("/console/broadcasts/{broadcast_id}/approve")
    def approve(request: Request, broadcast_id: int, viewer: StaffViewer) -> Response:
        try:
            with transaction(console.deps.db) as session:
                broadcasts.approve(session, broadcast_id, viewer.email)
                audit(session, viewer.email, "broadcast.approve", f"broadcast:{broadcast_id}", console.now())
        except BroadcastError as exc:
            return page(request, viewer, error=str(exc), status_code=422)
        return redirect("/console/broadcasts")

    @api.post("/console/broadcasts/{broadcast_id}/cancel")
    def cancel(request: Request, broadcast_id: int, viewer: StaffViewer) -> Response:
        try:
            with transaction(console.deps.db) as session:
                broadcasts.cancel(session, broadcast_id, console.now())
                audit(session, viewer.email, "broadcast.cancel", f"broadcast:{broadcast_id}", console.now())
        except BroadcastError as exc:
            return page(request, viewer, error=str(exc), status_code=422)
        return redirect("/console/broadcasts")
