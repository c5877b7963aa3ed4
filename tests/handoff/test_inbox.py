"""The inbox domain API: scopes, permissions, claim/release, outcomes, closing, messages to the resident."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.runtime import Deps
from handoff import inbox
from storage.db import transaction
from storage.models import Ticket, User
from tests.conftest import Clock
from tests.handoff.conftest import conversation_state, make_user, open_ticket_by_chat, outbox, ticket


@pytest.fixture
def three(deps: Deps) -> dict[str, str]:
    """Two tickets for BEEGO-routed residents and one moved to Digidak."""
    codes = {
        name: open_ticket_by_chat(deps, number)
        for name, number in (("a", "+32470000101"), ("b", "+32470000102"), ("c", "+32470000103"))
    }
    with transaction(deps.db) as session:
        for name, org in (("a", "beego"), ("b", "beego"), ("c", "digidak")):
            row = session.exec(select(Ticket).where(Ticket.code == codes[name])).one()
            row.organisation = org
            session.add(row)
    return codes


def codes_of(deps: Deps, viewer: User, scope: inbox.Scope, status: str | None = None) -> set[str]:
    with Session(deps.db) as session:
        return {view.code for view in inbox.list_tickets(session, viewer=viewer, scope=scope, status=status)}


def test_a_helper_sees_only_their_organisation(deps: Deps, three: dict[str, str]) -> None:
    sara = make_user(deps, "sara@beego.be", organisation="beego")
    staff = make_user(deps, "staff@stad.gent", role="staff", organisation=None)
    assert codes_of(deps, sara, "all") == {three["a"], three["b"]}
    assert codes_of(deps, sara, "organisation") == {three["a"], three["b"]}
    assert codes_of(deps, staff, "all") == set(three.values())
    with Session(deps.db) as session:
        with pytest.raises(inbox.TicketNotFound):
            inbox.get_ticket(session, sara, three["c"])
        detail = inbox.get_ticket(session, staff, three["c"])
    assert detail.ticket.organisation_name == "Digidak"
    assert detail.ticket.callback_number == "+32470000103"
    assert detail.transcript[0].sender == "resident"
    assert detail.events[0].kind == "opened"
    assert detail.resident_reachable


def test_inactive_and_organisationless_helpers_see_nothing(deps: Deps, three: dict[str, str]) -> None:
    gone = make_user(deps, "gone@beego.be", organisation="beego", active=False)
    loose = make_user(deps, "loose@x.be", organisation=None)
    assert codes_of(deps, gone, "all") == set()
    assert codes_of(deps, loose, "all") == set()
    with Session(deps.db) as session, pytest.raises(inbox.TicketNotFound):
        inbox.get_ticket(session, gone, three["a"])


def test_scopes_unclaimed_and_mine(deps: Deps, three: dict[str, str], clock: Clock) -> None:
    sara = make_user(deps, "sara@beego.be", organisation="beego")
    tom = make_user(deps, "tom@beego.be", organisation="beego")
    with transaction(deps.db) as session:
        assert inbox.claim(session, sara, three["a"], clock.now)
    assert codes_of(deps, sara, "mine") == {three["a"]}
    assert codes_of(deps, tom, "mine") == set()
    assert codes_of(deps, tom, "unclaimed") == {three["b"]}
    assert codes_of(deps, tom, "all", status="claimed") == {three["a"]}
    with Session(deps.db) as session:
        detail = inbox.get_ticket(session, tom, three["a"])
        assert detail.can_act is False and detail.can_claim is False
        with pytest.raises(inbox.InvalidAction):
            inbox.list_tickets(session, viewer=tom, scope="everything")  # type: ignore[arg-type]


def test_only_one_claim_wins_and_the_loser_cannot_act(deps: Deps, three: dict[str, str], clock: Clock) -> None:
    sara = make_user(deps, "sara@beego.be", organisation="beego")
    tom = make_user(deps, "tom@beego.be", organisation="beego")
    with transaction(deps.db) as session:
        assert inbox.claim(session, sara, three["a"], clock.now) is True
    with transaction(deps.db) as session:
        assert inbox.claim(session, tom, three["a"], clock.now) is False
        with pytest.raises(inbox.NotAllowed):
            inbox.release(session, tom, three["a"], clock.now)
        with pytest.raises(inbox.NotAllowed):
            inbox.send_to_resident(session, tom, three["a"], "hallo", clock.now)
    assert ticket(deps, three["a"]).claimed_by == sara.id
    assert len(outbox(deps, "ticket_claimed")) == 1


def test_a_helper_cannot_claim_another_organisations_ticket(deps: Deps, three: dict[str, str], clock: Clock) -> None:
    sara = make_user(deps, "sara@beego.be", organisation="beego")
    with transaction(deps.db) as session, pytest.raises(inbox.TicketNotFound):
        inbox.claim(session, sara, three["c"], clock.now)
    assert ticket(deps, three["c"]).status == "open"


def test_release_reopens_and_clears_the_resident_forwarding(deps: Deps, three: dict[str, str], clock: Clock) -> None:
    sara = make_user(deps, "sara@beego.be", organisation="beego")
    with transaction(deps.db) as session:
        inbox.claim(session, sara, three["a"], clock.now)
    assert conversation_state(deps, "+32470000101")["ticket_claimed"] is True
    with transaction(deps.db) as session:
        assert inbox.release(session, sara, three["a"], clock.now) is True
        assert inbox.release(session, sara, three["a"], clock.now) is False
    row = ticket(deps, three["a"])
    assert (row.status, row.claimed_by, row.announced_at) == ("open", None, None)
    state = conversation_state(deps, "+32470000101")
    assert state["ticket"] == three["a"] and state["ticket_claimed"] is False


def test_outcomes(deps: Deps, three: dict[str, str], clock: Clock) -> None:
    sara = make_user(deps, "sara@beego.be", organisation="beego")
    later = clock.now + timedelta(hours=3)
    with transaction(deps.db) as session:
        with pytest.raises(inbox.InvalidAction):
            inbox.record_outcome(session, sara, three["a"], "fixed", None, None, clock.now)
        with pytest.raises(inbox.InvalidAction):
            inbox.record_outcome(session, sara, three["a"], "call_again", None, None, clock.now)
        view = inbox.record_outcome(session, sara, three["a"], "call_again", "bel na 14u", later, clock.now)
    assert view.status == "claimed" and view.claimed_by == sara.id and view.call_again_at == later
    with transaction(deps.db) as session:
        view = inbox.record_outcome(session, sara, three["a"], "no_answer", None, None, clock.now)
    assert view.status == "claimed" and view.call_again_at is None
    with transaction(deps.db) as session:
        view = inbox.record_outcome(session, sara, three["a"], "solved", "hotspot werkt", None, clock.now)
    assert view.status == "closed" and view.outcome == "solved"
    assert ticket(deps, three["a"]).note == "hotspot werkt"
    with transaction(deps.db) as session:
        with pytest.raises(inbox.InvalidAction):
            inbox.record_outcome(session, sara, three["a"], "other", None, None, clock.now)
        assert inbox.close(session, sara, three["a"], clock.now) is False


def test_send_to_resident_goes_through_the_outbox_in_their_language(
    deps: Deps, three: dict[str, str], clock: Clock
) -> None:
    sara = make_user(deps, "sara@beego.be", organisation="beego")
    with transaction(deps.db) as session:
        inbox.claim(session, sara, three["b"], clock.now)
        assert inbox.send_to_resident(session, sara, three["b"], "  Ik bel je\nom 14u ", clock.now) is True
        with pytest.raises(inbox.InvalidAction):
            inbox.send_to_resident(session, sara, three["b"], "   ", clock.now)
    rows = outbox(deps, "helper_message")
    assert len(rows) == 1
    assert rows[0].address == "+32470000102" and rows[0].channel == "sms"
    assert rows[0].body["text"].startswith("Bericht van je helper: Ik bel je om 14u")
    assert ticket(deps, three["b"]).transcript[-1] == {
        "from": "helper",
        "text": "Ik bel je om 14u",
        "at": clock.now.isoformat(),
    }
