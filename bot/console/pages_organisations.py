"""Console page for helper organisations: hours, languages, topics, notification, edited as validated YAML."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.mail_settings import MODE_WORDS, mail_rows, save_helper_mail, save_organisation_mail
from bot.console.revisions import ORGANISATIONS_KEY, current_text
from bot.console.saving import Issue, SaveResult, refuse_oversized, save_content
from bot.console.web import Console, Viewer, redirect
from handoff.organisations import Organisation, OrganisationError, parse_organisations
from places.describe import hours_in_words
from storage.db import read_session


def organisations_text(console: Console) -> str:
    with read_session(console.deps.db) as session:
        return current_text(session, console.deps.settings.content, "organisations", ORGANISATIONS_KEY).body or ""


def save_organisations(console: Console, viewer: Viewer, text: str) -> SaveResult:
    refused = refuse_oversized(console, "organisations", ORGANISATIONS_KEY, text)
    if refused is not None:
        return refused
    issues: list[Issue] = []
    try:
        parse_organisations(text, ORGANISATIONS_KEY)
    except OrganisationError as exc:
        issues.append(Issue("error", str(exc)))
    return save_content(
        console, viewer, "organisations", ORGANISATIONS_KEY, text, action="organisations.save", issues=issues
    )


def _rows(organisations: tuple[Organisation, ...]) -> list[dict[str, object]]:
    return [
        {"org": org, "hours": hours_in_words(org.hours, "nl") if org.hours else "nog niet ingevuld"}
        for org in organisations
    ]


def add_organisation_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    def page(
        request: Request, viewer: Viewer, text: str, result: SaveResult | None, status_code: int = 200
    ) -> Response:
        return console.render(
            request,
            "organisations.html",
            status_code=status_code,
            viewer=viewer,
            text=text,
            rows=_rows(console.deps.organisations()),
            result=result,
            mail=mail_rows(console),
            mode_words=MODE_WORDS,
            smtp_configured=bool(console.deps.settings.smtp_url and console.deps.settings.mail_from),
        )

    @api.get("/console/organisations")
    def organisations_page(request: Request, saved: int = 0, *, viewer: StaffViewer) -> Response:
        return page(request, viewer, organisations_text(console), SaveResult(revision_id=saved) if saved else None)

    @api.post("/console/organisations")
    async def organisations_save(request: Request, viewer: StaffViewer) -> Response:
        form = await request.form()
        text = str(form.get("body") or "").replace("\r\n", "\n")
        result = await run_in_threadpool(save_organisations, console, viewer, text)
        if result.errors:
            return page(request, viewer, text, result, status_code=422)
        return redirect(f"/console/organisations?saved={result.revision_id or 0}")

    @api.post("/console/organisations/{organisation}/mail")
    async def organisation_mail(request: Request, organisation: str, viewer: StaffViewer) -> Response:
        form = await request.form()
        email, mode = str(form.get("email") or "").strip(), str(form.get("mode") or "")
        await run_in_threadpool(save_organisation_mail, console, viewer, organisation, email, mode)
        return redirect("/console/organisations#mail")

    @api.post("/console/organisations/helpers/{user_id}/mail")
    async def helper_mail(request: Request, user_id: int, viewer: StaffViewer) -> Response:
        form = await request.form()
        await run_in_threadpool(save_helper_mail, console, viewer, user_id, str(form.get("mode") or ""))
        return redirect("/console/organisations#mail")
