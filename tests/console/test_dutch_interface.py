"""The console and the helper inbox speak Dutch; stored codes (outcomes, statuses) stay as they are."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.console.labels import event_text, inbox_error, label, local_moment, routing_words, short_day
from bot.runtime import Deps
from storage.models import Ticket
from tests.console.conftest import add_user, csrf_token, login
from tests.handoff.conftest import open_ticket_by_chat

STAFF_PAGES = ("/console", "/console/guides", "/console/places", "/console/organisations", "/console/problems")


def test_login_page_is_dutch(app_client: TestClient) -> None:
    page = app_client.get("/console/login").text
    assert '<html lang="nl">' in page
    assert "Aanmelden" in page and "Wachtwoord" in page
    assert "Log in" not in page and "Password" not in page


def test_staff_pages_are_dutch(staff_client: TestClient) -> None:
    for path in STAFF_PAGES:
        page = staff_client.get(path)
        assert page.status_code == 200, path
        assert '<html lang="nl">' in page.text, path
        assert "Afmelden" in page.text and "Helperorganisaties" in page.text, path
        for english in ("Log out", "Helper inbox", "What residents asked", "Audit log"):
            assert english not in page.text, (path, english)


def test_outcome_options_show_dutch_labels_but_post_the_stored_codes(app_client: TestClient, live_deps: Deps) -> None:
    code = open_ticket_by_chat(live_deps)
    with Session(live_deps.db) as session:
        organisation = session.exec(select(Ticket).where(Ticket.code == code)).one().organisation
    add_user(live_deps, "anna@beego.be", "helper", organisation=organisation)
    login(app_client, "anna@beego.be")
    token = csrf_token(app_client, f"/helpers/tickets/{code}")
    assert app_client.post(f"/helpers/tickets/{code}/claim", data={"csrf_token": token}).status_code == 303
    detail = app_client.get(f"/helpers/tickets/{code}").text
    assert '<option value="solved">Opgelost</option>' in detail
    assert '<option value="no_answer">Niet opgenomen</option>' in detail
    assert 'data-status="claimed"' in detail and "(genomen" in detail
    assert "spreekt nl" in detail and "speaks" not in detail  # why it went to this organisation, in Dutch
    response = app_client.post(f"/helpers/tickets/{code}/outcome", data={"csrf_token": token, "outcome": "no_answer"})
    assert response.status_code == 303
    with Session(live_deps.db) as session:
        assert session.exec(select(Ticket).where(Ticket.code == code)).one().outcome == "no_answer"
    listing = app_client.get("/helpers?scope=mine").text
    assert "genomen (Niet opgenomen)" in listing
    assert "Mijn organisatie" in listing


def test_unknown_guide_is_a_dutch_404_page(staff_client: TestClient) -> None:
    response = staff_client.get("/console/guides/no-such-guide")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="refused-reason"' in response.text and "Er is geen stappenplan" in response.text


def test_helper_on_a_staff_page_gets_a_dutch_403(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "anna@beego.be", "helper", organisation="beego")
    login(app_client, "anna@beego.be")
    refused = app_client.get("/console/places")
    assert refused.status_code == 403
    assert "kan deze pagina niet openen" in refused.text and "/helpers" in refused.text


def test_labels_keep_unknown_codes() -> None:
    assert label("solved", "outcome") == "Opgelost"
    assert label("historical", "place_status") == "gestopt"
    assert label("something_new", "outcome") == "something_new"
    assert label(None, "event") == ""


def test_dutch_dates() -> None:
    assert short_day(date(2026, 11, 26)) == "do 26/11"
    assert local_moment(datetime(2026, 11, 30, 13, 5, tzinfo=ZoneInfo("UTC"))) == "ma 30/11 14:05"
    assert local_moment(None) == ""


def test_event_texts_use_dutch_outcomes() -> None:
    assert event_text("outcome", "solved") == "Opgelost"
    assert event_text("outcome", "call_again 2026-11-27T14:00:00+01:00") == "Later opnieuw bellen (vr 27/11 14:00)"
    assert event_text("closed", "idle") == "niemand reageerde meer"
    assert event_text("message_to_resident", "Ik bel je om 14u.") == ""


def test_inbox_errors_in_dutch_and_unknown_ones_unchanged() -> None:
    assert inbox_error("no ticket AB12") == "Vraag AB12 bestaat niet, of je organisatie mag ze niet zien."
    assert inbox_error("the message is longer than 1000 characters") == "Het bericht is langer dan 1000 tekens."
    assert inbox_error("another helper has this ticket") == "Een andere helper heeft deze vraag."
    assert inbox_error("a brand new rule") == "a brand new rule"


def test_routing_reasons_in_dutch_words() -> None:
    assert routing_words("hours not filled in, speaks nl, covers other, 1 open tickets") == (
        "uren niet ingevuld, spreekt nl, helpt met other, 1 open vraag"
    )
    assert routing_words("nobody open now; first to open (nobody active speaks fr, 3 open tickets)") == (
        "nu is niemand open; eerste die opengaat (geen actieve organisatie spreekt fr, 3 open vragen)"
    )
    assert routing_words("something else entirely") == "something else entirely"
