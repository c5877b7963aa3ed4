"""Fuzzing validly signed Twilio webhook bodies: odd encodings, huge fields, missing fields, emoji, right-to-left
text. The webhook must never answer 5xx; forged or replayed-elsewhere signatures never reach the database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, func, select
from twilio.request_validator import RequestValidator

from bot.app import create_app
from bot.runtime import Deps
from storage.models import Message

TOKEN = "fuzz-token"
BASE = "https://digibuur.test"
URL = f"{BASE}/webhooks/twilio"

odd_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), max_size=80),  # Hebrew, Arabic
    st.text(alphabet=st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=40),  # emoji
    st.just("a" * 20000),
    st.sampled_from(["STOP", "start", "1", "", " ", "\u202e\u202dmenu", "caf\u00e9", "\x00\x01", "%00%ff", "€[]{}~^|"]),
)
phone = st.one_of(st.sampled_from(["+32470123456", "whatsapp:+32470123456", "+1555", "", "whatsapp:", "abc"]),
                  st.text(max_size=40))
forms = st.fixed_dictionaries(
    {},
    optional={
        "MessageSid": st.text(min_size=1, max_size=60),
        "From": phone,
        "To": phone,
        "Body": odd_text,
        "NumMedia": st.sampled_from(["0", "1", "2", "-1", "x", ""]),
        "MediaUrl0": st.text(max_size=100),
        "Latitude": st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), st.text(max_size=10)),
        "Longitude": st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), st.text(max_size=10)),
        "Address": odd_text,
        "Label": odd_text,
        "ButtonPayload": odd_text,
        "ButtonText": odd_text,
    },
)


@pytest.fixture
def client(deps: Deps) -> Iterator[TestClient]:
    deps.settings = replace(deps.settings, twilio_auth_token=TOKEN, public_base_url=BASE, throttle_per_minute=10**6)
    app = create_app(deps.settings, deps, scheduler=False)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as test_client:
        yield test_client


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=forms)
def test_validly_signed_fuzz_never_5xx(client: TestClient, deps: Deps, form: dict[str, str]) -> None:
    clean = {k: v.replace("\x00", "") for k, v in form.items()}
    signature = RequestValidator(TOKEN).compute_signature(URL, clean)
    response = client.post("/webhooks/twilio", data=clean, headers={"X-Twilio-Signature": signature})
    assert response.status_code < 500, response.text[:500]
    too_big = len(urlencode(clean).encode()) > deps.settings.twilio_max_body_bytes  # the body cap answers 413
    assert response.status_code in ((413,) if too_big else (200, 400, 422))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=forms, signature=st.text(max_size=40))
def test_forged_signatures_are_refused_without_a_write(client: TestClient, deps: Deps, form: dict[str, str],
                                                       signature: str) -> None:
    with Session(deps.db) as session:
        before = session.exec(select(func.count()).select_from(Message)).one()
    headers = {"X-Twilio-Signature": signature.encode("ascii", "ignore").decode()} if signature else {}
    response = client.post("/webhooks/twilio", data=form, headers=headers)
    too_big = len(urlencode(form).encode()) > deps.settings.twilio_max_body_bytes  # the body cap answers first
    assert response.status_code == (413 if too_big else 403)
    with Session(deps.db) as session:
        assert session.exec(select(func.count()).select_from(Message)).one() == before


def test_a_signature_for_another_url_is_refused(client: TestClient) -> None:
    form = {"MessageSid": "SMreplay1", "From": "+32470123456", "Body": "menu"}
    elsewhere = RequestValidator(TOKEN).compute_signature("https://evil.example/webhooks/twilio", form)
    response = client.post("/webhooks/twilio", data=form, headers={"X-Twilio-Signature": elsewhere})
    assert response.status_code == 403
