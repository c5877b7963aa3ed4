"""Every HTML page (console, helper inbox, simulators, error pages) carries the browser security headers, and no
page contains an inline script or inline event handler that the Content-Security-Policy would have to allow."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from bot.runtime import Deps
from bot.web.security_headers import CONTENT_SECURITY_POLICY
from tests.console.conftest import add_user, login

ROOT = Path(__file__).resolve().parents[2]
GET_ROUTE = re.compile(r'@api\.get\("([^"]+)"')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def check(response: object, path: str) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    csp = headers.get("content-security-policy", "")
    assert csp == CONTENT_SECURITY_POLICY, path
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src", 1)[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert headers.get("x-content-type-options") == "nosniff", path
    assert headers.get("referrer-policy") == "same-origin", path
    body = response.text  # type: ignore[attr-defined]
    assert not INLINE_SCRIPT.search(body), path
    assert not INLINE_HANDLER.search(body), path


def test_every_html_page_has_the_headers(staff_client: TestClient, live_deps: Deps) -> None:
    paths = sorted(set(GET_ROUTE.findall("\n".join(p.read_text() for p in (ROOT / "bot").rglob("*.py")))))
    assert "/console/places" in paths and "/helpers" in paths
    filled = {"{guide_id}": "hotspot", "{place_id}": "de-krook", "{code}": "T-0000", "{number}": "0000",
              "{kind}": "guides", "{key}": "hotspot"}
    for placeholder, value in filled.items():
        paths = [path.replace(placeholder, value) for path in paths]
    paths += ["/console/simulator", "/simulator", "/helpers/telegram", "/helpers?scope=test", "/no/such/page",
              "/console/no-such-page", "/static/simulator.js"]
    html = 0
    for path in paths:
        response = staff_client.get(path)
        if response.headers.get("content-type", "").startswith("text/html"):
            html += 1
            check(response, path)
        else:  # JSON, metrics, redirects: the headers are there too
            assert response.headers.get("x-content-type-options") == "nosniff", path
    assert html >= 15, html


def test_pages_before_login_have_the_headers(app_client: TestClient) -> None:
    for path in ("/console/login", "/simulator"):
        response = app_client.get(path)
        assert response.status_code == 200, path
        check(response, path)
    refused = app_client.post("/console/login", data={"email": "x", "password": "y"})
    assert refused.headers.get("content-security-policy") == CONTENT_SECURITY_POLICY


def test_a_helper_sees_the_headers_too(app_client: TestClient, live_deps: Deps) -> None:
    add_user(live_deps, "anna@beego.be", "helper", organisation="beego")
    assert login(app_client, "anna@beego.be").status_code == 303
    for path in ("/helpers", "/helpers?scope=test", "/helpers/telegram", "/console"):
        check(app_client.get(path), path)
