"""Digipunten in the console: closures (seen by the bot at once), hours edits validated and shown in words."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from bot.runtime import Deps
from storage.models import AuditLog, ContentRevision, PlaceClosure
from tests.console.conftest import csrf_token
from tests.transcript import say


def post(client: TestClient, path: str, data: dict[str, str], page: str = "/console/places/de-krook") -> Response:
    response: Response = client.post(path, data={"csrf_token": csrf_token(client, page), **data})
    return response


def test_closed_today_changes_the_bot_answer_at_once(staff_client: TestClient, live_deps: Deps) -> None:
    before = say(live_deps, "sms", "+32470000001", "digipunt de krook").joined
    assert "De Krook, Miriam Makebaplein 1: open tot 12u" in before
    response = post(
        staff_client,
        "/console/places/de-krook/closures",
        {"today": "1", "reason_nl": "personeelsdag", "reason_en": "staff day", "reason_fr": "formation"},
    )
    assert response.status_code == 303
    with Session(live_deps.db) as session:
        rows = list(session.exec(select(PlaceClosure)))
    assert [(r.place_id, r.start, r.end, r.author) for r in rows] == [
        ("de-krook", "2026-11-26", "2026-11-26", "staff@gent.be")
    ]
    after = say(live_deps, "sms", "+32470000002", "digipunt de krook").joined
    assert "De Krook, Miriam Makebaplein" not in after  # closed today: no longer offered as nearest
    assert after.splitlines()[1].startswith("1 Kringwinkel, Vlaamsekaai 10")
    place_page = staff_client.get("/console/places/de-krook")
    assert "2026-11-26 tot en met 2026-11-26" in place_page.text


def test_closure_range_is_validated(staff_client: TestClient, live_deps: Deps) -> None:
    backwards = post(staff_client, "/console/places/de-krook/closures", {"start": "2026-12-10", "end": "2026-12-01"})
    assert backwards.status_code == 422
    assert 'id="closure-error"' in backwards.text
    assert "De laatste dag ligt vóór de eerste dag" in backwards.text
    past = post(staff_client, "/console/places/de-krook/closures", {"start": "2026-01-01", "end": "2026-01-02"})
    assert past.status_code == 422
    with Session(live_deps.db) as session:
        assert list(session.exec(select(PlaceClosure))) == []


def test_closure_can_be_removed(staff_client: TestClient, live_deps: Deps) -> None:
    post(staff_client, "/console/places/de-krook/closures", {"start": "2026-12-24", "end": "2026-12-26"})
    with Session(live_deps.db) as session:
        closure = session.exec(select(PlaceClosure)).one()
    response = post(staff_client, f"/console/places/closures/{closure.id}/delete", {})
    assert response.status_code == 303
    with Session(live_deps.db) as session:
        assert list(session.exec(select(PlaceClosure))) == []
        actions = [row.action for row in session.exec(select(AuditLog))]
    assert "closure.add" in actions and "closure.delete" in actions


def test_hours_edit_is_saved_and_shown_in_words(staff_client: TestClient, live_deps: Deps) -> None:
    page = staff_client.get("/console/places/de-krook").text
    assert 'id="hours-words"' in page and "In woorden:" in page
    response = post(
        staff_client,
        "/console/places/de-krook",
        {"name": "Digipunt Bibliotheek De Krook", "hours": "Mo,We-Fr 10:00-12:00,13:00-17:00; PH off"},
    )
    assert response.status_code == 303, response.text
    shown = staff_client.get("/console/places/de-krook").text
    assert "ma, wo-vr 10:00-12:00 en 13:00-17:00" in shown
    place = live_deps.library().places.get("de-krook")
    assert place is not None and place.hours == "Mo,We-Fr 10:00-12:00,13:00-17:00; PH off"
    with Session(live_deps.db) as session:
        revision = session.exec(select(ContentRevision)).one()
    assert (revision.kind, revision.key) == ("places", "digipunten.yaml")


def test_bad_hours_are_refused_next_to_the_field(staff_client: TestClient, live_deps: Deps) -> None:
    response = post(staff_client, "/console/places/de-krook", {"name": "De Krook", "hours": "every day 9 to 5"})
    assert response.status_code == 422
    assert "does not parse" in response.text
    with Session(live_deps.db) as session:
        assert list(session.exec(select(ContentRevision))) == []


def test_add_and_retire_a_place(staff_client: TestClient, live_deps: Deps) -> None:
    added = post(
        staff_client,
        "/console/places/new",
        {
            "id": "buurthuis-test",
            "name": "Digipunt Buurthuis Testwijk",
            "street": "Kouter",
            "number": "1",
            "postcode": "9000",
            "lat": "51.0500",
            "lon": "3.7250",
            "hours": "Mo 10:00-12:00",
        },
        page="/console/places",
    )
    assert added.status_code == 303, added.text
    place = live_deps.library().places.get("buurthuis-test")
    assert place is not None and place.offered
    retired = post(staff_client, "/console/places/buurthuis-test/retire", {}, page="/console/places/buurthuis-test")
    assert retired.status_code == 303
    place = live_deps.library().places.get("buurthuis-test")
    assert place is not None and place.status == "historical" and not place.offered


def test_duplicate_place_id_is_refused(staff_client: TestClient) -> None:
    response = post(
        staff_client, "/console/places/new", {"id": "de-krook", "name": "Nog een Krook"}, page="/console/places"
    )
    assert response.status_code == 422
    assert "er bestaat al een Digipunt met id 'de-krook'" in html.unescape(response.text)
