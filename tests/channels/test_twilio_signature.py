"""`signature_matches` (one HMAC for the URL form Twilio signs, the other only as a fallback) accepts exactly what
twilio's `RequestValidator.validate` accepts."""

from __future__ import annotations

import itertools

import pytest
from starlette.datastructures import FormData, MultiDict
from twilio.request_validator import RequestValidator

from bot.channels.twilio.inbound import signature_matches

TOKEN = "test-twilio-auth-token"
URLS = [
    "https://digibuur.example.org/webhooks/twilio",
    "https://digibuur.example.org:443/webhooks/twilio",
    "https://digibuur.example.org:8443/webhooks/twilio?source=sms&x=a%20b",
    "http://127.0.0.1:8000/webhooks/twilio",
    "http://127.0.0.1/webhooks/twilio",
    "http://127.0.0.1:80/webhooks/twilio/status",
]
FORMS = [
    MultiDict([("Body", "Hallo"), ("From", "+32470123456"), ("MessageSid", "SM" + "1" * 32)]),
    MultiDict([("Body", "waar is een digipunt"), ("Body", "ok"), ("To", "+3278000000")]),
    MultiDict(),
    FormData([("Body", "twee"), ("Body", "keer"), ("From", "+32470123456")]),  # what request.form() gives
    {"Body": "Hallo", "From": "+32470123456"},
]


@pytest.mark.parametrize(("url", "signed", "form"), list(itertools.product(URLS, URLS, range(len(FORMS)))))
def test_accepts_exactly_what_twilio_s_validator_accepts(url: str, signed: str, form: int) -> None:
    validator = RequestValidator(TOKEN)
    for token in (TOKEN, "another-token"):
        signature = RequestValidator(token).compute_signature(signed, FORMS[form])
        for candidate in (signature, signature[:-2] + "AA", ""):
            expected = validator.validate(url, FORMS[form], candidate)
            assert signature_matches(validator, url, FORMS[form], candidate) is expected
