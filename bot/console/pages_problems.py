"""Console page "Problems": messages that made digibuur fail (dead letters) and outgoing messages that failed."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from bot.console.auth import audit
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from storage import problems
from storage.db import read_session, transaction

PAGE_SIZE = 100


def add_problem_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    @api.get("/console/problems")
    def problems_page(request: Request, viewer: StaffViewer) -> Response:
        with read_session(console.deps.db) as session:
            letters = problems.open_dead_letters(session, PAGE_SIZE)
            failed = problems.failed_outbox(session, PAGE_SIZE)
        return console.render(request, "problems.html", viewer=viewer, letters=letters, failed=failed)

    @api.post("/console/problems/dead-letters/{letter_id}/resolve")
    def resolve(letter_id: int, viewer: StaffViewer) -> Response:
        with transaction(console.deps.db) as session:
            if not problems.resolve_dead_letter(session, letter_id):
                raise ConsoleForbidden("Dit probleem bestaat niet (meer).", 404)
            audit(session, viewer.email, "dead_letter.resolved", f"dead_letter:{letter_id}", console.now())
        return redirect("/console/problems")
