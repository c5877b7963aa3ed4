"""Console page "What residents asked": unmatched messages, one click to add one as an intent example."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.auth import audit
from bot.console.intent_score import cached_score
from bot.console.labels import label
from bot.console.saving import Issue, SaveResult, save_content
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from intents.catalog import CatalogError, validate_catalog_text
from storage import unmatched_review
from storage.db import read_session, transaction

PAGE_SIZE = 100


def add_example(console: Console, viewer: Viewer, unmatched_id: int, intent_id: str, language: str) -> SaveResult:
    """Append the message to the intent's examples (a new intent revision) and mark the row "added"."""
    with read_session(console.deps.db) as session:
        row = unmatched_review.unmatched_by_id(session, unmatched_id)
    if row is None:
        raise ConsoleForbidden("Dit bericht bestaat niet (meer).", 404)
    if row.status != "new":
        return SaveResult(errors=[Issue("error", f"dit bericht werd al {label(row.status, 'unmatched_status')}")])
    catalog = console.deps.library().catalog
    key = f"{intent_id}.yaml"
    try:
        body = catalog.with_examples([(intent_id, language, row.text)]).to_yaml(intent_id)
    except CatalogError as exc:
        return SaveResult(errors=[Issue("error", str(exc))])
    issues = [Issue("error", problem) for problem in validate_catalog_text(key, body, catalog.languages)]
    result = save_content(
        console,
        viewer,
        "intent",
        key,
        body,
        action="intent.example_added",
        issues=issues,
        comment=f"voorbeeld uit 'Wat bewoners vroegen' #{unmatched_id}",
    )
    if result.errors:
        return result
    with transaction(console.deps.db) as session:
        unmatched_review.set_unmatched_status(session, unmatched_id, "added")
        audit(
            session,
            viewer.email,
            "unmatched.added",
            f"unmatched:{unmatched_id} -> {intent_id} ({language})",
            console.now(),
        )
    return result


def dismiss(console: Console, viewer: Viewer, unmatched_id: int) -> None:
    with transaction(console.deps.db) as session:
        if not unmatched_review.set_unmatched_status(session, unmatched_id, "dismissed"):
            raise ConsoleForbidden("Dit bericht bestaat niet (meer).", 404)
        audit(session, viewer.email, "unmatched.dismissed", f"unmatched:{unmatched_id}", console.now())


def add_unmatched_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    def page(request: Request, viewer: Viewer, result: SaveResult | None, status_code: int = 200) -> Response:
        library = console.deps.library()
        with read_session(console.deps.db) as session:
            rows = unmatched_review.new_unmatched(session, PAGE_SIZE)
        intents = sorted(library.catalog.intents)
        score = cached_score(library.revision, library.catalog)
        return console.render(
            request,
            "unmatched.html",
            status_code=status_code,
            viewer=viewer,
            rows=rows,
            intents=intents,
            languages=library.catalog.languages,
            score=score,
            result=result,
        )

    @api.get("/console/unmatched")
    def unmatched_page(request: Request, saved: int = 0, *, viewer: StaffViewer) -> Response:
        return page(request, viewer, SaveResult(revision_id=saved) if saved else None)

    @api.post("/console/unmatched/{unmatched_id}/add")
    async def add(request: Request, unmatched_id: int, viewer: StaffViewer) -> Response:
        form = await request.form()
        intent_id = str(form.get("intent") or "")
        catalog = console.deps.library().catalog
        language = str(form.get("language") or "")
        if intent_id not in catalog.intents or language not in catalog.languages:
            raise ConsoleForbidden(f"Kies een soort vraag uit de lijst, en een taal ({', '.join(catalog.languages)}).",
                                   400)
        result = await run_in_threadpool(add_example, console, viewer, unmatched_id, intent_id, language)
        if result.errors:
            return await run_in_threadpool(page, request, viewer, result, 422)
        return redirect(f"/console/unmatched?saved={result.revision_id or 0}")

    @api.post("/console/unmatched/{unmatched_id}/dismiss")
    def dismiss_route(unmatched_id: int, viewer: StaffViewer) -> Response:
        dismiss(console, viewer, unmatched_id)
        return redirect("/console/unmatched")
