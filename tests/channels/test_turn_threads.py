"""The Twilio webhook runs turns that leave the event loop in worker threads of its own: a message is not queued
behind console pages that hold every shared worker thread."""

from __future__ import annotations

import asyncio
import threading

import anyio.to_thread
from anyio.to_thread import current_default_thread_limiter

from bot.channels.twilio.inbound import handle_webhook
from bot.messages import Address, Inbound
from bot.runtime import Deps


def test_a_webhook_turn_does_not_wait_for_the_shared_worker_threads(deps: Deps) -> None:
    message = Inbound(address=Address("sms", "+32470000041"), text="menu", received_at=deps.clock(),
                      external_id="SM-threads-1")

    async def scenario() -> str:
        current_default_thread_limiter().total_tokens = 1
        release = threading.Event()
        page = asyncio.ensure_future(anyio.to_thread.run_sync(release.wait, 30.0))  # a console page, say
        await asyncio.sleep(0.05)
        assert current_default_thread_limiter().borrowed_tokens == 1  # every shared thread is busy
        try:
            handled = await asyncio.wait_for(handle_webhook(message, deps), 5)
        finally:
            release.set()
            await page
        return handled.result.replies[0].text

    assert asyncio.run(scenario()).startswith("Waarmee")
