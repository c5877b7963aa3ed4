"""/metrics stays small whatever paths are requested (series are labelled by route template or "other") and asks
for a bearer token when METRICS_TOKEN is set."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

import httpx
import pytest

from bot.app import create_app
from bot.runtime import Deps
from tests.channels.conftest import PUBLIC, channel_settings


@pytest.fixture
async def http(deps: Deps) -> AsyncIterator[httpx.AsyncClient]:
    deps.settings = channel_settings(deps.settings)
    app = create_app(deps.settings, deps, scheduler=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC) as client:
        yield client


async def test_a_thousand_made_up_webhook_paths_leave_metrics_small(http: httpx.AsyncClient) -> None:
    for number in range(1000):
        response = await http.post(f"/webhooks/probe-{number}/x{number}", content=b"a=1")
        assert response.status_code in (404, 405)
    await http.post("/webhooks/twilio", data={"From": "+32470000001"})  # a real route: its own series
    metrics = await http.get("/metrics")
    assert metrics.status_code == 200
    print(f"\n/metrics after 1,000 made-up webhook paths: {len(metrics.content):,} bytes")
    assert len(metrics.content) < 50_000, len(metrics.content)
    assert "probe-" not in metrics.text
    assert 'digibuur_webhook_latency_seconds_count{route="other"} 1000.0' in metrics.text
    assert 'digibuur_webhook_latency_seconds_count{route="/webhooks/twilio"} 1.0' in metrics.text


async def test_metrics_token_is_required_when_set(deps: Deps) -> None:
    deps.settings = replace(channel_settings(deps.settings), metrics_token="s3cret-metrics")
    app = create_app(deps.settings, deps, scheduler=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC) as client:
        assert (await client.get("/metrics")).status_code == 401
        wrong = await client.get("/metrics", headers={"authorization": "Bearer nope"})
        assert wrong.status_code == 401 and wrong.headers["www-authenticate"].startswith("Bearer")
        assert (await client.get("/metrics", headers={"authorization": "Basic s3cret-metrics"})).status_code == 401
        right = await client.get("/metrics", headers={"authorization": "Bearer s3cret-metrics"})
        assert right.status_code == 200 and "digibuur_messages" in right.text


async def test_metrics_are_open_without_a_token(http: httpx.AsyncClient) -> None:
    assert (await http.get("/metrics")).status_code == 200
