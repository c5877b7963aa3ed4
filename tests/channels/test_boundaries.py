"""Only the channel modules import twilio and telegram: the engine, the service and the outbox core do not."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "bot.engine",
        "bot.service",
        "bot.outbound.sending",
        "bot.outbound.drain",
        "bot.channels.text_split",
        "bot.channels.twilio.parse",
        "bot.channels.twilio.delivery_status",
    ],
)
def test_module_does_not_pull_in_channel_libraries(module: str) -> None:
    code = f"import sys, {module}; print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'twilio', 'telegram'}}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "[]"


def test_channel_modules_do_use_their_libraries() -> None:
    code = (
        "import sys, bot.channels.twilio.inbound, bot.channels.telegram.inbound; "
        "print('twilio' in sys.modules, 'telegram' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "True True"
