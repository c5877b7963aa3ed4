"""Console pages for revision history (who changed what, with a diff), one-click restore, and the audit log."""

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.pages_guides import save_guide
from bot.console.revisions import check_key, history, shipped_file
from bot.console.saving import SaveResult, save_content
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from storage import audit_log, content_revisions
from storage.db import read_session

SHIPPED = 0  # the revision number used for "the file as shipped"
NO_SUCH_FILE = "Dit bestand bestaat niet in digibuur."


@dataclass(frozen=True)
class RevisionView:
    id: int
    author: str
    created_at: datetime | None
    comment: str
    diff: str
    deleted: bool


def _diff(before: str, after: str, before_name: str, after_name: str) -> str:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), before_name, after_name, n=2, lineterm="")
    return "\n".join(lines)


def revision_views(console: Console, kind: str, key: str) -> tuple[list[RevisionView], str | None]:
    with read_session(console.deps.db) as session:
        rows = history(session, kind, key)
    path = shipped_file(console.deps.settings.content, kind, key)
    shipped = path.read_text(encoding="utf-8") if path is not None and path.is_file() else None
    views: list[RevisionView] = []
    for index, row in enumerate(rows):
        older = rows[index + 1].body if index + 1 < len(rows) else (shipped or "")
        older_name = f"r{rows[index + 1].id}" if index + 1 < len(rows) else "origineel"
        views.append(
            RevisionView(
                row.id or 0,
                row.author or "?",
                row.created_at,
                row.comment or "",
                _diff(older, row.body, older_name, f"r{row.id}"),
                row.body == "",
            )
        )
    return views, shipped


def restore(console: Console, viewer: Viewer, kind: str, key: str, revision_id: int) -> SaveResult:
    """A new revision with the body of an older one (or of the shipped file), validated like any save."""
    if revision_id == SHIPPED:
        path = shipped_file(console.deps.settings.content, kind, key)
        if path is None or not path.is_file():
            raise ConsoleForbidden("Van dit bestand is er geen origineel.", 404)
        body = path.read_text(encoding="utf-8")
    else:
        with read_session(console.deps.db) as session:
            row = content_revisions.revision_by_id(session, revision_id)
        if row is None or row.kind != kind or row.key != key:
            raise ConsoleForbidden(f"Versie r{revision_id} bestaat niet voor dit bestand.", 404)
        body = row.body
    comment = f"teruggezet: {'origineel' if revision_id == SHIPPED else f'r{revision_id}'}"
    if kind == "guide" and body:
        return save_guide(console, viewer, key.removesuffix(".yaml"), body, comment)
    return save_content(console, viewer, kind, key, body, action="content.restore", comment=comment)


def add_history_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    @api.get("/console/history/{kind}/{key}")
    def history_page(request: Request, kind: str, key: str, restored: int = 0, *, viewer: StaffViewer) -> Response:
        try:
            check_key(kind, key)
        except ValueError as exc:
            raise ConsoleForbidden(NO_SUCH_FILE, 404) from exc
        views, shipped = revision_views(console, kind, key)
        return console.render(
            request,
            "history.html",
            viewer=viewer,
            kind=kind,
            key=key,
            revisions=views,
            has_shipped=shipped is not None,
            restored=restored,
            result=None,
        )

    @api.post("/console/history/{kind}/{key}/restore")
    async def restore_route(request: Request, kind: str, key: str, viewer: StaffViewer) -> Response:
        try:
            check_key(kind, key)
        except ValueError as exc:
            raise ConsoleForbidden(NO_SUCH_FILE, 404) from exc
        form = await request.form()
        try:
            revision_id = int(str(form.get("revision_id") or ""))
        except ValueError as exc:
            raise ConsoleForbidden("Kies een versie uit de lijst.", 400) from exc
        result = await run_in_threadpool(restore, console, viewer, kind, key, revision_id)
        if result.errors:
            views, shipped = await run_in_threadpool(revision_views, console, kind, key)
            return console.render(
                request,
                "history.html",
                status_code=422,
                viewer=viewer,
                kind=kind,
                key=key,
                revisions=views,
                has_shipped=shipped is not None,
                restored=0,
                result=result,
            )
        return redirect(f"/console/history/{kind}/{key}?restored={result.revision_id or 0}")

    @api.get("/console/audit")
    def audit_page(request: Request, viewer: StaffViewer) -> Response:
        with read_session(console.deps.db) as session:
            rows = audit_log.newest(session, 300)
        return console.render(request, "audit.html", viewer=viewer, rows=rows)
