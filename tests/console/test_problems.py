"""Staff see the messages that made digibuur fail and the outgoing messages that failed, without numbers."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot import engine
from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle
from storage.db import transaction
from storage.models import DeadLetter, Outbox
from tests.console.conftest import csrf_token


def test_dead_letters_and_failed_sends_are_shown_and_resolved(
    staff_client: TestClient, live_deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: Any) -> Any:
        raise RuntimeError("content bug in step 3")

    with monkeypatch.context() as patch:
        patch.setattr(engine, "respond", explode)
        handle(Inbound(Address("sms", "+32470444555"), "ok", live_deps.clock()), live_deps)
    with transaction(live_deps.db) as session:
        session.add(
            Outbox(
                channel="whatsapp",
                address="+32470444555",
                body={"text": "hallo"},
                purpose="helper_message",
                status="failed",
                attempts=6,
                last_error="63016 outside the 24-hour window",
            )
        )
    page = staff_client.get("/console/problems")
    assert page.status_code == 200
    assert "content bug in step 3" in page.text and "63016 outside the 24-hour window" in page.text
    assert "470444555" not in page.text
    with Session(live_deps.db) as session:
        letter = session.exec(select(DeadLetter)).one()
    token = csrf_token(staff_client, "/console/problems")
    done = staff_client.post(f"/console/problems/dead-letters/{letter.id}/resolve", data={"csrf_token": token})
    assert done.status_code in (302, 303)
    assert "content bug in step 3" not in staff_client.get("/console/problems").text


def test_helpers_cannot_see_problems(app_client: TestClient, live_deps: Deps) -> None:
    from tests.console.conftest import add_user, login

    add_user(live_deps, "helper@beego.be", "helper", organisation="beego")
    login(app_client, "helper@beego.be")
    assert app_client.get("/console/problems").status_code in (302, 303, 403)
