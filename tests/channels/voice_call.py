"""A phone call played against the real app: signed Twilio Voice payloads in, TwiML parsed with xml.etree out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import yaml

from tests.channels.conftest import PUBLIC, TWILIO_TOKEN, sign

PAYLOADS: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "payloads" / "twilio_voice.yaml").read_text(encoding="utf-8")
)
VOICE_PATH = "/webhooks/twilio/voice"


@dataclass(frozen=True)
class Say:
    text: str
    language: str
    voice: str


@dataclass
class Twiml:
    """The parts of a TwiML answer a test looks at (found structurally, not by string matching)."""

    raw: str
    says: list[Say] = field(default_factory=list)
    gather: dict[str, str] | None = None
    redirect: str | None = None
    redirect_method: str | None = None
    hangup: bool = False
    order: list[str] = field(default_factory=list)

    @property
    def spoken(self) -> str:
        return " ".join(say.text for say in self.says)

    @property
    def turn(self) -> str:
        assert self.gather is not None, self.raw
        return parse_qs(urlsplit(self.gather["action"]).query)["t"][0]


def parse_twiml(text: str) -> Twiml:
    root = ET.fromstring(text)
    assert root.tag == "Response", text
    found = Twiml(raw=text)
    for element in root:
        found.order.append(element.tag)
        if element.tag == "Gather":
            found.gather = dict(element.attrib)
            for child in element:
                assert child.tag == "Say", text
                found.says.append(Say(child.text or "", child.get("language", ""), child.get("voice", "")))
        elif element.tag == "Say":
            found.says.append(Say(element.text or "", element.get("language", ""), element.get("voice", "")))
        elif element.tag == "Redirect":
            found.redirect, found.redirect_method = element.text, element.get("method")
        elif element.tag == "Hangup":
            found.hangup = True
    return found


async def post_signed(http: httpx.AsyncClient, url: str, form: dict[str, str], *, token: str = TWILIO_TOKEN,
                      signature: str | None = None) -> httpx.Response:
    """POST a form to an absolute public URL the way Twilio does (signed over URL + sorted fields)."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    header = signature if signature is not None else sign(form, url, token)
    return await http.post(path, data=form, headers={"X-Twilio-Signature": header})


class Call:
    """One caller's call: start it, press keys at the action URL Twilio was given, or stay silent."""

    def __init__(self, http: httpx.AsyncClient, sid: str, caller: str = "+32470123456") -> None:
        self.http = http
        self.sid = sid
        self.caller = caller
        self.last: Twiml | None = None
        self.exchanges: list[tuple[str, dict[str, str], str]] = []  # (url, form, TwiML) for the closing note

    def form(self, **extra: str) -> dict[str, str]:
        base = {str(k): str(v) for k, v in PAYLOADS["incoming_call"].items()}
        base.update(CallSid=self.sid, From=self.caller, Caller=self.caller)
        base.update(extra)
        return base

    async def _post(self, url: str, form: dict[str, str]) -> Twiml:
        response = await post_signed(self.http, url, form)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/xml")
        self.exchanges.append((url, form, response.text))
        self.last = parse_twiml(response.text)
        return self.last

    async def start(self) -> Twiml:
        return await self._post(PUBLIC + VOICE_PATH, self.form())

    async def press(self, keys: str) -> Twiml:
        assert self.last is not None and self.last.gather is not None, "nothing is waiting for keys"
        gather = {str(k): str(v) for k, v in PAYLOADS["gather"].items()}
        gather["Digits"] = keys
        return await self._post(self.last.gather["action"], self.form(**gather))

    async def say(self, words: str) -> Twiml:
        assert self.last is not None and self.last.gather is not None
        speech = {str(k): str(v) for k, v in PAYLOADS["speech"].items()}
        speech["SpeechResult"] = words
        return await self._post(self.last.gather["action"], self.form(**speech))

    async def silence(self) -> Twiml:
        """No key before the timeout: Twilio follows the <Redirect> after the <Gather>, without Digits."""
        assert self.last is not None and self.last.redirect is not None, "no redirect to follow"
        return await self._post(self.last.redirect, self.form(CallStatus="in-progress"))


def play(deps: Any, sid: str, caller: str, keys: list[str]) -> list[Any]:
    """A call straight through the service, as the voice webhook hands it over (no HTTP): the results per turn."""
    from bot.channels.twilio.voice import caller_address
    from bot.messages import Inbound
    from bot.service import handle

    address = caller_address(caller, sid)
    results = [handle(Inbound(address=address, text="", received_at=deps.clock(), external_id=f"{sid}:start:",
                              payload="call-start", call_id=sid), deps)]
    for pressed in keys:
        keypad = next(reply.keypad for reply in reversed(results[-1].replies) if reply.keypad is not None)
        results.append(handle(Inbound(address=address, text=pressed, received_at=deps.clock(),
                                      external_id=f"{sid}:{keypad.turn}:{pressed}", call_id=sid), deps))
    return results
