"""The handoff jobs on due and not-due rows; each is harmless when run twice."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from bot.crons import announce_tickets, close_idle_tickets, purge_retention, remind_call_again
from bot.runtime import Deps
from handoff import inbox
from handoff.organisations import parse_organisations
from storage.db import transaction
from storage.models import Message, Ticket, TicketEvent
from tests.conftest import BRUSSELS, Clock
from tests.handoff.conftest import conversation_state, make_user, open_ticket_by_chat, outbox, ticket
from tests.transcript import say


def at(hour: int, minute: int = 0, day: int = 26) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=BRUSSELS)


def test_announce_then_reannounce_only_in_helpdesk_time(hours_deps: Deps, clock: Clock) -> None:
    clock.now = at(16, 50)
    code = open_ticket_by_chat(hours_deps)
    assert announce_tickets.run(hours_deps, at(16, 50)) == {"announced": 1, "reannounced": 0, "rerouted": 0}
    assert announce_tickets.run(hours_deps, at(16, 50))["announced"] == 0
    # 17:30: only 10 helpdesk minutes have passed (BEEGO closes at 17:00)
    assert announce_tickets.run(hours_deps, at(17, 30)) == {"announced": 0, "reannounced": 0, "rerouted": 0}
    assert announce_tickets.run(hours_deps, at(9, 25, day=27)) == {"announced": 0, "reannounced": 1, "rerouted": 0}
    rows = outbox(hours_deps, "ticket_announcement")
    assert len(rows) == 2 and rows[1].body["text"].startswith(f"Nog niemand heeft vraag {code}")
    assert ticket(hours_deps, code).announce_count == 2


def test_reroute_after_waiting_too_long_records_why(hours_deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(hours_deps)
    announce_tickets.run(hours_deps, at(10, 30))
    assert announce_tickets.run(hours_deps, at(11, 1))["reannounced"] == 1
    assert announce_tickets.run(hours_deps, at(12, 29))["rerouted"] == 0
    assert announce_tickets.run(hours_deps, at(12, 31))["rerouted"] == 1
    row = ticket(hours_deps, code)
    assert row.organisation == "digidak"
    assert "unclaimed at beego for 121 helpdesk minutes" in row.routing_reason
    assert "nobody open now; first to open" in row.routing_reason
    last = outbox(hours_deps, "ticket_announcement")[-1]
    assert (last.channel, last.address) == ("sms", "+32470998877")
    assert last.body["text"].startswith(f"Vraag {code} (nl) komt naar jullie")
    # digidak is the last one: no ping-pong back to beego
    assert announce_tickets.run(hours_deps, at(16, 0, day=27))["rerouted"] == 0
    assert ticket(hours_deps, code).organisation == "digidak"
    with Session(hours_deps.db) as session:
        kinds = [e.kind for e in session.exec(select(TicketEvent).order_by(col(TicketEvent.id)))]
    assert kinds.count("rerouted") == 1


def test_a_ticket_at_an_inactive_organisation_moves_at_once(hours_deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(hours_deps)
    orgs = parse_organisations("""
organisations:
  - {id: beego, name: BEEGO, active: false}
  - {id: digidak, name: Digidak, languages: [nl]}
