"""The resident's side of a handoff through the real service: consent, number, day, receipt, status, claim."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot.runtime import Deps
from handoff import inbox
from storage.db import transaction
from storage.models import Ticket, TicketEvent
from tests.conftest import BRUSSELS, Clock
from tests.handoff.conftest import conversation_state, make_user, open_ticket_by_chat, outbox, ticket
from tests.transcript import say


def test_sms_consent_opens_a_ticket_with_this_number(deps: Deps) -> None:
    code = open_ticket_by_chat(deps)
    row = ticket(deps, code)
    assert row.status == "open"
    assert row.callback_number == "+32470123456"
    assert row.callback_window == "asap"
    assert row.language == "nl"
    assert row.organisation in ("beego", "digidak")
    assert "hours not filled in" in row.routing_reason
    assert [line["from"] for line in row.transcript][:2] == ["resident", "digibuur"]
    assert conversation_state(deps)["ticket"] == code


def test_telegram_resident_gives_another_number_and_it_is_confirmed(deps: Deps) -> None:
    first = say(deps, "telegram", "555", "hi can i talk to someone")
    assert "On which number" in first.joined
    bad = say(deps, "telegram", "555", "0470 12")
    assert "cannot read that number" in bad.joined
    good = say(deps, "telegram", "555", "0470 12 34 56")
    assert "+32 470 12 34 56" in good.joined
    say(deps, "telegram", "555", "1")
    done = say(deps, "telegram", "555", "1")
    assert "Your question has number T-" in done.joined
    with Session(deps.db) as session:
        row = session.exec(select(Ticket)).one()
    assert row.callback_number == "+32470123456"
    assert row.channel == "telegram"
    assert row.language == "en"


def test_declining_creates_no_ticket_and_offers_a_digipunt(deps: Deps) -> None:
    say(deps, "sms", "+32470000001", "ik wil iemand spreken")
    answer = say(deps, "sms", "+32470000001", "3")
    assert "niemand belt je" in answer.joined
    assert answer.options == [["Digipunt in de buurt", "Menu"]]
    with Session(deps.db) as session:
        assert session.exec(select(Ticket)).first() is None


def test_a_given_day_is_offered_and_promised(deps: Deps) -> None:
    say(deps, "sms", "+32470000002", "ik wil iemand spreken")
    say(deps, "sms", "+32470000002", "1")
    days = say(deps, "sms", "+32470000002", "4")
    # Thursday 26/11: Friday, Saturday, Monday ... (never a Sunday)
    assert days.options[0][:3] == ["vrijdag 27/11", "zaterdag 28/11", "maandag 30/11"]
    done = say(deps, "sms", "+32470000002", "3")
    assert "belt je op maandag 30/11" in done.joined
    assert "werken nu niet" not in done.joined
    code = done.joined.split("nummer ")[1].split(".")[0]
    assert ticket(deps, code).callback_window == "day:2026-11-30"


def test_in_hours_the_promise_is_today_before_closing(hours_deps: Deps) -> None:
    say(hours_deps, "sms", "+32470000003", "ik wil iemand spreken")
    say(hours_deps, "sms", "+32470000003", "1")
    done = say(hours_deps, "sms", "+32470000003", "1")
    assert "Een helper van BEEGO belt je vandaag voor 17:00." in done.joined
    with Session(hours_deps.db) as session:
        row = session.exec(select(Ticket)).one()
    assert row.organisation == "beego"
    assert row.routing_reason.startswith("open now, speaks nl")


def test_out_of_hours_the_promise_is_the_next_opening(hours_deps: Deps, clock: Clock) -> None:
    clock.now = datetime(2026, 11, 26, 19, 0, tzinfo=BRUSSELS)
    say(hours_deps, "sms", "+32470000004", "hello, can I talk to someone")
    say(hours_deps, "sms", "+32470000004", "1")
    done = say(hours_deps, "sms", "+32470000004", "1")
    assert done.joined.startswith("Our helpers are not working right now.")
    assert "A helper from BEEGO will call you tomorrow from 9:00." in done.joined
    with Session(hours_deps.db) as session:
        row = session.exec(select(Ticket)).one()
    assert "nobody open now; first to open" in row.routing_reason


def test_status_question_tells_where_the_ticket_is(deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(deps)
    waiting = say(deps, "sms", "+32470123456", "status")
    assert f"Je vraag {code} staat klaar" in waiting.joined
    by_code = say(deps, "sms", "+32470123456", code.lower().replace("-", " "))
    assert code in by_code.joined
    helper = make_user(deps, "sara@beego.be", organisation=ticket(deps, code).organisation, name="Sara Peeters")
    with transaction(deps.db) as session:
        assert inbox.claim(session, helper, code, clock.now)
    claimed = say(deps, "sms", "+32470123456", "status")
    assert f"Sara van {'BEEGO' if ticket(deps, code).organisation == 'beego' else 'Digidak'}" in claimed.joined
    assert "Peeters" not in claimed.joined


def test_someone_elses_code_reveals_nothing(deps: Deps) -> None:
    code = open_ticket_by_chat(deps, "+32470000005")
    answer = say(deps, "sms", "+32470000006", code)
    assert "geen open vraag" in answer.joined
    assert code not in answer.joined


def test_a_second_request_adds_to_the_first(deps: Deps) -> None:
    code = open_ticket_by_chat(deps)
    say(deps, "sms", "+32470123456", "menu")
    say(deps, "sms", "+32470123456", "ik wil iemand spreken")
    say(deps, "sms", "+32470123456", "1")
    again = say(deps, "sms", "+32470123456", "3")
    assert f"Je hebt al een vraag open: {code}" in again.joined
    with Session(deps.db) as session:
        assert len(session.exec(select(Ticket)).all()) == 1
        kinds = [e.kind for e in session.exec(select(TicketEvent))]
    assert kinds.count("second_request") == 1
    assert ticket(deps, code).callback_window == "afternoon"


def test_claim_tells_the_resident_and_later_messages_go_to_the_helper(deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(deps)
    org = ticket(deps, code).organisation
    helper = make_user(deps, "sara@example.org", organisation=org, name="Sara")
    with transaction(deps.db) as session:
        assert inbox.claim(session, helper, code, clock.now)
    notices = outbox(deps, "ticket_claimed")
    assert len(notices) == 1
    assert notices[0].address == "+32470123456"
    assert notices[0].body["text"].startswith("Goed nieuws: Sara van ")
    state = conversation_state(deps)
    assert state["ticket"] == code and state["ticket_claimed"] is True
    forwarded = say(deps, "sms", "+32470123456", "mijn wachtwoord werkt nog steeds niet")
    assert forwarded.joined == "Ik geef je bericht door aan je helper."
    assert ticket(deps, code).transcript[-1]["text"] == "mijn wachtwoord werkt nog steeds niet"
    menu = say(deps, "sms", "+32470123456", "menu")
    assert "1 Digipunt" in menu.joined


def test_closing_frees_the_conversation(deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(deps)
    helper = make_user(deps, "staff@stad.gent", role="staff", organisation=None)
    with transaction(deps.db) as session:
        assert inbox.claim(session, helper, code, clock.now)
    with transaction(deps.db) as session:
        assert inbox.close(session, helper, code, clock.now, outcome="solved")
    state = conversation_state(deps)
    assert state["ticket"] is None and state["ticket_claimed"] is False
    answer = say(deps, "sms", "+32470123456", "hallo")
    assert "doorgeven" not in answer.joined and "door aan je helper" not in answer.joined


def test_nothing_reaches_a_resident_after_stop(deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(deps)
    say(deps, "sms", "+32470123456", "STOP")
    helper = make_user(deps, "h@x.be", role="admin", organisation=None)
    with transaction(deps.db) as session:
        assert inbox.claim(session, helper, code, clock.now)
        assert inbox.send_to_resident(session, helper, code, "Ik bel je om 14u", clock.now) is False
    assert [row for row in outbox(deps) if row.address == "+32470123456"] == []
    with Session(deps.db) as session:
        kinds = [e.kind for e in session.exec(select(TicketEvent))]
    assert "message_not_sent" in kinds


def test_after_a_claim_a_digit_goes_to_the_helper_not_to_an_old_menu(deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(deps)
    say(deps, "sms", "+32470123456", "menu")
    helper = make_user(deps, "ann@x.be", role="admin", organisation=None, name="Ann")
    with transaction(deps.db) as session:
        assert inbox.claim(session, helper, code, clock.now)
    answer = say(deps, "sms", "+32470123456", "2")
    assert answer.joined == "Ik geef je bericht door aan je helper."
    assert ticket(deps, code).transcript[-1]["text"] == "2"


def test_a_window_said_after_the_ticket_changes_it_and_is_logged(deps: Deps) -> None:
    code = open_ticket_by_chat(deps)
    assert ticket(deps, code).callback_window == "asap"
    changed = say(deps, "sms", "+32470123456", "liever in de namiddag aub")
    assert changed.joined.startswith("Goed, aangepast: een helper belt je in de namiddag")
    assert code in changed.joined
    row = ticket(deps, code)
    assert row.callback_window == "afternoon"
    with Session(deps.db) as session:
        kinds = [event.kind for event in session.exec(select(TicketEvent).where(TicketEvent.ticket_id == row.id))]
    assert "window_changed" in kinds


def test_a_number_said_after_the_ticket_changes_it_and_is_logged(deps: Deps) -> None:
    code = open_ticket_by_chat(deps)
    changed = say(deps, "sms", "+32470123456", "bel mijn moeder, niet mij: 0486 20 33 71")
    assert changed.joined == f"Goed, de helper belt naar +32 486 20 33 71. Je vraag heeft nummer {code}."
    row = ticket(deps, code)
    assert row.callback_number == "+32486203371"
    with Session(deps.db) as session:
        kinds = [event.kind for event in session.exec(select(TicketEvent).where(TicketEvent.ticket_id == row.id))]
    assert "number_changed" in kinds


def test_a_number_and_a_window_after_the_ticket_both_change(deps: Deps) -> None:
    code = open_ticket_by_chat(deps)
    say(deps, "sms", "+32470123456", "call her on 0486 20 33 71 in the afternoon please")
    row = ticket(deps, code)
    assert (row.callback_number, row.callback_window) == ("+32486203371", "afternoon")


def test_a_claimed_ticket_keeps_its_number(deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(deps)
    helper = make_user(deps, "sara@example.org", organisation=ticket(deps, code).organisation, name="Sara")
    with transaction(deps.db) as session:
        assert inbox.claim(session, helper, code, clock.now)
    forwarded = say(deps, "sms", "+32470123456", "bel liever 0486 20 33 71")
    assert forwarded.joined == "Ik geef je bericht door aan je helper."
    assert ticket(deps, code).callback_number == "+32470123456"


def test_a_claimed_ticket_keeps_its_window(deps: Deps, clock: Clock) -> None:
    from handoff.tickets import change_window

    code = open_ticket_by_chat(deps)
    helper = make_user(deps, "sara@example.org", organisation=ticket(deps, code).organisation, name="Sara")
    with transaction(deps.db) as session:
        assert inbox.claim(session, helper, code, clock.now)
    with transaction(deps.db) as session:
        assert change_window(session, code, "morning", deps.organisations(), clock.now, "Europe/Brussels") is None
    assert ticket(deps, code).callback_window == "asap"
    forwarded = say(deps, "sms", "+32470123456", "liever in de voormiddag")
    assert forwarded.joined == "Ik geef je bericht door aan je helper."
    assert ticket(deps, code).callback_window == "asap"


def test_telegram_without_a_number_is_told_a_helper_writes_first(deps: Deps) -> None:
    say(deps, "telegram", "556", "I need help with my bank app, can someone call me")
    say(deps, "telegram", "556", "yes please")
    told = say(deps, "telegram", "556", "this number is fine")
    assert "a helper will first send you a message here" in told.joined
    opened = say(deps, "telegram", "556", "morning is best")
    assert "will write to you here in the morning" in opened.joined
    with Session(deps.db) as session:
        row = session.exec(select(Ticket)).one()
    assert row.callback_number is None and row.callback_window == "morning"


def test_a_language_said_of_the_person_to_call_is_noted_not_switched(deps: Deps) -> None:
    say(deps, "sms", "+32470555001", "hello i need help for computer please call")
    given = say(deps, "sms", "+32470555001", "please call my daughter she speak dutch. 0470 91 82 73")
    assert "+32 470 91 82 73" in given.joined and "Is that right?" in given.joined  # still in English
    say(deps, "sms", "+32470555001", "yes")
    done = say(deps, "sms", "+32470555001", "afternoon")
    code = conversation_state(deps, "+32470555001")["ticket"]
    assert code and code in done.joined
    remark = say(deps, "sms", "+32470555001", "she speaks Dutch better than English fyi")
    assert remark.joined == f"Good, noted. Your question has number {code}."
    row = ticket(deps, code)
    assert row.callback_number == "+32470918273" and row.language == "en"
    assert conversation_state(deps, "+32470555001")["language"] == "en"


def test_a_story_told_at_the_consent_question_is_kept_and_the_question_asked_again(deps: Deps) -> None:
    say(deps, "sms", "+32470555002",
        "Dag ik ben 79 jaar en ik versta die dingen niet goed. Kan er iemand mij eens bellen aub")
    story = say(deps, "sms", "+32470555002", "het is voor die app van de bank, mijn kleinzoon heeft die gezet maar nu "
                                              "vraagt hij een code en ik weet het niet meer")
    assert story.joined.startswith("Dank je, de helper leest dit.\n---\nMag een helper je bellen op dit nummer?")
    say(deps, "sms", "+32470555002", "ja")
    done = say(deps, "sms", "+32470555002", "liefst in de namiddag")
    code = conversation_state(deps, "+32470555002")["ticket"]
    assert code in done.joined
    assert "app van de bank" in str(ticket(deps, code).transcript)


def test_a_yes_after_the_ticket_is_acknowledged_with_its_code(deps: Deps) -> None:
    code = open_ticket_by_chat(deps)
    answer = say(deps, "sms", "+32470123456", "jaja is goed")
    assert answer.joined == f"Goed, genoteerd. Je vraag heeft nummer {code}."


def test_a_number_typed_with_letters_for_digits_is_read(deps: Deps) -> None:
    say(deps, "sms", "+32470555003", "Kan er iemand mij bellen?")
    say(deps, "sms", "+32470555003", "ja")
    given = say(deps, "sms", "+32470555003", "op mijn eigen gsm aub want dit is de gsm van mijn man: o476 3l 82 09")
    assert "+32 476 31 82 09" in given.joined

