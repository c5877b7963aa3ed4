"""/metrics in Prometheus format: counts read from the database at scrape time (right across many web
processes) plus this process's webhook latency histogram. No phone numbers or message text in labels."""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.runtime import Deps
from bot.settings import Settings
from storage import reports
from storage.db import read_session

WEBHOOK_PREFIX = "/webhooks/"
OTHER = "other"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class DatabaseCollector(Collector):
    """Reads totals from the tables on every scrape."""

    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    def collect(self) -> Iterator[Any]:
        with read_session(self.deps.db) as session:
            messages = CounterMetricFamily("digibuur_messages", "Messages stored, by channel and direction",
                                           labels=["channel", "direction"])
            for channel, direction, count in reports.messages_by_channel_direction(session):
                messages.add_metric([channel, direction], count)
            yield messages
            intents = CounterMetricFamily("digibuur_replies_by_intent", "Inbound messages by recognised intent",
                                          labels=["intent"])
            for intent, count in reports.inbound_by_intent(session):
                intents.add_metric([intent or "none"], count)
            yield intents
            inbound = reports.inbound_count(session)
            unmatched = reports.unmatched_count(session)
            share = GaugeMetricFamily("digibuur_unmatched_share", "Share of inbound messages not understood")
            share.add_metric([], (unmatched / inbound) if inbound else 0.0)
            yield share
            tickets = GaugeMetricFamily("digibuur_tickets", "Tickets by status and organisation",
                                        labels=["status", "organisation"])
            for status, organisation, count in reports.tickets_by_status_organisation(session):
                tickets.add_metric([status, organisation], count)
            yield tickets
            claim = GaugeMetricFamily("digibuur_time_to_claim_seconds_avg", "Average time from open to claim",
                                      labels=["organisation"])
            per_org: dict[str, list[float]] = {}
            for organisation, created, claimed in reports.claimed_tickets(session):
                per_org.setdefault(organisation, []).append((claimed - created).total_seconds())
            for organisation, values in per_org.items():
                claim.add_metric([organisation], sum(values) / len(values))
            yield claim
            outbox = GaugeMetricFamily("digibuur_outbox", "Outbox rows by status", labels=["status"])
            for status, count in reports.outbox_by_status(session):
                outbox.add_metric([status], count)
            yield outbox
            dead = GaugeMetricFamily("digibuur_dead_letters_unresolved", "Messages that made digibuur fail")
            dead.add_metric([], reports.unresolved_dead_letters(session))
            yield dead


def router(deps: Deps, settings: Settings, app: FastAPI) -> APIRouter:
    registry = CollectorRegistry()
    registry.register(DatabaseCollector(deps))
    latency = Histogram("digibuur_webhook_latency_seconds", "Webhook handling time in this process",
                        ["route"], buckets=LATENCY_BUCKETS, registry=registry)

    app.add_middleware(LatencyMiddleware, histogram=latency)

    api = APIRouter()

    @api.get("/metrics")
    def metrics(request: Request) -> Response:
        if settings.metrics_token and not bearer_ok(request.headers.get("authorization", ""), settings.metrics_token):
            return Response("a bearer token is required (METRICS_TOKEN)", status_code=401, media_type="text/plain",
                            headers={"www-authenticate": 'Bearer realm="metrics"'})
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return api


def bearer_ok(header: str, token: str) -> bool:
    """`Authorization: Bearer <token>`, compared in constant time."""
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode("utf-8"), token.encode("utf-8"))


def route_label(scope: Scope) -> str:
    """The template of the route that answered ("/webhooks/twilio/status"), or "other": never the raw path,
    so requests to made-up paths cannot add series."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path.startswith(WEBHOOK_PREFIX) else OTHER


class LatencyMiddleware:
    """Pure ASGI: observe how long each webhook request takes, labelled by route template (other paths pass
    straight through)."""

    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram
        self._series: dict[str, Histogram] = {}  # per route label: prometheus_client's labels() validates and locks

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not path.startswith(WEBHOOK_PREFIX):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        try:
            await self.app(scope, receive, send)
        finally:
            label = route_label(scope)
            series = self._series.get(label)
            if series is None:
                series = self._series[label] = self.histogram.labels(label)
            series.observe(time.perf_counter() - started)
