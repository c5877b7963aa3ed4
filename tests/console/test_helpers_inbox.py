"""The helper inbox at /helpers: list, claim, outcome, message, release; organisations kept apart."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, col, select

from bot.runtime import Deps
from storage.models import AuditLog, Outbox, Ticket
from tests.console.conftest import add_user, csrf_token, login
from tests.handoff.conftest import open_ticket_by_chat


def ticket(deps: Deps, code: str) -> Ticket:
    with Session(deps.db) as session:
        return session.exec(select(Ticket).where(Ticket.code == code)).one()


def helper_client(client: TestClient, deps: Deps, email: str = "anna@beego.be", organisation: str = "beego") -> int:
    user_id = add_user(deps, email, "helper", organisation=organisation)
    assert login(client, email).status_code == 303
    return user_id


def post(client: TestClient, code: str, action: str, data: dict[str, str] | None = None) -> Response:
    token = csrf_token(client, f"/helpers/tickets/{code}")
    response: Response = client.post(f"/helpers/tickets/{code}/{action}", data={"csrf_token": token, **(data or {})})
    return response


def test_helper_sees_claims_and_closes_a_ticket(app_client: TestClient, live_deps: Deps) -> None:
    code = open_ticket_by_chat(live_deps)
    organisation = ticket(live_deps, code).organisation
    user_id = helper_client(app_client, live_deps, organisation=organisation)
    listing = app_client.get("/helpers")
    assert code in listing.text
    detail = app_client.get(f"/helpers/tickets/{code}")
    assert "ik wil iemand spreken" in detail.text  # the transcript
    assert 'id="claim"' in detail.text
    assert post(app_client, code, "claim").status_code == 303
    claimed = ticket(live_deps, code)
    assert (claimed.status, claimed.claimed_by) == ("claimed", user_id)
    assert code in app_client.get("/helpers?scope=mine").text
    assert post(app_client, code, "message", {"text": "Ik bel je om 14u."}).status_code == 303
    with Session(live_deps.db) as session:
        purposes = [row.purpose for row in session.exec(select(Outbox))]
    assert "helper_message" in purposes
    response = post(app_client, code, "outcome", {"outcome": "solved", "note": "hotspot aangezet"})
    assert response.status_code == 303
    done = ticket(live_deps, code)
    assert (done.status, done.outcome, done.note) == ("closed", "solved", "hotspot aangezet")
    with Session(live_deps.db) as session:
        audit = [
            (row.action, row.target)
            for row in session.exec(select(AuditLog).where(col(AuditLog.action).startswith("ticket.")))
        ]
    assert audit == [("ticket.claim", code), ("ticket.message", code), ("ticket.outcome", code)]


def test_call_again_needs_a_time(app_client: TestClient, live_deps: Deps) -> None:
    code = open_ticket_by_chat(live_deps)
    helper_client(app_client, live_deps, organisation=ticket(live_deps, code).organisation)
    post(app_client, code, "claim")
    refused = post(app_client, code, "outcome", {"outcome": "call_again"})
    assert refused.status_code == 409
    assert 'id="ticket-error"' in refused.text
    assert "Kies een datum en uur om opnieuw te bellen" in refused.text
    accepted = post(app_client, code, "outcome", {"outcome": "call_again", "call_again_at": "2026-11-27T14:00"})
    assert accepted.status_code == 303
    assert ticket(live_deps, code).call_again_at is not None


def test_release_gives_the_ticket_back(app_client: TestClient, live_deps: Deps) -> None:
    code = open_ticket_by_chat(live_deps)
    helper_client(app_client, live_deps, organisation=ticket(live_deps, code).organisation)
    post(app_client, code, "claim")
    assert post(app_client, code, "release").status_code == 303
    assert ticket(live_deps, code).status == "open"


def test_helper_of_another_organisation_cannot_see_the_ticket(app_client: TestClient, live_deps: Deps) -> None:
    code = open_ticket_by_chat(live_deps)
    other = "digidak" if ticket(live_deps, code).organisation != "digidak" else "beego"
    helper_client(app_client, live_deps, email="bob@other.be", organisation=other)
    assert code not in app_client.get("/helpers?scope=all").text
    assert app_client.get(f"/helpers/tickets/{code}").status_code == 404


def test_second_claim_loses(app_client: TestClient, live_deps: Deps) -> None:
    code = open_ticket_by_chat(live_deps)
    organisation = ticket(live_deps, code).organisation
    helper_client(app_client, live_deps, organisation=organisation)
    token = csrf_token(app_client, f"/helpers/tickets/{code}")
    assert app_client.post(f"/helpers/tickets/{code}/claim", data={"csrf_token": token}).status_code == 303
    again = app_client.post(f"/helpers/tickets/{code}/claim", data={"csrf_token": token})
    assert again.status_code == 409
    assert "Een andere helper was sneller" in again.text


def test_staff_can_open_the_inbox(staff_client: TestClient, live_deps: Deps) -> None:
    code = open_ticket_by_chat(live_deps)
    assert code in staff_client.get("/helpers?scope=all").text
