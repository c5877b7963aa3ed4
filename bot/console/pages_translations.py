"""Console pages for translations: what is still a draft per language; a reviewer marks texts reviewed or corrects."""

from collections.abc import Callable
from typing import Annotated

import yaml
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from bot.console.auth import audit
from bot.console.revisions import current_text
from bot.console.saving import Issue, SaveResult, save_content
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from bot.content.reviews import KINDS, ReviewItem, review_items, states, summaries, text_hash
from bot.content.sms_budget import segments_as_sent
from bot.content_base.yamlio import compose_yaml
from storage.db import read_session, transaction
from storage.reviews import add_review, latest_reviews

SHOWN = ("draft", "all")


def set_sentence(yaml_text: str, key: str, value: str) -> str:
    """The texts file with one sentence replaced (double-quoted); comments and the other lines stay."""
    root = compose_yaml(yaml_text)
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
                start, end = value_node.start_mark.index, value_node.end_mark.index
                original = yaml_text[start:end]
                trailing = original[len(original.rstrip()):]
                return yaml_text[:start] + _quoted(value) + trailing + yaml_text[end:]
    return yaml_text.rstrip("\n") + f"\n{key}: {_quoted(value)}\n"


def _quoted(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=10_000)
    return dumped.strip().removesuffix("...").strip()


def _items(console: Console, language: str, kind: str) -> list[ReviewItem]:
    return [item for item in review_items(console.deps.library(), language) if item.kind == kind]


def review(
    console: Console, viewer: Viewer, language: str, kind: str, key: str, status: str, text: str | None
) -> SaveResult:
    """Mark one item reviewed (after saving a corrected text, for a sentence) or back to draft."""
    items = {item.key: item for item in _items(console, language, kind)}
    item = items.get(key)
    if item is None:
        return SaveResult(errors=[Issue("error", f"'{key}' bestaat niet (meer) in {language}")])
    result = SaveResult()
    current = item.text
    if kind == "text" and text is not None and text.replace("\r\n", "\n").strip() != item.text.strip():
        corrected = text.replace("\r\n", "\n").strip()
        file_key = f"{language}.yaml"
        with read_session(console.deps.db) as session:
            body = current_text(session, console.deps.settings.content, "texts", file_key).body
        if body is None:
            return SaveResult(errors=[Issue("error", f"texts/{file_key} bestaat niet")])
        result = save_content(console, viewer, "texts", file_key, set_sentence(body, key, corrected),
                              action="texts.correct", comment=f"vertaling {key} ({language}) verbeterd")
        if result.errors:
            return result
        current = corrected
    with transaction(console.deps.db) as session:
        add_review(session, (kind, key, language), status=status, text_hash=text_hash(current),
                   reviewer=viewer.email, now=console.now())
        audit(session, viewer.email, f"translation.{status}", f"{kind}:{key} ({language})", console.now())
    return result


def add_translation_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    @api.get("/console/translations")
    def overview(request: Request, viewer: StaffViewer) -> Response:
        library = console.deps.library()
        with read_session(console.deps.db) as session:
            latest = latest_reviews(session)
        return console.render(
            request,
            "translations.html",
            viewer=viewer,
            summaries=summaries(library, latest),
            offer_drafts=console.settings.offer_draft_languages,
            offered=library.texts.languages,
        )

    def page(
        request: Request,
        viewer: Viewer,
        language: str,
        kind: str,
        show: str,
        result: SaveResult | None = None,
        status_code: int = 200,
    ) -> Response:
        library = console.deps.library()
        catalogue = library.texts.catalogue
        found = catalogue.get(language)
        if found is None or language == catalogue.source:
            raise ConsoleForbidden("Kies een taal uit de lijst (niet de brontaal).", 404)
        kind = kind if kind in KINDS else "text"
        with read_session(console.deps.db) as session:
            latest = latest_reviews(session)
        rows = states(_items(console, language, kind), latest)
        if show != "all":
            rows = [row for row in rows if row.status == "draft"]
        policy = catalogue.sms(language)
        return console.render(
            request,
            "translation_list.html",
            status_code=status_code,
            viewer=viewer,
            language=found,
            source=catalogue.source,
            kind=kind,
            kinds=KINDS,
            show=show if show in SHOWN else "draft",
            rows=rows,
            segments=lambda text: segments_as_sent(text, policy),
            sms_max=policy.max_segments,
            result=result,
        )

    @api.get("/console/translations/{language}")
    def language_page(
        request: Request, language: str, kind: str = "text", show: str = "draft", saved: int = 0, *,
        viewer: StaffViewer,
    ) -> Response:
        result = SaveResult(revision_id=saved) if saved else None
        return page(request, viewer, language, kind, show, result)

    @api.post("/console/translations/{language}/review")
    async def review_route(request: Request, language: str, viewer: StaffViewer) -> Response:
        form = await request.form()
        kind, key = str(form.get("kind") or ""), str(form.get("key") or "")
        status = "draft" if form.get("action") == "draft" else "reviewed"
        text = form.get("text")
        show = str(form.get("show") or "draft")
        if kind not in KINDS or not key:
            raise ConsoleForbidden("Onbekende tekst.", 400)
        result = await run_in_threadpool(
            review, console, viewer, language, kind, key, status, text if isinstance(text, str) else None
        )
        if result.errors:
            return await run_in_threadpool(page, request, viewer, language, kind, show, result, 422)
        return redirect(f"/console/translations/{language}?kind={kind}&show={show}&saved={result.revision_id or 0}")
