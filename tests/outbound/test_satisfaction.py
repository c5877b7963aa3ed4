"""The one question after a handoff: due the next morning in the organisation's hours, once per ticket, never to
opted-out residents, never in the middle of a flow; the answer and an optional comment are kept."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.crons import ask_satisfaction
from bot.runtime import Deps
from handoff.organisations import parse_organisations
from handoff.satisfaction import due_moment
from storage.db import transaction
from storage.models import Contact, Outbox, Satisfaction, Ticket
from tests.conftest import BRUSSELS, Clock
from tests.transcript import say

RESIDENT = "+32470776655"
ORGS = parse_organisations("""
spec_version: 1
organisations:
  - id: beego
    name: BEEGO
    hours: "Mo-Fr 10:00-16:00; PH off"
    languages: [nl, en, fr]
    notify: inbox
  - id: digidak
    name: Digidak
    hours: "Mo-Fr 10:00-16:00; PH off"
    languages: [nl, en, fr]
    notify: inbox
""")


def close_as(deps: Deps, outcome: str, address: str = RESIDENT) -> str:
    for text in ("iemand spreken", "1", "1", "1"):
        say(deps, "sms", address, text)
    with transaction(deps.db) as session:
        ticket = session.exec(select(Ticket).order_by(Ticket.id.desc())).first()  # type: ignore[union-attr]
        assert ticket is not None
        ticket.status, ticket.outcome, ticket.closed_at = "closed", outcome, deps.clock()
        session.add(ticket)
        return ticket.code


def rows(deps: Deps) -> list[Satisfaction]:
    with Session(deps.db) as session:
        return list(session.exec(select(Satisfaction)))


def questions(deps: Deps) -> list[Outbox]:
    with Session(deps.db) as session:
        return list(session.exec(select(Outbox).where(Outbox.purpose == "satisfaction")))


def test_due_moment_is_the_next_morning_in_the_hours() -> None:
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=BRUSSELS)
    assert due_moment(ORGS[0], friday_evening, "Europe/Brussels") == datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)
    assert due_moment(None, friday_evening, "Europe/Brussels") == datetime(2026, 11, 28, 9, 0, tzinfo=BRUSSELS)


def test_asked_next_morning_once_answer_and_comment_kept(deps: Deps, clock: Clock) -> None:
    deps.organisations = lambda: ORGS
    close_as(deps, "solved")
    close_as(deps, "no_answer", "+32470776656")  # not closed as helped: never asked
    assert ask_satisfaction.run(deps, clock.now) == {"planned": 1, "asked": 0, "skipped": 0, "later": 0}
    clock.now = datetime(2026, 11, 27, 9, 30, tzinfo=BRUSSELS)  # next morning, before the organisation opens
    assert ask_satisfaction.run(deps, clock.now)["asked"] == 0
    clock.now = datetime(2026, 11, 27, 10, 5, tzinfo=BRUSSELS)
    assert ask_satisfaction.run(deps, clock.now)["asked"] == 1
    [question] = questions(deps)
    assert question.body["text"] == "Een helper heeft je gebeld over je vraag. Heeft de helper je geholpen?"
    assert question.body["options"] == [["1", "Ja"], ["2", "Een beetje"], ["3", "Nee"]]
    clock.now += timedelta(days=1)
    assert ask_satisfaction.run(deps, clock.now)["asked"] == 0  # once per ticket
    thanks = say(deps, "sms", RESIDENT, "2")
    assert "Bedankt!" in thanks.joined
    say(deps, "sms", RESIDENT, "vlot en vriendelijk")
    [row] = rows(deps)
    assert (row.status, row.answer, row.comment) == ("answered", 2, "vlot en vriendelijk")


def test_never_to_opted_out_and_not_during_a_flow(deps: Deps, clock: Clock) -> None:
    deps.organisations = lambda: ORGS
    close_as(deps, "solved")
    close_as(deps, "solved", "+32470776657")
    with transaction(deps.db) as session:
        contact = session.exec(select(Contact).where(Contact.address == RESIDENT)).one()
        contact.opted_out = True
        session.add(contact)
    clock.now = datetime(2026, 11, 27, 10, 5, tzinfo=BRUSSELS)
    say(deps, "sms", "+32470776657", "wifi")  # busy in a menu right now
    counts = ask_satisfaction.run(deps, clock.now)
    assert (counts["skipped"], counts["asked"], counts["later"]) == (1, 0, 1)
    clock.now += timedelta(hours=1, minutes=5)
    assert ask_satisfaction.run(deps, clock.now)["asked"] == 1
    assert [q.address for q in questions(deps)] == ["+32470776657"]


def test_simulator_tickets_are_never_asked(deps: Deps, clock: Clock) -> None:
    deps.organisations = lambda: ORGS
    close_as(deps, "solved")
    with transaction(deps.db) as session:
        for ticket in session.exec(select(Ticket)):
            ticket.test = True
            session.add(ticket)
    assert ask_satisfaction.run(deps, clock.now)["planned"] == 0


def test_dashboard_shows_subscribers_broadcasts_and_answers(deps: Deps, clock: Clock) -> None:
    from sqlmodel import Session as _Session

    from bot.console.outbound_figures import outbound_figures
    from tests.outbound.conftest import add_subscribers

    deps.organisations = lambda: ORGS
    add_subscribers(deps.db, 3, clock.now)
    add_subscribers(deps.db, 2, clock.now, kind="follow", place_id="de-krook", start=10)
    close_as(deps, "solved")
    clock.now = datetime(2026, 11, 27, 10, 5, tzinfo=BRUSSELS)
    ask_satisfaction.run(deps, clock.now)
    say(deps, "sms", RESIDENT, "1")
    with _Session(deps.db) as session:
        figures = outbound_figures(session, [clock.now.date() - timedelta(days=2), clock.now.date()], BRUSSELS)
    assert [(news, follows) for _, news, follows in figures.subscribers] == [(0, 0), (3, 2)]
    assert figures.satisfaction == [{"organisation": figures.satisfaction[0]["organisation"], "month": "2026-11",
                                     "yes": 1, "bit": 0, "no": 0, "open": 0}]
