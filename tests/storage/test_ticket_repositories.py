"""The ticket repositories on both databases: find, claim/release/close races, events, the job scans, the
notify choices, the satisfaction rows, telegram links and conversation states."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import (
    booking_reminders,
    broadcast_runs,
    conversation_states,
    satisfaction,
    telegram_links,
    ticket_notifications,
    tickets,
)
from storage.db import make_engine, transaction
from storage.enums import TicketOutcome, TicketStatus
from storage.models import Contact, Conversation, Outbox, Ticket, TicketEvent, User
from storage.queries import enqueue
from storage.session import Engine
from tests.conftest import new_database_url

BACKENDS = ["sqlite", "postgres"]
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    built = make_engine(new_database_url(tmp_path, backend=str(request.param)), pool_size=8)
    yield built
    built.dispose()


def _contact(engine: Engine, address: str = "+32470111111") -> int:
    with transaction(engine) as session:
        contact = Contact(channel="sms", address=address, stats_key="k", language="nl")
        session.add(contact)
        session.flush()
        assert contact.id is not None
        session.add(Conversation(contact_id=contact.id, state={"flow": "x"}, updated_at=NOW - timedelta(hours=2)))
        return contact.id


def _ticket(engine: Engine, code: str, contact_id: int | None = None, **fields: object) -> int:
    values: dict[str, object] = {"organisation": "beego", "created_at": NOW, "last_activity_at": NOW, **fields}
    with transaction(engine) as session:
        ticket = tickets.create(session, code=code, contact_id=contact_id, **values)
        assert ticket.id is not None
        tickets.add_event(session, ticket.id, "opened", "beego: test", "digibuur", NOW)
        return ticket.id


def _user(engine: Engine, email: str, **fields: object) -> int:
    with transaction(engine) as session:
        user = User(email=email, name=email.split("@")[0], password_hash="x", role="helper", organisation="beego",
                    **fields)
        session.add(user)
        session.flush()
        assert user.id is not None
        return user.id


def test_find_and_count(engine: Engine) -> None:
    contact_id = _contact(engine)
    _ticket(engine, "T-1000", contact_id, status=TicketStatus.CLOSED)
    newest = _ticket(engine, "T-1001", contact_id)
    _ticket(engine, "T-1002", None, test=True)
    _ticket(engine, "T-1003", None, organisation="digidak", status=TicketStatus.CLAIMED)
    with transaction(engine) as session:
        assert tickets.code_taken(session, "T-1000") and not tickets.code_taken(session, "T-9999")
        found = tickets.by_code(session, "T-1001", lock=True, fresh=True)
        assert found is not None and found.id == newest and found.status == "open"
        assert tickets.open_for_contact(session, contact_id) is not None
        latest = tickets.latest_for_contact(session, contact_id)
        assert latest is not None and latest.code == "T-1001"
        old = tickets.latest_for_contact(session, contact_id, "T-1000")
        assert old is not None and old.status == TicketStatus.CLOSED
        assert tickets.latest_for_contact(session, contact_id, "") is None
        assert tickets.open_counts(session) == {"beego": 1, "digidak": 1}  # test tickets do not count
        resident = tickets.resident(session, old)
        assert resident is not None and resident.address == "+32470111111"
        assert [e.kind for e in tickets.events(session, newest)] == ["opened"]
        assert tickets.events(session, newest, ("rerouted",)) == []


def test_for_inbox_filters(engine: Engine) -> None:
    helper = _user(engine, "sara@beego.be")
    _ticket(engine, "T-2000")
    _ticket(engine, "T-2001", status=TicketStatus.CLAIMED, claimed_by=helper)
    _ticket(engine, "T-2002", organisation="digidak")
    _ticket(engine, "T-2003", test=True)
    with transaction(engine) as session:
        codes = [t.code for t in tickets.for_inbox(session, organisation=None, test=False)]
        assert codes == ["T-2002", "T-2001", "T-2000"]
        assert [t.code for t in tickets.for_inbox(session, organisation="beego", test=False,
                                                  status=TicketStatus.OPEN)] == ["T-2000"]
        assert [t.code for t in tickets.for_inbox(session, organisation=None, test=False, mine=True,
                                                  claimed_by=helper)] == ["T-2001"]
        assert [t.code for t in tickets.for_inbox(session, organisation=None, test=True)] == ["T-2003"]
        assert len(tickets.for_inbox(session, organisation=None, test=False, limit=1)) == 1


def test_claim_release_close(engine: Engine) -> None:
    ticket_id = _ticket(engine, "T-3000")
    helper = _user(engine, "tom@beego.be")
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        assert tickets.claim(session, ticket, user_id=helper, name="Tom " * 50, now=NOW + timedelta(minutes=1))
        assert ticket.status == TicketStatus.CLAIMED and ticket.claimed_by == helper
        assert ticket.claimed_by_name is not None and len(ticket.claimed_by_name) == 120
        assert not tickets.claim(session, ticket, user_id=helper, name="again", now=NOW)
        claimer = tickets.claimer(session, ticket)
        assert claimer is not None and claimer.id == helper
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        assert tickets.release(session, ticket, NOW + timedelta(minutes=2))
        assert ticket.status == TicketStatus.OPEN and ticket.claimed_by is None and ticket.announce_count == 0
        assert not tickets.release(session, ticket, NOW)
    later = NOW + timedelta(minutes=3)
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        tickets.close(session, ticket, now=later, actor="Tom", outcome=TicketOutcome.SOLVED)
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        assert (ticket.status, ticket.outcome, ticket.closed_at, ticket.last_activity_at) == (
            "closed", "solved", later, later)
        closed = tickets.events(session, ticket_id, ("closed",))
        assert [(e.text, e.actor) for e in closed] == [("solved", "Tom")]


def test_close_without_touch_keeps_activity_and_takes_the_text(engine: Engine) -> None:
    ticket_id = _ticket(engine, "T-3100", outcome="no_answer")
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        tickets.close(session, ticket, now=NOW + timedelta(days=9), actor="digibuur",
                      outcome=ticket.outcome or TicketOutcome.IDLE, text="idle", touch=False)
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        assert ticket.outcome == "no_answer" and ticket.last_activity_at == NOW
        assert [e.text for e in tickets.events(session, ticket_id, ("closed",))] == ["idle"]


def test_simultaneous_claims_one_winner(engine: Engine) -> None:
    ticket_id = _ticket(engine, "T-4000")
    users = [_user(engine, f"h{i}@beego.be") for i in range(6)]
    barrier = threading.Barrier(len(users))
    results: dict[int, bool] = {}
    errors: list[BaseException] = []

    def press(user_id: int) -> None:
        try:
            barrier.wait()
            with transaction(engine) as session:
                ticket = tickets.by_id(session, ticket_id)
                assert ticket is not None
                results[user_id] = tickets.claim(session, ticket, user_id=user_id, name=str(user_id), now=NOW)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    winners = [u for u, won in results.items() if won]
    assert len(results) == len(users) and len(winners) == 1
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None and ticket.claimed_by == winners[0]


def test_job_scans(engine: Engine) -> None:
    helper = _user(engine, "ann@beego.be")
    open_id = _ticket(engine, "T-5000", created_at=NOW - timedelta(days=3))
    _ticket(engine, "T-5001", test=True)
    idle = _ticket(engine, "T-5002", status=TicketStatus.CLAIMED, claimed_by=helper,
                   last_activity_at=NOW - timedelta(days=10), call_again_at=NOW - timedelta(days=8))
    _ticket(engine, "T-5003", status=TicketStatus.CLAIMED, claimed_by=helper, last_activity_at=NOW - timedelta(days=10),
            call_again_at=NOW + timedelta(days=1))
    with transaction(engine) as session:
        assert tickets.open_ids(session) == [open_id]
        locked = tickets.lock_open(session, open_id)
        assert locked is not None and locked.code == "T-5000"
        assert tickets.lock_open(session, idle) is None
        assert tickets.idle_ids(session, NOW - timedelta(days=7)) == [idle]
        assert [t.code for t in tickets.due_call_again(session, NOW)] == ["T-5002"]
        assert [t.code for t in tickets.opened_since(session, NOW - timedelta(hours=1))] == ["T-5002", "T-5003"]
        assert [t.code for t in tickets.waiting_before(session, NOW - timedelta(days=1))] == ["T-5000"]


def test_notify_choices_and_queued_mails(engine: Engine) -> None:
    helper = _user(engine, "lies@beego.be")
    _user(engine, "gone@beego.be", active=False)
    with transaction(engine) as session:
        assert ticket_notifications.organisation_choice(session, "beego") is None
        ticket_notifications.save_choice(session, "beego", None, email="team@beego.be", mode="digest", now=NOW)
        ticket_notifications.save_choice(session, "beego", helper, email="", mode="none", now=NOW)
    with transaction(engine) as session:
        ticket_notifications.save_choice(session, "beego", None, email="desk@beego.be", mode="each", now=NOW)
    with transaction(engine) as session:
        own = ticket_notifications.organisation_choice(session, "beego")
        assert own is not None and (own.email, own.mode) == ("desk@beego.be", "each")
        assert list(ticket_notifications.helper_choices(session, "beego")) == [helper]
        assert [u.id for u in ticket_notifications.active_helpers(session, "beego")] == [helper]
        row = enqueue(session, "email", "desk@beego.be", {"day": "2026-11-26"}, purpose="ticket_mail:T-1")
        assert ticket_notifications.queued(session, "ticket_mail:T-1")
        assert not ticket_notifications.queued(session, "ticket_mail:T-1", sent_only=True)
        row.status = "sent"
        session.add(row)
        session.flush()
        assert ticket_notifications.queued(session, "ticket_mail:T-1", sent_only=True)
        assert ticket_notifications.bodies(session, "ticket_mail:T-1", "desk@beego.be") == [{"day": "2026-11-26"}]
        assert ticket_notifications.bodies(session, "ticket_mail:T-1", "other@beego.be") == []


def test_satisfaction_rows(engine: Engine) -> None:
    contact_id = _contact(engine)
    solved = _ticket(engine, "T-6000", contact_id, status=TicketStatus.CLOSED, outcome="solved", closed_at=NOW)
    _ticket(engine, "T-6001", contact_id, status=TicketStatus.CLOSED, outcome="referred", closed_at=NOW)
    _ticket(engine, "T-6002", None, status=TicketStatus.CLOSED, outcome="solved", closed_at=NOW)
    with transaction(engine) as session:
        found = satisfaction.solved_unasked(session)
        assert [t.id for t in found] == [solved]
        satisfaction.plan(session, found[0], NOW + timedelta(hours=20))
    with transaction(engine) as session:
        assert satisfaction.solved_unasked(session) == []
        assert satisfaction.due(session, NOW) == []
        rows = satisfaction.due(session, NOW + timedelta(days=1))
        assert len(rows) == 1
        contact = satisfaction.contact(session, rows[0])
        assert contact is not None and contact.id == contact_id
        rows[0].status = "asked"
        satisfaction.save(session, rows[0])
    with transaction(engine) as session:
        assert satisfaction.due(session, NOW + timedelta(days=1)) == []


def test_telegram_links(engine: Engine) -> None:
    first = _user(engine, "a@beego.be", telegram_user_id=77)
    second = _user(engine, "b@beego.be", telegram_link_code="digest")
    with transaction(engine) as session:
        linked = telegram_links.by_telegram_user(session, 77)
        assert linked is not None and linked.id == first
        user = telegram_links.by_link_code(session, "digest")
        assert user is not None and user.id == second
        telegram_links.unlink_others(session, 77, second)
        user.telegram_user_id = 77
        telegram_links.save(session, user)
    with transaction(engine) as session:
        now_linked = telegram_links.by_telegram_user(session, 77)
        assert now_linked is not None and now_linked.id == second
        assert telegram_links.by_link_code(session, "nothing") is None


def test_conversation_states(engine: Engine) -> None:
    contact_id = _contact(engine)
    with transaction(engine) as session:
        assert conversation_states.find(session, contact_id + 1) is None
        assert [c.contact_id for c in conversation_states.idle_since(session, NOW)] == [contact_id]
        assert conversation_states.idle_since(session, NOW - timedelta(days=1)) == []
        locked = conversation_states.lock(session, contact_id, fresh=True)
        assert locked is not None and locked.state == {"flow": "x"}
        conversation_states.save_state(session, locked, {"flow": ""}, NOW)
    with transaction(engine) as session:
        found = conversation_states.find(session, contact_id)
        assert found is not None and found.state == {"flow": ""} and found.updated_at == NOW


def test_empty_job_scans(engine: Engine) -> None:
    with transaction(engine) as session:
        assert broadcast_runs.due(session, NOW) == []
        assert booking_reminders.open_slots_after(session, NOW) == []
        assert booking_reminders.upcoming(session, NOW, timedelta(days=2)) == []
        assert session.get(Outbox, 1) is None and session.get(TicketEvent, 1) is None
        assert session.get(Ticket, 1) is None


def test_outcome_announce_and_reroute(engine: Engine) -> None:
    ticket_id = _ticket(engine, "T-7000", note="old note")
    again = NOW + timedelta(days=1)
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        tickets.log_outcome(session, ticket, outcome=TicketOutcome.CALL_AGAIN, note=None, call_again_at=again,
                            detail=f"call_again {again.isoformat()}", actor="Sara", now=NOW)
        tickets.mark_announced(session, ticket, NOW)
        tickets.mark_announced(session, ticket, NOW)
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        assert (ticket.outcome, ticket.note, ticket.call_again_at, ticket.announce_count) == (
            "call_again", "old note", again, 2)
        tickets.reroute(session, ticket, "digidak", "why; then digidak: speaks fr", "beego -> digidak: why", NOW)
    with transaction(engine) as session:
        ticket = tickets.by_id(session, ticket_id)
        assert ticket is not None
        assert (ticket.organisation, ticket.announce_count, ticket.announced_at) == ("digidak", 0, None)
        assert [(e.kind, e.text) for e in tickets.events(session, ticket_id)] == [
            ("opened", "beego: test"),
            ("outcome", f"call_again {again.isoformat()}"),
            ("rerouted", "beego -> digidak: why"),
        ]
