"""Console page "Problems": messages that made digibuur fail (dead letters) and outgoing messages that failed."""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlmodel import Session, col, select

from bot.console.auth import audit
from bot.console.web import Console, ConsoleForbidden, Viewer, redirect
from storage.db import reader, transaction
from storage.models import DeadLetter, Message, Outbox

PAGE_SIZE = 100


def add_problem_routes(api: APIRouter, console: Console, staff: Callable[[Request], Viewer]) -> None:
    StaffViewer = Annotated[Viewer, Depends(staff)]

    @api.get("/console/problems")
    def problems_page(request: Request, viewer: StaffViewer) -> Response:
        with Session(reader(console.deps.db)) as session:
            letters = session.exec(
                select(DeadLetter, Message.text)
                .join(Message, col(Message.id) == col(DeadLetter.message_id), isouter=True)
                .where(DeadLetter.resolved == False)  # noqa: E712
                .order_by(col(DeadLetter.id).desc())
                .limit(PAGE_SIZE)
            ).all()
            failed = session.exec(
                select(Outbox)
                .where(col(Outbox.status).in_(("failed", "skipped")))
                .order_by(col(Outbox.id).desc())
                .limit(PAGE_SIZE)
            ).all()
        return console.render(request, "problems.html", viewer=viewer, letters=letters, failed=failed)

    @api.post("/console/problems/dead-letters/{letter_id}/resolve")
    def resolve(letter_id: int, viewer: StaffViewer) -> Response:
        with transaction(console.deps.db) as session:
            letter = session.get(DeadLetter, letter_id)
            if letter is None:
                raise ConsoleForbidden("Dit probleem bestaat niet (meer).", 404)
            letter.resolved = True
            session.add(letter)
            audit(session, viewer.email, "dead_letter.resolved", f"dead_letter:{letter_id}", console.now())
        return redirect("/console/problems")
