"""Send outbox items by SMS or WhatsApp with Twilio's REST client (with a timeout); classify Twilio's errors."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError

from bot.channels.twilio.inbound import status_callback_url
from bot.channels.twilio.parse import WHATSAPP_PREFIX, twilio_to
from bot.messages import Address
from bot.outbound.body import reply_from_body
from bot.outbound.sending import OutboxItem, SendOutcome
from bot.render import render
from bot.settings import Settings

log = logging.getLogger("digibuur.channels.twilio_sender")

OPTED_OUT = 21610  # the number sent STOP to Twilio: never retry
OUTSIDE_WINDOW = 63016  # WhatsApp free text outside the 24-hour window: only a template may go
RATE_LIMITED = 20429
DEFAULT_TIMEOUT = 10.0


class HeaderRecordingHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Twilio's HTTP client, remembering the last response's headers (for Retry-After on 429) and body."""

    def __init__(self, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.last_headers: dict[str, str] = {}
        self.last_body: str = ""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        self.last_headers = {}
        self.last_body = ""
        response = super().request(*args, **kwargs)
        self.last_headers = {str(k).lower(): str(v) for k, v in (response.headers or {}).items()}
        self.last_body = str(getattr(response, "text", "") or "")
        return response


def never_reached_twilio(exc: OSError) -> bool:
    """True only when the request certainly did not reach Twilio: the connection was never made (refused, no
    route, DNS, connect timeout). A read timeout or a dropped connection after sending = unknown outcome."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and exc.args:
        reason = getattr(exc.args[0], "reason", exc.args[0])
        return isinstance(reason, NewConnectionError)
    return False


def message_id_in(body: str) -> str | None:
    """A message sid in an error response body: Twilio created the message after all."""
    try:
        data = json.loads(body)
    except ValueError:
        return None
    sid = data.get("sid") if isinstance(data, dict) else None
    return str(sid) if isinstance(sid, str) and sid else None


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def twilio_unavailable(settings: Settings) -> dict[str, str]:
    """Why SMS / WhatsApp cannot be sent from the outbox, per channel (empty = both can)."""
    reasons: dict[str, str] = {}
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        for channel in ("sms", "whatsapp"):
            reasons[channel] = "Twilio is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN)"
        return reasons
    if not settings.twilio_sms_from:
        reasons["sms"] = "TWILIO_SMS_FROM is not set"
    if not settings.twilio_whatsapp_from:
        reasons["whatsapp"] = "TWILIO_WHATSAPP_FROM is not set"
    return reasons


class TwilioSender:
    """One REST client per drain run, for both SMS and WhatsApp."""

    def __init__(self, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.settings = settings
        self.http = HeaderRecordingHttpClient(timeout=timeout)
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=self.http)
        if settings.twilio_api_base_url:
            self.client.api.base_url = settings.twilio_api_base_url.rstrip("/")
        self.status_callback = status_callback_url(settings)

    def _sender_params(self, channel: str) -> dict[str, str]:
        if channel == "whatsapp":
            number = self.settings.twilio_whatsapp_from
            return {"from_": number if number.startswith(WHATSAPP_PREFIX) else WHATSAPP_PREFIX + number}
        number = self.settings.twilio_sms_from
        if number.startswith("MG"):
            return {"messaging_service_sid": number}
        return {"from_": number}

    def _params(self, item: OutboxItem, *, template: bool) -> dict[str, Any]:
        reply = reply_from_body(item.body)
        params: dict[str, Any] = {
            "to": twilio_to(Address(item.channel, item.address)),
            **self._sender_params(item.channel),
        }
        if self.status_callback:
            params["status_callback"] = self.status_callback
        text = render(reply, item.channel).text
        if template:
            params["content_sid"] = self.settings.twilio_whatsapp_template_sid
            params["content_variables"] = json.dumps({"1": " ".join(text.split())}, ensure_ascii=False)
        else:
            params["body"] = text
        return params

    def send(self, item: OutboxItem) -> SendOutcome:
        return self._create(item, template=item.template)

    def _create(self, item: OutboxItem, *, template: bool) -> SendOutcome:
        try:
            message = self.client.messages.create(**self._params(item, template=template))
        except TwilioRestException as exc:
            return self._classify(item, exc, template=template)
        except OSError as exc:  # requests' timeouts and connection errors are OSErrors
            if never_reached_twilio(exc):
                return SendOutcome("retry", error=f"network: {type(exc).__name__} before Twilio got the message")
            # Twilio may have accepted (and charged for) the message: never send it again automatically.
            return SendOutcome("unknown", error=f"network: {type(exc).__name__} after sending")
        return SendOutcome("sent", provider_id=str(message.sid))

    def _classify(self, item: OutboxItem, exc: TwilioRestException, *, template: bool) -> SendOutcome:
        code = int(exc.code) if exc.code is not None else None
        status = int(exc.status)
        error = f"twilio {status} error {code}: {exc.msg}"[:500]
        if code == OPTED_OUT:
            return SendOutcome("failed", error=error, opted_out=True)
        if code == OUTSIDE_WINDOW and not template:
            if self.settings.twilio_whatsapp_template_sid:
                return self._create(item, template=True)
            return SendOutcome("skipped", error="outside the WhatsApp 24-hour window (63016) and no template")
        if status == 429 or code == RATE_LIMITED:
            wait = retry_after_seconds(self.http.last_headers.get("retry-after"))
            return SendOutcome("retry", error=error, retry_after=wait if wait is not None else 1.0)
        if status >= 500:
            sid = message_id_in(self.http.last_body)
            if sid is not None:  # a 5xx that names a message: it exists, so do not send another
                return SendOutcome("unknown", provider_id=sid, error=error)
            return SendOutcome("retry", error=error)
        return SendOutcome("failed", error=error)
