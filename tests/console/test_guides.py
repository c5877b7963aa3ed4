"""Guide editing in the console: valid and invalid saves, live effect, history and restore, import/export."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, col, select

from bot.runtime import Deps
from storage.models import AuditLog, ContentRevision
from tests.console.conftest import csrf_token

STEP_FIELD = "text__iphone-settings__nl"


def revisions(deps: Deps, key: str = "hotspot.yaml") -> list[ContentRevision]:
    with Session(deps.db) as session:
        return list(
            session.exec(select(ContentRevision).where(ContentRevision.key == key).order_by(col(ContentRevision.id)))
        )


def save_step(client: TestClient, text: str, field: str = STEP_FIELD) -> Response:
    token = csrf_token(client, "/console/guides/hotspot")
    response: Response = client.post("/console/guides/hotspot/steps", data={"csrf_token": token, field: text})
    return response


def test_step_editor_carries_the_sms_frame_for_the_live_lint(staff_client: TestClient) -> None:
    page = staff_client.get("/console/guides/hotspot")
    assert page.status_code == 200
    assert f'name="{STEP_FIELD}"' in page.text
    assert 'data-sms-before="Stap' in page.text  # the progress prefix counts towards the SMS length
    assert "/console/static/sms-lint.js" in page.text
    assert staff_client.get("/console/static/sms-lint.js").status_code == 200


def test_valid_step_edit_is_a_new_revision_used_at_once(staff_client: TestClient, live_deps: Deps) -> None:
    response = save_step(staff_client, 'Open de app "Instellingen" (grijs tandwiel).')
    assert response.status_code == 303, response.text
    stored = revisions(live_deps)
    assert len(stored) == 1
    assert stored[0].author == "staff@gent.be"
    guide = live_deps.library().guides.get("hotspot")
    assert guide is not None
    assert guide.steps["iphone-settings"].text["nl"] == 'Open de app "Instellingen" (grijs tandwiel).'
    assert guide.steps["iphone-settings"].text["en"] == 'Open "Settings" (the grey gear).'  # untouched


def test_too_long_step_is_refused_next_to_the_field(staff_client: TestClient, live_deps: Deps) -> None:
    response = save_step(staff_client, "Heel lange uitleg. " * 30)
    assert response.status_code == 422
    assert 'id="save-errors"' in response.text and "Niet opgeslagen" in response.text
    assert "SMS segments" in response.text and "the limit is 2" in response.text
    assert revisions(live_deps) == []


def test_invalid_yaml_save_is_refused_with_the_line(staff_client: TestClient, live_deps: Deps) -> None:
    original = staff_client.get("/console/guides/hotspot/export").text
    broken = original.replace("next: iphone-hotspot", "next: iphone-nowhere")
    token = csrf_token(staff_client, "/console/guides/hotspot/yaml")
    response = staff_client.post("/console/guides/hotspot/yaml", data={"csrf_token": token, "body": broken})
    assert response.status_code == 422
    line = broken.splitlines().index("    next: iphone-nowhere") + 1
    assert f"regel {line}" in response.text
    assert "iphone-nowhere" in response.text and "does not exist" in response.text
    assert revisions(live_deps) == []


def test_renaming_the_guide_id_is_refused(staff_client: TestClient, live_deps: Deps) -> None:
    original = staff_client.get("/console/guides/hotspot/export").text
    token = csrf_token(staff_client, "/console/guides/hotspot/yaml")
    renamed = original.replace("id: hotspot", "id: hotspot-two", 1)
    response = staff_client.post("/console/guides/hotspot/yaml", data={"csrf_token": token, "body": renamed})
    assert response.status_code == 422
    assert "de id moet 'hotspot' blijven" in html.unescape(response.text)


def test_restore_makes_a_new_revision_with_the_old_body(staff_client: TestClient, live_deps: Deps) -> None:
    save_step(staff_client, "Eerste versie van de stap.")
    save_step(staff_client, "Tweede versie van de stap.")
    first, _second = revisions(live_deps)
    history = staff_client.get("/console/history/guide/hotspot.yaml")
    assert "staff@gent.be" in history.text and f"r{first.id}" in history.text
    token = csrf_token(staff_client, "/console/history/guide/hotspot.yaml")
    response = staff_client.post(
        "/console/history/guide/hotspot.yaml/restore", data={"csrf_token": token, "revision_id": str(first.id)}
    )
    assert response.status_code == 303
    stored = revisions(live_deps)
    assert len(stored) == 3
    assert stored[-1].body == first.body
    assert stored[-1].comment == f"teruggezet: r{first.id}"
    guide = live_deps.library().guides.get("hotspot")
    assert guide is not None and guide.steps["iphone-settings"].text["nl"] == "Eerste versie van de stap."


def test_restore_shipped_file(staff_client: TestClient, live_deps: Deps) -> None:
    save_step(staff_client, "Een andere tekst.")
    token = csrf_token(staff_client, "/console/history/guide/hotspot.yaml")
    staff_client.post("/console/history/guide/hotspot.yaml/restore", data={"csrf_token": token, "revision_id": "0"})
    guide = live_deps.library().guides.get("hotspot")
    assert (
        guide is not None and guide.steps["iphone-settings"].text["nl"] == 'Open "Instellingen" (het grijze tandwiel).'
    )


def test_import_uploads_a_guide_and_export_downloads_it(staff_client: TestClient, live_deps: Deps) -> None:
    original = staff_client.get("/console/guides/hotspot/export")
    assert original.headers["content-disposition"] == 'attachment; filename="hotspot.yaml"'
    changed = original.text.replace('Open "Settings" (the grey gear).', 'Open "Settings" (grey gear icon).')
    token = csrf_token(staff_client, "/console/guides")
    response = staff_client.post(
        "/console/guides/import",
        data={"csrf_token": token},
        files={"file": ("hotspot.yaml", changed.encode(), "application/yaml")},
    )
    assert response.status_code == 303
    assert staff_client.get("/console/guides/hotspot/export").text == changed


def test_guide_saves_are_audited_without_content(staff_client: TestClient, live_deps: Deps) -> None:
    save_step(staff_client, "Geheime tekst die niet in het logboek hoort.")
    with Session(live_deps.db) as session:
        rows = list(session.exec(select(AuditLog).where(AuditLog.action == "guide.save")))
    assert len(rows) == 1
    assert rows[0].actor == "staff@gent.be"
    assert rows[0].target.startswith("guide:hotspot.yaml r")
    assert "Geheime" not in rows[0].target


def test_preview_shows_all_three_channels(staff_client: TestClient) -> None:
    page = staff_client.get("/console/guides/hotspot?lang=en")
    assert 'class="phone sms"' in page.text and 'class="phone whatsapp"' in page.text
    assert 'class="phone telegram"' in page.text
    assert "Which phone do you have?" in page.text


def test_step_edit_keeps_the_comments_and_the_other_texts(staff_client: TestClient, live_deps: Deps) -> None:
    original = staff_client.get("/console/guides/hotspot/export").text
    save_step(staff_client, 'Tik op "Persoonlijke hotspot".', field="text__iphone-hotspot__nl")
    stored = revisions(live_deps)[-1].body
    assert stored.splitlines()[:2] == original.splitlines()[:2]  # the header comments are still there
    assert "  # iPhone" in stored
    assert '      nl: "Tik op \\"Persoonlijke hotspot\\"."\n      en: >-' in stored
    # only the edited text changed: its folded block (">-" and two lines) became one quoted line
    old_block = (
        '      nl: >-\n        Tik op "Persoonlijke hotspot". Niet te zien? Tik eerst op "Mobiel netwerk". '
        "Nergens? Dan laat je\n        abonnement het niet toe.\n"
    )
    assert old_block in original
    assert stored == original.replace(old_block, '      nl: "Tik op \\"Persoonlijke hotspot\\"."\n')
