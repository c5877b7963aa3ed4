"""The console with seven languages: the inbox shows the language first; translations are drafts until reviewed;
the guide and place editors show the source beside one chosen language."""

from __future__ import annotations

import html
import re
from dataclasses import replace

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.app import create_app
from bot.content.live import LiveContent
from bot.content.reviews import review_items
from bot.runtime import Deps, build_deps
from bot.settings import Settings
from storage.models import ContentRevision, TextReview, Ticket
from tests.console.conftest import add_user, csrf_token, login
from tests.transcript import say


def test_the_inbox_shows_the_language_first(app_client: TestClient, live_deps: Deps) -> None:
    say(live_deps, "sms", "+32470555112", "je voudrais parler à quelqu'un")
    for _ in range(3):
        say(live_deps, "sms", "+32470555112", "1")
    with Session(live_deps.db) as session:
        row = session.exec(select(Ticket)).one()
    add_user(live_deps, "anna@example.org", "helper", organisation=row.organisation)
    assert login(app_client, "anna@example.org").status_code == 303
    listing = html.unescape(app_client.get("/helpers").text)
    assert "Frans · français" in listing
    detail = html.unescape(app_client.get(f"/helpers/tickets/{row.code}").text)
    heading = detail[detail.index('id="ticket-heading"'):detail.index("</h1>")]
    assert "Frans · français" in heading
    assert "jullie organisatie spreekt ze niet, de bewoner weet dat" in detail


def test_the_overview_counts_drafts_per_language(staff_client: TestClient) -> None:
    page = html.unescape(staff_client.get("/console/translations").text)
    assert 'id="language-en"' in page and 'id="language-fr"' in page and 'id="language-nl"' not in page
    assert 'id="language-tr"' in page  # listed, not active yet: shown with what exists


def review(client: TestClient, language: str, key: str, **extra: str) -> object:
    token = csrf_token(client, f"/console/translations/{language}")
    data = {"csrf_token": token, "kind": "text", "key": key, "action": "reviewed", **extra}
    return client.post(f"/console/translations/{language}/review", data=data)


def test_a_reviewer_marks_a_text_reviewed_and_a_change_makes_it_a_draft_again(
    staff_client: TestClient, live_deps: Deps
) -> None:
    drafts = html.unescape(staff_client.get("/console/translations/en").text)
    assert 'id="item-greeting"' in drafts
    text = live_deps.library().texts.sentences["en"]["greeting"]
    response = review(staff_client, "en", "greeting", text=text)
    assert response.status_code == 303  # type: ignore[attr-defined]
    with Session(live_deps.db) as session:
        [row] = session.exec(select(TextReview)).all()
    assert (row.kind, row.key, row.language, row.status, row.reviewer) == (
        "text", "greeting", "en", "reviewed", "staff@gent.be")
    assert 'id="item-greeting"' not in staff_client.get("/console/translations/en").text
    shown = html.unescape(staff_client.get("/console/translations/en?show=all").text)
    assert "nagekeken door staff@gent.be" in shown
    corrected = "Hi! I am digibuur from {city}. I help for free with computers, phones and the internet."
    assert review(staff_client, "en", "greeting", text=corrected).status_code == 303  # type: ignore[attr-defined]
    assert live_deps.library().texts.get("en", "greeting").startswith("Hi! I am digibuur from")
    with Session(live_deps.db) as session:
        revision = session.exec(select(ContentRevision)).one()
    assert revision.kind == "texts" and revision.key == "en.yaml" and "I am digibuur from" in revision.body
    assert "nagekeken door" in html.unescape(staff_client.get("/console/translations/en?show=all").text)


def test_a_correction_over_the_sms_budget_is_refused(staff_client: TestClient, live_deps: Deps) -> None:
    response = review(staff_client, "en", "thanks_reply", text="Far too long. " * 30)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "SMS segments" in response.text  # type: ignore[attr-defined]
    with Session(live_deps.db) as session:
        assert session.exec(select(TextReview)).first() is None


def test_draft_languages_are_not_offered_when_the_deployment_says_so(settings: Settings, clock: object) -> None:
    strict = replace(settings, offer_draft_languages=False)
    deps = build_deps(strict)
    try:
        owner = deps.library.__self__  # type: ignore[attr-defined]
        assert isinstance(owner, LiveContent)
        assert deps.library().texts.languages == ("nl",)  # en and fr: nobody has reviewed them here
        app = create_app(strict, deps, scheduler=False)
        with TestClient(app, follow_redirects=False) as client:
            add_user(deps, "staff@gent.be", "staff")
            assert login(client, "staff@gent.be").status_code == 303
            for key, text in deps.library().texts.sentences["en"].items():
                assert review(client, "en", key, text=text).status_code == 303  # type: ignore[attr-defined]
            library = deps.library()
            for item in [i for i in review_items(library, "en") if i.kind != "text"]:
                token = csrf_token(client, "/console/translations/en")
                client.post("/console/translations/en/review",
                            data={"csrf_token": token, "kind": item.kind, "key": item.key, "action": "reviewed"})
        owner.refresh(force=True)
        assert deps.library().texts.languages == ("nl", "en")
    finally:
        deps.db.dispose()


def test_the_guide_editor_shows_the_source_beside_one_language(staff_client: TestClient) -> None:
    page = html.unescape(staff_client.get("/console/guides/hotspot?lang=fr").text)
    assert 'name="text__iphone-settings__nl"' in page and 'name="text__iphone-settings__fr"' in page
    assert 'name="text__iphone-settings__en"' not in page
    # every language listed with its completeness (done/total)
    assert all(re.search(f'data-lang="{code}">[^<]+<small>\\d+/\\d+', page) for code in ("tr", "ar", "bg", "uk"))
    assert 'data-sms-max="2"' in page


def test_the_place_editor_shows_the_source_beside_one_language(staff_client: TestClient, live_deps: Deps) -> None:
    place = live_deps.library().places.places[0].id
    page = html.unescape(staff_client.get(f"/console/places/{place}?lang=en").text)
    assert 'name="notes_nl"' in page and 'name="notes_en"' in page and 'name="notes_fr"' not in page
    assert 'id="notes-languages"' in page
