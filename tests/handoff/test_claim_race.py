"""Two helpers pressing Claim at the same moment: exactly one wins (PostgreSQL, real threads)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from handoff import inbox
from storage.db import make_engine, transaction
from storage.models import Contact, Conversation, Outbox, Ticket, TicketEvent, User
from tests.conftest import new_database_url

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
HELPERS = 8


def _setup(url: str, with_resident: bool) -> tuple[list[User], str]:
    engine = make_engine(url)
    with transaction(engine) as session:
        contact_id = None
        if with_resident:
            contact = Contact(channel="sms", address="+32470555555", stats_key="k", language="nl")
            session.add(contact)
            session.flush()
            contact_id = contact.id
            session.add(Conversation(contact_id=contact.id or 0, state={"ticket": "T-7777"}))
        session.add(
            Ticket(code="T-7777", contact_id=contact_id, organisation="beego", created_at=NOW, last_activity_at=NOW)
        )
        users = [
            User(email=f"h{i}@beego.be", name=f"Helper {i}", password_hash="x", role="helper", organisation="beego")
            for i in range(HELPERS)
        ]
        session.add_all(users)
        session.flush()
        for user in users:
            session.refresh(user)
    engine.dispose()
    return users, "T-7777"


@pytest.mark.parametrize("with_resident", [True, False], ids=["with-resident", "anonymised-ticket"])
def test_exactly_one_of_many_simultaneous_claims_wins(tmp_path: Path, with_resident: bool) -> None:
    url = new_database_url(tmp_path, backend="postgres")
    users, code = _setup(url, with_resident)
    engine = make_engine(url, pool_size=HELPERS)
    barrier = threading.Barrier(HELPERS)
    results: dict[int, bool] = {}
    errors: list[BaseException] = []

    def press(user: User) -> None:
        try:
            barrier.wait()
            with transaction(engine) as session:
                results[user.id or 0] = inbox.claim(session, user, code, NOW)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    winners = [uid for uid, won in results.items() if won]
    assert len(results) == HELPERS
    assert len(winners) == 1
    with Session(engine) as session:
        row = session.exec(select(Ticket).where(Ticket.code == code)).one()
        assert row.status == "claimed" and row.claimed_by == winners[0]
        claimed_events = session.exec(select(TicketEvent).where(TicketEvent.kind == "claimed")).all()
        assert len(claimed_events) == 1
        notices = session.exec(select(Outbox).where(col(Outbox.purpose) == "ticket_claimed")).all()
        assert len(notices) == (1 if with_resident else 0)
        if with_resident:
            state = session.exec(select(Conversation)).one().state
            assert state["ticket_claimed"] is True
    engine.dispose()
