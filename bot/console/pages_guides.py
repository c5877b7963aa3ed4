"""Console pages for guides: list, step editor with live SMS lint and previews, YAML editor, import, export."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from bot.console.guide_editing import (
    GuideEditError,
    apply_step_texts,
    completeness,
    guide_key,
    guide_problems,
    parse_for_preview,
    previews,
    shown_languages,
    step_rows,
)
from bot.console.revisions import current_text
from bot.console.saving import Issue, SaveResult, issues_from_problems, refuse_oversized, save_content
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from guides.parse import SLUG
from storage.db import read_session

MAX_UPLOAD = 200_000


def _load_text(console: Console, guide_id: str) -> str:
    with read_session(console.deps.db) as session:
        found = current_text(session, console.deps.settings.content, "guide", guide_key(guide_id)).body
    if found is None:
        raise ConsoleForbidden(f"Er is geen stappenplan met id '{guide_id}'.", 404)
    return found


def save_guide(console: Console, viewer: Viewer, guide_id: str, text: str, comment: str = "") -> SaveResult:
    refused = refuse_oversized(console, "guide", guide_key(guide_id), text)
    if refused is not None:
        return refused
    library = console.deps.library()
    languages = library.texts.catalogue
    problems = guide_problems(guide_id, text, library.guides.frame, library.guides.guides.keys(), languages)
    return save_content(
        console,
        viewer,
        "guide",
        guide_key(guide_id),
        text,
        action="guide.save",
        issues=issues_from_problems(problems),
        comment=comment,
    )


def add_guide_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    def editor(
        request: Request,
        viewer: Viewer,
        guide_id: str,
        text: str,
        result: SaveResult | None,
        language: str,
        status_code: int = 200,
    ) -> Response:
        library = console.deps.library()
        frame = library.guides.frame
        languages = library.texts.catalogue
        guide = parse_for_preview(guide_id, text, frame, library.guides.guides.keys(), languages)
        if guide is None:
            guide = library.guides.get(guide_id)
        if guide is None:
            return yaml_editor(request, viewer, guide_id, text, result, status_code=status_code)
        return console.render(
            request,
            "guide_edit.html",
            status_code=status_code,
            viewer=viewer,
            guide=guide,
            rows=step_rows(guide, frame, languages, shown_languages(languages, language)),
            previews=previews(guide, frame, language, languages),
            language=language,
            languages=languages.languages,
            source=languages.source,
            complete=completeness(guide, languages),
            result=result,
        )

    def yaml_editor(
        request: Request, viewer: Viewer, guide_id: str, text: str, result: SaveResult | None, status_code: int = 200
    ) -> Response:
        return console.render(
            request,
            "guide_yaml.html",
            status_code=status_code,
            viewer=viewer,
            guide_id=guide_id,
            text=text,
            result=result,
        )

    @api.get("/console/guides")
    def guide_list(request: Request, viewer: StaffViewer) -> Response:
        library = console.deps.library()
        guides = sorted(library.guides.guides.values(), key=lambda g: g.id)
        return console.render(
            request, "guides.html", viewer=viewer, guides=guides, source=library.texts.catalogue.source
        )

    @api.get("/console/guides/{guide_id}")
    def guide_page(
        request: Request, guide_id: str, lang: str = "", saved: int = 0, *, viewer: StaffViewer
    ) -> Response:
        text = _load_text(console, guide_id)
        result = SaveResult(revision_id=saved) if saved else None
        return editor(request, viewer, guide_id, text, result, _chosen(lang))

    def _chosen(lang: str) -> str:
        languages = console.deps.library().texts.catalogue
        return lang if lang in languages.codes else languages.source

    @api.post("/console/guides/{guide_id}/steps")
    async def save_steps(request: Request, guide_id: str, viewer: StaffViewer) -> Response:
        form = await request.form()
        known = console.deps.library().texts.catalogue.codes
        chosen = _chosen(str(form.get("lang") or ""))
        edits: dict[tuple[str, str], str] = {}
        for name, value in form.multi_items():
            parts = name.split("__")
            if len(parts) == 3 and parts[0] == "text" and parts[2] in known and isinstance(value, str):
                edits[(parts[1], parts[2])] = value
        original = await run_in_threadpool(_load_text, console, guide_id)
        try:
            text = apply_step_texts(original, edits)
        except GuideEditError as exc:
            result = SaveResult(errors=[Issue("error", str(exc))])
            return editor(request, viewer, guide_id, original, result, chosen, status_code=422)
        result = await run_in_threadpool(save_guide, console, viewer, guide_id, text, str(form.get("comment") or ""))
        if result.errors:
            return editor(request, viewer, guide_id, text, result, chosen, status_code=422)
        return redirect(f"/console/guides/{guide_id}?lang={chosen}&saved={result.revision_id or 0}")

    @api.get("/console/guides/{guide_id}/yaml")
    def yaml_page(request: Request, guide_id: str, viewer: StaffViewer) -> Response:
        return yaml_editor(request, viewer, guide_id, _load_text(console, guide_id), None)

    @api.post("/console/guides/{guide_id}/yaml")
    async def save_yaml(request: Request, guide_id: str, viewer: StaffViewer) -> Response:
        form = await request.form()
        text = str(form.get("body") or "").replace("\r\n", "\n")
        await run_in_threadpool(_load_text, console, guide_id)
        result = await run_in_threadpool(save_guide, console, viewer, guide_id, text, str(form.get("comment") or ""))
        if result.errors:
            return yaml_editor(request, viewer, guide_id, text, result, status_code=422)
        return redirect(f"/console/guides/{guide_id}?saved={result.revision_id or 0}")

    @api.get("/console/guides/{guide_id}/export")
    def export(guide_id: str, viewer: StaffViewer) -> Response:
        text = _load_text(console, guide_id)
        return Response(
            text,
            media_type="application/yaml",
            headers={"content-disposition": f'attachment; filename="{guide_key(guide_id)}"'},
        )

    @api.post("/console/guides/import")
    async def import_guide(request: Request, viewer: StaffViewer) -> Response:
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            return console.render(
                request, "refused.html", status_code=400, viewer=viewer, reason="Kies een YAML-bestand om te uploaden."
            )
        raw = await upload.read(MAX_UPLOAD + 1)
        filename = upload.filename or ""
        guide_id = filename.rsplit("/", 1)[-1].removesuffix(".yaml")
        if len(raw) > MAX_UPLOAD or not SLUG.match(guide_id):
            return console.render(
                request,
                "refused.html",
                status_code=400,
                viewer=viewer,
                reason="Upload één bestand met als naam <id van het stappenplan>.yaml (hoogstens 200 kB).",
            )
        try:
            text = raw.decode("utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError:
            return console.render(
                request,
                "refused.html",
                status_code=400,
                viewer=viewer,
                reason="Dit bestand is geen UTF-8-tekst. Bewaar het als UTF-8 en probeer opnieuw.",
            )
        result = await run_in_threadpool(save_guide, console, viewer, guide_id, text, f"geüpload: {filename}")
        if result.errors:
            return yaml_editor(request, viewer, guide_id, text, result, status_code=422)
        return redirect(f"/console/guides/{guide_id}?saved={result.revision_id or 0}")

    @api.get("/console/guides/{guide_id}/history")
    def guide_history(guide_id: str, viewer: StaffViewer) -> Response:
        return redirect(f"/console/history/guide/{guide_key(guide_id)}")
