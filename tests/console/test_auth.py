"""Console access: roles, CSRF, login throttling, idle expiry, cookie flags, audit log rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.app import create_app
from bot.runtime import Deps
from bot.settings import Settings
from storage.models import AuditLog, LoginThrottle
from tests.console.conftest import PASSWORD, add_user, csrf_token, login


def test_anonymous_visitor_is_sent_to_login(app_client: TestClient) -> None:
    response = app_client.get("/console/guides")
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=/console/guides"


def test_staff_logs_in_and_sees_the_console(staff_client: TestClient) -> None:
    page = staff_client.get("/console/guides")
    assert page.status_code == 200
    assert "hotspot" in page.text


def test_helper_cannot_open_console_pages_but_can_open_the_inbox(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "helper@beego.be", "helper", organisation="beego")
    response = login(app_client, "helper@beego.be")
    assert response.status_code == 303
    assert response.headers["location"] == "/helpers"
    for path in ("/console", "/console/guides", "/console/places", "/console/unmatched", "/console/simulator"):
        assert app_client.get(path).status_code == 403, path
    assert app_client.get("/helpers").status_code == 200


def test_helper_cannot_post_to_console_either(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "helper@beego.be", "helper", organisation="beego")
    login(app_client, "helper@beego.be")
    token = csrf_token(app_client, "/helpers")
    response = app_client.post("/console/places/de-krook/closures", data={"csrf_token": token, "today": "1"})
    assert response.status_code == 403


def test_wrong_password_is_refused(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "staff@gent.be", "staff")
    response = login(app_client, "staff@gent.be", "not the password")
    assert response.status_code == 401
    assert app_client.get("/console").status_code == 303


def test_post_without_or_with_a_wrong_csrf_token_is_refused(staff_client: TestClient) -> None:
    without = staff_client.post("/console/places/de-krook/closures", data={"today": "1"})
    assert without.status_code == 403
    wrong = staff_client.post("/console/places/de-krook/closures", data={"today": "1", "csrf_token": "forged"})
    assert wrong.status_code == 403
    token = csrf_token(staff_client, "/console/places/de-krook")
    right = staff_client.post("/console/places/de-krook/closures", data={"today": "1", "csrf_token": token})
    assert right.status_code == 303


def test_login_form_needs_a_csrf_token(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "staff@gent.be", "staff")
    response = app_client.post("/console/login", data={"email": "staff@gent.be", "password": PASSWORD})
    assert response.status_code == 403


def test_csrf_token_changes_at_login(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "staff@gent.be", "staff")
    before = csrf_token(app_client)
    app_client.post("/console/login", data={"email": "staff@gent.be", "password": PASSWORD, "csrf_token": before})
    after = csrf_token(app_client, "/console/places/de-krook")
    assert after != before
    stale = app_client.post("/console/places/de-krook/closures", data={"today": "1", "csrf_token": before})
    assert stale.status_code == 403


def test_sixth_bad_attempt_is_throttled_even_with_the_right_password(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "staff@gent.be", "staff")
    for _ in range(5):
        assert login(app_client, "staff@gent.be", "wrong password!").status_code == 401
    sixth = login(app_client, "staff@gent.be", PASSWORD)
    assert sixth.status_code == 429
    assert 'id="login-error"' in sixth.text
    assert "Te vaak een fout wachtwoord" in sixth.text


def test_an_attacker_elsewhere_does_not_lock_the_owner_out(
    settings: Settings, live_deps: Deps, app_client: TestClient
) -> None:
    """Throttling is per (account, client address): failures from one address leave the owner's address alone,
    and failures on other accounts from the owner's address do not count against the owner's account."""
    add_user(live_deps, "staff@gent.be", "staff")
    app = create_app(settings, live_deps, scheduler=False)
    with TestClient(app, follow_redirects=False, client=("203.0.113.66", 4444)) as attacker:
        for _ in range(8):
            assert login(attacker, "staff@gent.be", "wrong password!").status_code in (401, 429)
        assert login(attacker, "staff@gent.be", PASSWORD).status_code == 429
    for n in range(6):
        login(app_client, f"nobody{n}@gent.be", "wrong password!")
    assert login(app_client, "staff@gent.be", PASSWORD).status_code == 303


def test_delays_grow_and_end_by_themselves(app_client: TestClient, live_deps: Deps, clock: Any) -> None:
    add_user(live_deps, "staff@gent.be", "staff")
    for _ in range(5):
        login(app_client, "staff@gent.be", "wrong password!")
    assert login(app_client, "staff@gent.be", "wrong password!").status_code == 429
    clock.now += timedelta(seconds=31)  # the first wait is 30 seconds
    assert login(app_client, "staff@gent.be", "wrong password!").status_code == 401
    clock.now += timedelta(seconds=31)  # the next wait is a minute
    assert login(app_client, "staff@gent.be", PASSWORD).status_code == 429
    clock.now += timedelta(seconds=30)
    assert login(app_client, "staff@gent.be", PASSWORD).status_code == 303
    with Session(live_deps.db) as session:
        keys = [row.key for row in session.exec(select(LoginThrottle))]
    assert not any(key.startswith("staff@gent.be|") for key in keys)  # a good login clears the failures


def test_session_expires_after_eight_idle_hours(staff_client: TestClient, clock: Any) -> None:
    clock.now += timedelta(hours=5, minutes=59)
    assert staff_client.get("/console/guides").status_code == 200
    clock.now += timedelta(hours=5, minutes=59)  # activity above slid the window
    assert staff_client.get("/console/guides").status_code == 200
    clock.now += timedelta(hours=8, minutes=1)
    expired = staff_client.get("/console/guides")
    assert expired.status_code == 303
    assert expired.headers["location"].startswith("/console/login")
    login_page = staff_client.get(expired.headers["location"]).text
    assert 'id="expired"' in login_page and "afgemeld" in login_page


def test_cookie_is_httponly_and_samesite_lax(app_client: TestClient) -> None:
    response = app_client.get("/console/login")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie  # settings.secure_cookies is off in tests and PUBLIC_BASE_URL is http


def test_an_https_public_url_makes_cookies_secure(settings: Settings, live_deps: Deps) -> None:
    https = replace(settings, public_base_url="https://digibuur.gent.be", secure_cookies=False)
    with TestClient(create_app(https, live_deps, scheduler=False), base_url="https://digibuur.gent.be") as client:
        cookie = client.get("/console/login").headers["set-cookie"].lower()
    assert "; secure" in cookie


def test_logout_ends_the_session(staff_client: TestClient) -> None:
    token = csrf_token(staff_client, "/console")
    assert staff_client.post("/console/logout", data={"csrf_token": token}).status_code == 303
    assert staff_client.get("/console").status_code == 303


def test_logout_ends_every_copy_of_the_session(staff_client: TestClient) -> None:
    copied = staff_client.cookies.get("digibuur_console")
    assert copied and staff_client.get("/console").status_code == 200
    token = csrf_token(staff_client, "/console")
    assert staff_client.post("/console/logout", data={"csrf_token": token}).status_code == 303
    staff_client.cookies.set("digibuur_console", copied)  # a stolen or second copy of the cookie
    assert staff_client.get("/console").status_code == 303


def test_a_login_lasts_at_most_twelve_hours_however_active(staff_client: TestClient, clock: Any) -> None:
    for _ in range(5):
        clock.now += timedelta(hours=2, minutes=20)  # busy all day: never idle for long
        assert staff_client.get("/console").status_code == 200
    clock.now += timedelta(hours=1)  # 12 h 40 min after logging in
    assert staff_client.get("/console").status_code == 303


def test_tampered_cookie_is_anonymous(staff_client: TestClient) -> None:
    value = staff_client.cookies.get("digibuur_console")
    assert value
    staff_client.cookies.set("digibuur_console", value[:-3] + "abc")
    assert staff_client.get("/console").status_code == 303


def test_deactivated_user_is_logged_out(staff_client: TestClient, live_deps: Deps) -> None:
    from storage.db import transaction
    from storage.models import User

    with transaction(live_deps.db) as session:
        user = session.exec(select(User).where(User.email == "staff@gent.be")).one()
        user.active = False
        session.add(user)
    assert staff_client.get("/console").status_code == 303


def test_login_and_logout_are_audited(staff_client: TestClient, live_deps: Deps) -> None:
    token = csrf_token(staff_client, "/console")
    staff_client.post("/console/logout", data={"csrf_token": token})
    with Session(live_deps.db) as session:
        rows = [(row.actor, row.action) for row in session.exec(select(AuditLog))]
    assert ("staff@gent.be", "login") in rows
    assert ("staff@gent.be", "logout") in rows


def test_next_parameter_cannot_leave_the_site(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "staff@gent.be", "staff")
    token = csrf_token(app_client)
    response = app_client.post(
        "/console/login",
        data={"email": "staff@gent.be", "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"},
    )
    assert response.headers["location"] == "/console"


def test_simulator_json_post_from_another_site_is_refused(staff_client: TestClient) -> None:
    body = {"channel": "sms", "address": "+32470000001", "text": "menu"}
    refused = staff_client.post(
        "/console/simulator/send", json=body, headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"}
    )
    assert refused.status_code == 403
    allowed = staff_client.post("/console/simulator/send", json=body, headers={"origin": "http://testserver"})
    assert allowed.status_code == 200
    assert allowed.json()["replies"]


def test_every_form_on_every_page_carries_the_token(staff_client: TestClient, live_deps: Deps) -> None:
    token = csrf_token(staff_client, "/console")
    pages = [
        "/console",
        "/console/guides",
        "/console/guides/hotspot",
        "/console/guides/hotspot/yaml",
        "/console/places",
        "/console/places/de-krook",
        "/console/organisations",
        "/console/unmatched",
        "/console/history/guide/hotspot.yaml",
        "/helpers",
    ]
    for path in pages:
        html = staff_client.get(path).text
        forms = html.count('method="post"')
        assert forms >= 1, path
        assert html.count(f'name="csrf_token" value="{token}"') == forms, path
