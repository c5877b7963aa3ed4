"""Staff-entered closures of Digipunten: list, add, find, delete."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import PlaceClosure


def closures(session: Session, place_id: str | None = None) -> list[PlaceClosure]:
    """Closures by first day (of one place, or of all)."""
    query = select(PlaceClosure).order_by(col(PlaceClosure.start))
    if place_id is not None:
        query = query.where(PlaceClosure.place_id == place_id)
    return list(session.exec(query))


def add_closure(session: Session, closure: PlaceClosure) -> PlaceClosure:
    """Store a new closure and give it its id."""
    session.add(closure)
    session.flush()
    return closure


def closure_by_id(session: Session, closure_id: int) -> PlaceClosure | None:
    return session.get(PlaceClosure, closure_id)


def delete_closure(session: Session, closure: PlaceClosure) -> None:
    session.delete(closure)
