"""`digibuur telegram set-webhook` and `poll`: registering the webhook with the secret, polling through the
same handling code as the webhook."""

from __future__ import annotations

import pytest
from telegram import Update

from bot.channels.telegram.ops import polling_application
from bot.cli import build_parser, main
from bot.runtime import Deps
from tests.channels.conftest import PUBLIC, TELEGRAM_SECRET, TELEGRAM_TOKEN
from tests.channels.fakes import FakeTelegram


def test_set_webhook_registers_the_public_url_with_the_secret(
    fake_telegram: tuple[FakeTelegram, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fake, url = fake_telegram
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC + "/")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", TELEGRAM_SECRET)
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", f"{url}/bot")
    assert main(["telegram", "set-webhook"]) == 0
    [(_, params)] = fake.sent("setWebhook")
    assert params["url"] == PUBLIC + "/webhooks/telegram"
    assert params["secret_token"] == TELEGRAM_SECRET
    assert params["allowed_updates"] == ["message", "callback_query"]
    assert "webhooks/telegram" in capsys.readouterr().out


def test_set_webhook_refuses_an_http_public_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TELEGRAM_TOKEN)
    monkeypatch.setenv("TELEGRAM_WEBHOOK_SECRET", TELEGRAM_SECRET)
    assert main(["telegram", "set-webhook"]) == 2
    assert "https" in capsys.readouterr().err


def test_poll_help_warns_that_polling_deletes_the_webhook(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["telegram", "poll", "--help"])
    assert "deletes the bot's webhook" in capsys.readouterr().out.replace("\n", " ")


async def test_polled_updates_go_through_the_webhook_handling(
    wired: Deps, fake_telegram: tuple[FakeTelegram, str]
) -> None:
    application = polling_application(wired, wired.settings)
    await application.initialize()
    try:
        data = {
            "update_id": 900000001,
            "message": {
                "message_id": 1,
                "date": 1795000000,
                "text": "Hallo",
                "from": {"id": 3330001, "is_bot": False, "first_name": "Lien"},
                "chat": {"id": 3330001, "type": "private", "first_name": "Lien"},
            },
        }
        for _ in range(2):  # the same update twice: handled once
            await application.process_update(Update.de_json(data, application.bot))
    finally:
        await application.shutdown()
    sent = fake_telegram[0].sent("sendMessage")
    assert len(sent) == 1 and "1 Digipunt in de buurt" in sent[0][1]["text"]
