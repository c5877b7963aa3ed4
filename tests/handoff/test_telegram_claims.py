"""Claims from Telegram are accepted only in the organisation's own group from a linked helper of that organisation;
everything else gets the same neutral answer and changes nothing. Helpers link their Telegram with a one-time code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle
from handoff.telegram_claims import handle_claim, handle_link
from handoff.telegram_links import new_link_code
from storage.models import Ticket, TicketEvent, User
from tests.conftest import Clock
from tests.handoff.conftest import make_user, open_ticket_by_chat, outbox, ticket
from tests.transcript import say

BEEGO_GROUP = -100111
REFUSED = ("Dat kan niet. Een vraag opnemen kan alleen in de groep van je organisatie, met een gekoppeld "
           "helperaccount (helperinbox: Telegram koppelen).")


def events(deps: Deps) -> int:
    with Session(deps.db) as session:
        return len(list(session.exec(select(TicketEvent))))


@pytest.mark.parametrize(("presser", "chat"), [
    (None, BEEGO_GROUP),  # nobody linked: any Telegram user
    ("beego", -100999),  # a linked BEEGO helper, but in another chat
    ("beego", None),  # ... or a button without a chat
    ("beego", 5550001),  # ... or a private chat
    ("digidak", BEEGO_GROUP),  # a linked helper of another organisation, in BEEGO's group
    ("digidak", -1000),  # ... or in their own chat (digidak is announced by SMS)
])
def test_claims_from_the_wrong_chat_or_person_are_refused_neutrally(
    hours_deps: Deps, clock: Clock, presser: str | None, chat: int | None
) -> None:
    code = open_ticket_by_chat(hours_deps)
    if presser is not None:
        make_user(hours_deps, f"x@{presser}.be", organisation=presser, name="Eve", telegram_user_id=666)
    before = events(hours_deps)
    answer = handle_claim(hours_deps, code, 666, "Eve", clock.now, chat_id=chat)
    assert answer == REFUSED
    assert ticket(hours_deps, code).status == "open" and ticket(hours_deps, code).claimed_by_name is None
    assert events(hours_deps) == before and outbox(hours_deps, "ticket_claimed") == []


def test_the_refusal_does_not_tell_whether_a_code_exists(hours_deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(hours_deps)
    make_user(hours_deps, "eve@digidak.be", organisation="digidak", telegram_user_id=666)
    answers = {handle_claim(hours_deps, probe, who, "Eve", clock.now, chat_id=chat)
               for probe in (code, "T-0000", "T-99999", "garbage")
               for who, chat in ((666, BEEGO_GROUP), (667, BEEGO_GROUP), (666, -1))}
    assert answers == {REFUSED}
    make_user(hours_deps, "sara@beego.be", organisation="beego", telegram_user_id=77)
    assert handle_claim(hours_deps, "T-0000", 77, "Sara", clock.now, chat_id=BEEGO_GROUP) == REFUSED


def test_a_ticket_rerouted_to_another_organisation_cannot_be_claimed_from_the_old_group(
    hours_deps: Deps, clock: Clock
) -> None:
    code = open_ticket_by_chat(hours_deps)
    with Session(hours_deps.db) as session:
        row = ticket(hours_deps, code)
        row.organisation = "digidak"
        session.add(row)
        session.commit()
    make_user(hours_deps, "sara@beego.be", organisation="beego", telegram_user_id=77)
    assert handle_claim(hours_deps, code, 77, "Sara", clock.now, chat_id=BEEGO_GROUP) == REFUSED
    assert ticket(hours_deps, code).status == "open"


def test_link_with_a_one_time_code_then_claim(hours_deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(hours_deps)
    helper = make_user(hours_deps, "sara@beego.be", organisation="beego", name="Sara Peeters")
    assert handle_claim(hours_deps, code, 77, "Sara", clock.now, chat_id=BEEGO_GROUP) == REFUSED
    with Session(hours_deps.db) as session:
        user = session.get(User, helper.id)
        assert user is not None
        one_time, expires = new_link_code(session, user, clock.now)
        session.commit()
        assert len(one_time) == 8 and one_time.isdigit() and expires == clock.now + timedelta(minutes=10)
        assert user.telegram_link_code != one_time  # only a hash is stored
    assert handle_link(hours_deps, one_time, 77, clock.now) == (
        "Gekoppeld: dit Telegram-account hoort nu bij Sara Peeters (BEEGO).")
    assert handle_link(hours_deps, one_time, 78, clock.now).startswith("Deze code klopt niet")  # used up
    answer = handle_claim(hours_deps, code, 77, "Sara", clock.now, chat_id=BEEGO_GROUP)
    assert answer.startswith(f"Sara Peeters heeft vraag {code}.")


def test_wrong_or_expired_codes_link_nothing(hours_deps: Deps, clock: Clock) -> None:
    helper = make_user(hours_deps, "sara@beego.be", organisation="beego")
    with Session(hours_deps.db) as session:
        user = session.get(User, helper.id)
        assert user is not None
        one_time, _ = new_link_code(session, user, clock.now)
        session.commit()
    wrong = f"{(int(one_time) + 1) % 10**8:08d}"
    for attempt in (wrong, "", "12345", "abcdefgh"):
        assert handle_link(hours_deps, attempt, 77, clock.now).startswith("Deze code klopt niet")
    late = clock.now + timedelta(minutes=11)
    assert handle_link(hours_deps, one_time, 77, late).startswith("Deze code klopt niet")
    with Session(hours_deps.db) as session:
        user = session.get(User, helper.id)
        assert user is not None and user.telegram_user_id is None


def test_a_test_ticket_cannot_be_claimed_from_telegram(hours_deps: Deps, clock: Clock) -> None:
    for text in ("ik wil iemand spreken", "1", "1", "1"):
        handle(Inbound(Address("sms", "sim:+32470000001"), text, clock.now, test=True), hours_deps)
    with Session(hours_deps.db) as session:
        code = session.exec(select(Ticket.code)).one()
    make_user(hours_deps, "sara@beego.be", organisation="beego", telegram_user_id=77)
    assert handle_claim(hours_deps, code, 77, "Sara", clock.now, chat_id=BEEGO_GROUP) == REFUSED
    say(hours_deps, "sms", "+32470111222", "hallo")  # the service still works for real residents
