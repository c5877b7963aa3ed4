"""Channel test fixtures: fake Twilio and Telegram servers, channel settings, the app with its lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlmodel import Session, func, select
from twilio.request_validator import RequestValidator

from bot.app import create_app
from bot.runtime import Deps
from bot.settings import Settings
from tests.channels.fakes import FakeTelegram, FakeTwilio, serve

PUBLIC = "https://digibuur.example.org"
TWILIO_TOKEN = "test-twilio-auth-token"
TWILIO_SID = "AC" + "0" * 32
TELEGRAM_TOKEN = "123456:TEST-token"
TELEGRAM_SECRET = "test-secret_42"
SMS_FROM = "+3293000000"
WHATSAPP_FROM = "whatsapp:+3293000001"


@pytest.fixture
def fake_twilio() -> Iterator[tuple[FakeTwilio, str]]:
    fake = FakeTwilio()
    with serve(fake.app) as url:
        yield fake, url


@pytest.fixture
def fake_telegram() -> Iterator[tuple[FakeTelegram, str]]:
    fake = FakeTelegram()
    with serve(fake.app) as url:
        yield fake, url


def channel_settings(base: Settings, *, twilio_url: str = "", telegram_url: str = "", **extra: Any) -> Settings:
    values: dict[str, Any] = dict(
        public_base_url=PUBLIC,
        twilio_account_sid=TWILIO_SID,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_sms_from=SMS_FROM,
        twilio_whatsapp_from=WHATSAPP_FROM,
        twilio_api_base_url=twilio_url,
        telegram_bot_token=TELEGRAM_TOKEN,
        telegram_webhook_secret=TELEGRAM_SECRET,
        telegram_api_base_url=f"{telegram_url}/bot" if telegram_url else "http://127.0.0.1:9/bot",
    )
    values.update(extra)
    return replace(base, **values)


@pytest.fixture
def wired(deps: Deps, fake_twilio: tuple[FakeTwilio, str], fake_telegram: tuple[FakeTelegram, str]) -> Deps:
    """The test deps with settings for both channels, pointed at the local fakes."""
    deps.settings = channel_settings(deps.settings, twilio_url=fake_twilio[1], telegram_url=fake_telegram[1])
    return deps


@asynccontextmanager
async def app_client(settings: Settings, deps: Deps) -> AsyncIterator[httpx.AsyncClient]:
    """The real app (lifespan entered: Telegram bot started) behind an httpx client, no socket."""
    app = create_app(settings, deps, scheduler=False)
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url=PUBLIC) as http:
        yield http


@pytest.fixture
async def client(wired: Deps) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(wired.settings, wired) as http:
        yield http


def sign(form: dict[str, str], url: str, token: str = TWILIO_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(url, form))


async def post_twilio(
    http: httpx.AsyncClient,
    form: dict[str, str],
    *,
    path: str = "/webhooks/twilio",
    signed_url: str | None = None,
    token: str = TWILIO_TOKEN,
) -> httpx.Response:
    """POST a form the way Twilio does, signed with twilio's own RequestValidator."""
    signature = sign(form, signed_url or PUBLIC + path, token)
    return await http.post(path, data=form, headers={"X-Twilio-Signature": signature})


def count(deps: Deps, table: Any) -> int:
    with Session(deps.db) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())
