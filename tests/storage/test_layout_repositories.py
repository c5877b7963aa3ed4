"""The repositories the CLI and the live-content cache read through, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import listings
from storage.content_revisions import content_key
from storage.db import make_engine, read_session, transaction
from storage.migrate import upgrade
from storage.models import ContentRevision, Outbox, PlaceClosure, Ticket, User
from storage.place_closures import closures as place_closures
from storage.types import utcnow
from storage.user_admin import all_users, deactivate
from tests.conftest import new_database_url

BACKENDS = ["sqlite", "postgres"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_listings_content_key_and_accounts(tmp_path: Path, backend: str) -> None:
    url = new_database_url(tmp_path, backend)
    upgrade(url)
    engine = make_engine(url)
    try:
        with read_session(engine) as session:
            assert content_key(session) == (0, 0, 0)
            assert listings.tickets(session) == [] and listings.outbox(session) == []
        with transaction(engine) as session:
            session.add(Ticket(code="T-1", organisation="beego"))
            session.add(Ticket(code="T-2", organisation="beego", status="closed"))
            session.add(Outbox(channel="sms", address="+32470000001", body={"text": "a"}))
            session.add(Outbox(channel="sms", address="+32470000002", body={"text": "b"}, status="sent"))
            session.add(ContentRevision(kind="texts", key="nl.yaml", body="x", author="a", created_at=utcnow()))
            session.add(PlaceClosure(place_id="p", start="2026-12-24", end="2026-12-26", reason={"nl": "kerst"}))
            session.add(User(email="b@example.org", password_hash="x", role="staff"))
            session.add(User(email="a@example.org", password_hash="x", role="admin"))
        with read_session(engine) as session:
            assert [t.code for t in listings.tickets(session)] == ["T-1", "T-2"]
            assert [t.code for t in listings.tickets(session, "closed")] == ["T-2"]
            assert [o.address for o in listings.outbox(session)] == ["+32470000002", "+32470000001"]
            assert [o.status for o in listings.outbox(session, "pending")] == ["pending"]
            top, closure_top, closures = content_key(session)
            assert top >= 1 and closure_top >= 1 and closures == 1
            assert [c.place_id for c in place_closures(session)] == ["p"]
            assert [u.email for u in all_users(session)] == ["a@example.org", "b@example.org"]
        with transaction(engine) as session:
            deactivate(session, next(u for u in all_users(session) if u.email == "b@example.org"))
        with read_session(engine) as session:
            assert [u.active for u in all_users(session)] == [True, False]
    finally:
        engine.dispose()
