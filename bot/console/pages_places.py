"""Console pages for Digipunten: details, opening and helper hours (shown in words), closures, add and retire."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.auth import audit
from bot.console.places_editing import (
    PLACES_KEY,
    add_place,
    apply_form,
    dump_document,
    find_entry,
    load_document,
    notes_completeness,
    retire,
)
from bot.console.revisions import current_text, refresh_live
from bot.console.saving import Issue, SaveResult, save_content
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from bot.crons.booking_reminders import cancel_closed
from bot.messages import clean_text
from bot.outbound.broadcasts import follower_count, notify_followers
from places.describe import hours_in_words, status_words
from places.hours import hours_problem, local
from places.loader import MAX_CLOSURE_DAYS
from places.model import STATUSES
from storage import place_closures
from storage.db import read_session, transaction
from storage.models import PlaceClosure

NO_SUCH_PLACE = "Dit Digipunt bestaat niet."


def _document(console: Console) -> dict[str, Any]:
    with read_session(console.deps.db) as session:
        text = current_text(session, console.deps.settings.content, "places", PLACES_KEY).body
    if text is None:
        raise ConsoleForbidden("Het Digipuntenbestand ontbreekt.", 404)
    return load_document(text)


def _words(expression: str | None, language: str) -> str:
    if not expression:
        return "niet gekend"
    if hours_problem(expression) is not None:
        return "onleesbaar: kijk de schrijfwijze na"
    return hours_in_words(expression, language)


def _closures(console: Console, place_id: str | None = None) -> list[PlaceClosure]:
    with read_session(console.deps.db) as session:
        return place_closures.closures(session, place_id)


def _followers(console: Console, place_id: str) -> int:
    with read_session(console.deps.db) as session:
        return follower_count(session, place_id)


def save_places(console: Console, viewer: Viewer, data: dict[str, Any], issues: list[Issue], action: str) -> SaveResult:
    return save_content(console, viewer, "places", PLACES_KEY, dump_document(data), action=action, issues=issues)


def add_closure(console: Console, viewer: Viewer, place_id: str, start: date, end: date, reason: dict[str, str],
                *, notify: bool = False) -> int:
    now = console.now()
    with transaction(console.deps.db) as session:
        row = PlaceClosure(
            place_id=place_id,
            start=start.isoformat(),
            end=end.isoformat(),
            reason=reason,
            author=viewer.email,
            created_at=now,
        )
        place_closures.add_closure(session, row)
        audit(session, viewer.email, "closure.add", f"place:{place_id} {start}..{end}", now)
        if notify:
            notify_followers(session, console.deps.library(), place_id, start, end, reason, author=viewer.email,
                             now=now)
        closure_id = row.id or 0
    refresh_live(console.deps)
    cancel_closed(console.deps, console.deps.library(), now)  # the sessions it covers, residents told
    return closure_id


def add_place_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    def place_page(
        request: Request,
        viewer: Viewer,
        place_id: str,
        entry: dict[str, Any],
        result: SaveResult | None,
        status_code: int = 200,
        closure_error: str = "",
        lang: str = "",
    ) -> Response:
        languages = console.deps.library().texts.catalogue
        chosen = lang if lang in languages.codes else languages.source
        shown = [languages.source] if chosen == languages.source else [languages.source, chosen]
        return console.render(
            request,
            "place_edit.html",
            status_code=status_code,
            viewer=viewer,
            place_id=place_id,
            entry=entry,
            result=result,
            statuses=STATUSES,
            languages=shown,
            chosen=chosen,
            source=languages.source,
            notes_complete=notes_completeness(entry, languages),
            closures=_closures(console, place_id),
            hours_words=_words(entry.get("hours"), languages.source),
            helper_words=_words(entry.get("helper_hours"), languages.source),
            today=local(console.now()).date().isoformat(),
            closure_error=closure_error,
            followers=_followers(console, place_id),
        )

    @api.get("/console/places")
    def places_list(request: Request, viewer: StaffViewer) -> Response:
        library = console.deps.library()
        now = console.now()
        source = library.texts.catalogue.source
        rows = []
        for place in library.places.places:
            status = library.places.status(place, now)
            rows.append({"place": place, "hours": _words(place.hours, source),
                         "now": status_words(status, source, now)})
        return console.render(
            request, "places.html", viewer=viewer, rows=rows, closures=_closures(console), statuses=STATUSES
        )

    @api.get("/console/places/{place_id}")
    def place_detail(
        request: Request, place_id: str, saved: int = 0, lang: str = "", *, viewer: StaffViewer
    ) -> Response:
        entry = find_entry(_document(console), place_id)
        if entry is None:
            raise ConsoleForbidden(NO_SUCH_PLACE, 404)
        result = SaveResult(revision_id=saved) if saved else None
        return place_page(request, viewer, place_id, entry, result, lang=lang)

    @api.post("/console/places/new")
    async def new_place(request: Request, viewer: StaffViewer) -> Response:
        form = {k: v for k, v in (await request.form()).multi_items() if isinstance(v, str)}
        data = await run_in_threadpool(_document, console)
        place_id, issues = add_place(data, form, console.deps.library().texts.catalogue)
        result = await run_in_threadpool(save_places, console, viewer, data, issues, "place.add")
        if result.errors:
            return console.render(
                request,
                "places.html",
                status_code=422,
                viewer=viewer,
                rows=[],
                closures=[],
                statuses=STATUSES,
                result=result,
                form=form,
            )
        return redirect(f"/console/places/{place_id}?saved={result.revision_id or 0}")

    @api.post("/console/places/{place_id}")
    async def save_place(request: Request, place_id: str, viewer: StaffViewer) -> Response:
        form = {k: v for k, v in (await request.form()).multi_items() if isinstance(v, str)}
        data = await run_in_threadpool(_document, console)
        entry = find_entry(data, place_id)
        if entry is None:
            raise ConsoleForbidden(NO_SUCH_PLACE, 404)
        issues = apply_form(entry, form, console.deps.library().texts.catalogue)
        result = await run_in_threadpool(save_places, console, viewer, data, issues, "place.save")
        lang = form.get("lang", "")
        if result.errors:
            return place_page(request, viewer, place_id, entry, result, status_code=422, lang=lang)
        return redirect(f"/console/places/{place_id}?lang={lang}&saved={result.revision_id or 0}")

    @api.post("/console/places/{place_id}/retire")
    async def retire_place(request: Request, place_id: str, viewer: StaffViewer) -> Response:
        data = await run_in_threadpool(_document, console)
        entry = find_entry(data, place_id)
        if entry is None:
            raise ConsoleForbidden(NO_SUCH_PLACE, 404)
        retire(entry)
        result = await run_in_threadpool(save_places, console, viewer, data, [], "place.retire")
        if result.errors:
            return place_page(request, viewer, place_id, entry, result, status_code=422)
        return redirect(f"/console/places/{place_id}?saved={result.revision_id or 0}")

    @api.post("/console/places/{place_id}/closures")
    async def closure(request: Request, place_id: str, viewer: StaffViewer) -> Response:
        form = await request.form()
        data = await run_in_threadpool(_document, console)
        entry = find_entry(data, place_id)
        if entry is None:
            raise ConsoleForbidden(NO_SUCH_PLACE, 404)
        today = local(console.now()).date()
        known = console.deps.library().texts.catalogue.codes
        reason = {lang: clean_text(str(form.get(f"reason_{lang}") or "")).strip() for lang in known}
        reason = {lang: text for lang, text in reason.items() if text}
        try:
            if form.get("today"):
                start = end = today
            else:
                start = date.fromisoformat(str(form.get("start") or ""))
                end = date.fromisoformat(str(form.get("end") or form.get("start") or ""))
        except ValueError:
            return place_page(request, viewer, place_id, entry, None, 422, "Schrijf de datums zoals 2026-12-24.")
        problem = _closure_problem(start, end, today)
        if problem:
            return place_page(request, viewer, place_id, entry, None, 422, problem)
        notify = form.get("notify_followers") == "1"
        await run_in_threadpool(lambda: add_closure(console, viewer, place_id, start, end, reason, notify=notify))
        return redirect(f"/console/places/{place_id}")

    @api.post("/console/places/closures/{closure_id}/delete")
    def delete_closure(closure_id: int, viewer: StaffViewer) -> Response:
        now = console.now()
        with transaction(console.deps.db) as session:
            row = place_closures.closure_by_id(session, closure_id)
            if row is None:
                raise ConsoleForbidden("Deze sluiting bestaat niet (meer).", 404)
            place_id = row.place_id
            audit(session, viewer.email, "closure.delete", f"place:{place_id} {row.start}..{row.end}", now)
            place_closures.delete_closure(session, row)
        refresh_live(console.deps)
        return redirect(f"/console/places/{place_id}")


def _closure_problem(start: date, end: date, today: date) -> str:
    if end < start:
        return "De laatste dag ligt vóór de eerste dag."
    if end < today:
        return "Die sluiting is al voorbij."
    if (end - start).days > MAX_CLOSURE_DAYS:
        return "Een sluiting duurt hoogstens een jaar. Zet het Digipunt anders stop."
    return ""
