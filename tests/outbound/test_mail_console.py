"""The organisations page: a notice without SMTP, an organisation's address and choice; a helper's own choice."""

from __future__ import annotations

from dataclasses import replace

from fastapi.testclient import TestClient
from sqlmodel import Session

from bot.runtime import Deps
from handoff.mail import MailTarget, targets
from tests.console.conftest import add_user, csrf_token, login

PAGE = "/console/organisations"


def test_no_smtp_notice_and_choices(staff_client: TestClient, live_deps: Deps) -> None:
    helper = add_user(live_deps, "anna@beego.be", "helper", organisation="beego")
    page = staff_client.get(PAGE).text
    assert 'id="no-smtp"' in page and "anna@beego.be" in page
    token = csrf_token(staff_client, PAGE)
    saved = staff_client.post(f"{PAGE}/beego/mail", data={"csrf_token": token, "email": "team@beego.be",
                                                          "mode": "digest"})
    assert saved.status_code == 303
    bad = staff_client.post(f"{PAGE}/beego/mail", data={"csrf_token": token, "email": "not an address",
                                                        "mode": "each"})
    assert bad.status_code == 422
    with Session(live_deps.db) as session:
        assert targets(session, "beego") == [MailTarget("team@beego.be", "digest"),
                                             MailTarget("anna@beego.be", "each", helper)]
    live_deps.settings = replace(live_deps.settings, smtp_url="smtp://127.0.0.1:2525", mail_from="d@gent.be")
    assert 'id="no-smtp"' not in staff_client.get(PAGE).text


def test_a_helper_chooses_for_herself(app_client: TestClient, live_deps: Deps) -> None:
    helper = add_user(live_deps, "anna@beego.be", "helper", organisation="beego")
    login(app_client, "anna@beego.be")
    assert 'id="my-mail"' in app_client.get("/helpers").text
    token = csrf_token(app_client, "/helpers")
    assert app_client.post("/helpers/mail", data={"csrf_token": token, "mode": "none"}).status_code == 303
    with Session(live_deps.db) as session:
        assert targets(session, "beego") == [MailTarget("anna@beego.be", "none", helper)]
