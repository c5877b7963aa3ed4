"""What residents asked: an unmatched message added as an example is recognised at once; dismissing works."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.runtime import Deps
from storage.models import AuditLog, ContentRevision, Unmatched
from tests.console.conftest import csrf_token
from tests.transcript import say

ASKED = "waar kan ik kopieren"


def unmatched_rows(deps: Deps) -> list[Unmatched]:
    with Session(deps.db) as session:
        return list(session.exec(select(Unmatched)))


def test_adding_an_example_makes_matching_use_it_at_once(staff_client: TestClient, live_deps: Deps) -> None:
    assert live_deps.library().matcher.classify(ASKED).intent is None
    say(live_deps, "sms", "+32470000003", ASKED)
    (row,) = unmatched_rows(live_deps)
    assert row.status == "new" and row.guesses and row.guesses[0]["intent"] == "digipunt.find"
    page = staff_client.get("/console/unmatched")
    assert ASKED in page.text
    assert 'id="intent-score"' in page.text and "Hoe goed digibuur vragen herkent" in page.text
    token = csrf_token(staff_client, "/console/unmatched")
    response = staff_client.post(
        f"/console/unmatched/{row.id}/add", data={"csrf_token": token, "intent": "digipunt.find", "language": "nl"}
    )
    assert response.status_code == 303, response.text
    assert live_deps.library().matcher.classify(ASKED).intent == "digipunt.find"
    (row,) = unmatched_rows(live_deps)
    assert row.status == "added"
    with Session(live_deps.db) as session:
        revision = session.exec(select(ContentRevision)).one()
        audit = list(
            session.exec(
                select(AuditLog).where(
                    AuditLog.action.in_(  # type: ignore[attr-defined]
                        ("intent.example_added", "unmatched.added")
                    )
                )
            )
        )
    assert (revision.kind, revision.key) == ("intent", "digipunt.find.yaml")
    assert f"- {ASKED}" in revision.body
    assert len(audit) == 2
    assert all(ASKED not in entry.target and "kopieren" not in entry.target for entry in audit)
    reply = say(live_deps, "sms", "+32470000004", ASKED).joined
    assert "Sorry" not in reply
    assert ASKED not in staff_client.get("/console/unmatched").text


def test_dismiss_hides_the_message(staff_client: TestClient, live_deps: Deps) -> None:
    say(live_deps, "sms", "+32470000005", "de kabel van de router is kapot")
    (row,) = unmatched_rows(live_deps)
    token = csrf_token(staff_client, "/console/unmatched")
    assert staff_client.post(f"/console/unmatched/{row.id}/dismiss", data={"csrf_token": token}).status_code == 303
    (row,) = unmatched_rows(live_deps)
    assert row.status == "dismissed"
    with Session(live_deps.db) as session:
        assert list(session.exec(select(ContentRevision))) == []


def test_unknown_intent_is_refused(staff_client: TestClient, live_deps: Deps) -> None:
    say(live_deps, "sms", "+32470000006", ASKED)
    (row,) = unmatched_rows(live_deps)
    token = csrf_token(staff_client, "/console/unmatched")
    response = staff_client.post(
        f"/console/unmatched/{row.id}/add", data={"csrf_token": token, "intent": "no.such", "language": "nl"}
    )
    assert response.status_code == 400
    assert unmatched_rows(live_deps)[0].status == "new"