""")
    hours_deps.organisations = lambda: orgs
    assert announce_tickets.run(hours_deps, at(10, 31))["rerouted"] == 1
    row = ticket(hours_deps, code)
    assert row.organisation == "digidak" and row.routing_reason.startswith("beego is not active")


def test_claimed_tickets_are_not_announced(hours_deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(hours_deps)
    sara = make_user(hours_deps, "sara@beego.be", organisation="beego")
    with transaction(hours_deps.db) as session:
        inbox.claim(session, sara, code, clock.now)
    assert announce_tickets.run(hours_deps, at(15, 0)) == {"announced": 0, "reannounced": 0, "rerouted": 0}


def test_call_again_reminder_when_due_only_once(hours_deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(hours_deps)
    sara = make_user(hours_deps, "sara@beego.be", organisation="beego", telegram_user_id=31)
    with transaction(hours_deps.db) as session:
        inbox.record_outcome(session, sara, code, "call_again", None, at(14, 0), clock.now)
    assert remind_call_again.run(hours_deps, at(13, 59)) == {"reminded": 0, "sent": 0}
    assert remind_call_again.run(hours_deps, at(14, 1)) == {"reminded": 1, "sent": 1}
    assert remind_call_again.run(hours_deps, at(14, 2)) == {"reminded": 0, "sent": 0}
    rows = outbox(hours_deps, "call_again_reminder")
    assert [(r.channel, r.address) for r in rows] == [("telegram", "31")]
    assert "14:00" in rows[0].body["text"] and code in rows[0].body["text"]
    # a new call-again time gets a new reminder
    with transaction(hours_deps.db) as session:
        inbox.record_outcome(session, sara, code, "call_again", None, at(16, 0), at(14, 5))
    assert remind_call_again.run(hours_deps, at(16, 0))["reminded"] == 1


def test_idle_tickets_are_closed_and_the_resident_told(deps: Deps, clock: Clock) -> None:
    old = open_ticket_by_chat(deps, "+32470000201")
    clock.now = at(10, 30, day=30)
    recent = open_ticket_by_chat(deps, "+32470000202")
    now = at(11, 0) + timedelta(days=7, minutes=1)
    assert close_idle_tickets.run(deps, now) == {"closed": 1, "told": 1}
    assert close_idle_tickets.run(deps, now) == {"closed": 0, "told": 0}
    assert ticket(deps, old).status == "closed" and ticket(deps, old).outcome == "idle"
    assert ticket(deps, recent).status == "open"
    told = outbox(deps, "ticket_closed_idle")
    assert told[0].address == "+32470000201"
    assert told[0].body["text"] == f"Je vraag {old} is afgesloten omdat het lang stil was. Nog hulp nodig? Stuur HULP."
    assert conversation_state(deps, "+32470000201")["ticket"] is None


def test_idle_close_says_nothing_to_a_resident_who_sent_stop(deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(deps)
    say(deps, "sms", "+32470123456", "STOP")
    assert close_idle_tickets.run(deps, clock.now + timedelta(days=8)) == {"closed": 1, "told": 0}
    assert ticket(deps, code).status == "closed"
    assert outbox(deps) == []


def test_purge_retention_wipes_old_transcripts_numbers_and_messages(deps: Deps, clock: Clock) -> None:
    staff = make_user(deps, "staff@stad.gent", role="staff", organisation=None)
    old = open_ticket_by_chat(deps, "+32470000301")
    with transaction(deps.db) as session:
        inbox.close(session, staff, old, clock.now, outcome="solved")
    clock.now = at(10, 30, day=26) + timedelta(days=20)
    recent = open_ticket_by_chat(deps, "+32470000302")
    with transaction(deps.db) as session:
        inbox.close(session, staff, recent, clock.now, outcome="solved")
    now = at(10, 30) + timedelta(days=deps.settings.retention_days, hours=1)
    counts = purge_retention.run(deps, now)
    assert counts["tickets_purged"] == 1 and counts["messages_deleted"] == 6  # 3 messages and 3 replies
    gone = ticket(deps, old)
    assert gone.transcript == [] and gone.callback_number is None and gone.purged_at is not None
    kept = ticket(deps, recent)
    assert kept.transcript and kept.callback_number == "+32470000302"
    with Session(deps.db) as session:
        assert all(m.created_at > now - timedelta(days=deps.settings.retention_days)
                   for m in session.exec(select(Message)))
        assert session.exec(select(Message)).first() is not None
    assert purge_retention.run(deps, now) == {
        "tickets_purged": 0, "messages_deleted": 0, "unmatched_deleted": 0, "dead_letters_deleted": 0,
        "outbox_deleted": 0, "bookings_purged": 0,
    }
    assert isinstance(ticket(deps, old), Ticket)
