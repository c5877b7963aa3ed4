"""The web chat simulator: talk to digibuur as an SMS, WhatsApp, Telegram user or caller and see what they get.

Simulated conversations are tests: tickets they open are marked so, never announced and never messaged. The page
builds every message from text only (static script, no inline code); the moment and location are the tester's."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.messages import Address, GeoPoint, Inbound, clean_text
from bot.render import render_all
from bot.runtime import Deps
from bot.service import handle
from bot.simulator.map import build_picker
from bot.simulator.voice import simulate_call
from bot.web.rate_limit import RateLimiter
from storage import queries
from storage.db import transaction

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]))
SIM_CHANNELS = ("sms", "whatsapp", "telegram", "voice")
SIM_PREFIX = "sim:"
MAX_TEXT = 5000
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)


def _unprocessable(detail: str) -> HTTPException:
    return HTTPException(status_code=422, detail=detail)


def parse_moment(raw: str, timezone: str) -> datetime:
    """An ISO 8601 moment ("2026-12-05 22:00", "2026-12-05T22:00+01:00"); without an offset it is local time
    in `timezone`. Raises ValueError for anything else or a moment outside 2000-2099."""
    moment = datetime.fromisoformat(raw.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(timezone))
    moment = moment.astimezone(UTC)
    if not EARLIEST <= moment < LATEST:
        raise ValueError("the moment must lie between 2000 and 2099")
    return moment


def _channel_and_address(payload: dict[str, Any]) -> tuple[str, str]:
    channel = payload.get("channel") or "sms"
    if channel not in SIM_CHANNELS:
        raise _unprocessable(f"channel must be one of {', '.join(SIM_CHANNELS)}")
    address = payload.get("address")
    if not isinstance(address, str) or not address.strip() or len(address.strip()) > 64:
        raise _unprocessable("address is required (at most 64 characters)")
    return str(channel), clean_text(address).strip()


def _coordinate(value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _unprocessable("lat and lon must be numbers")
    try:
        number = float(value)
    except ValueError as exc:
        raise _unprocessable("lat and lon must be numbers") from exc
    if not math.isfinite(number) or not low <= number <= high:
        raise _unprocessable("lat must lie in -90..90 and lon in -180..180")
    return number


def _location(payload: dict[str, Any]) -> GeoPoint | None:
    if payload.get("lat") is None or payload.get("lon") is None:
        return None
    return GeoPoint(_coordinate(payload["lat"], -90, 90), _coordinate(payload["lon"], -180, 180))


def _moment(deps: Deps, payload: dict[str, Any]) -> datetime | None:
    raw = payload.get("at")
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or len(raw) > 40:
        raise _unprocessable("at must be a moment such as 2026-12-05 22:00")
    try:
        return parse_moment(raw, deps.settings.timezone)
    except ValueError as exc:
        raise _unprocessable(f"at: {exc}" if "2000" in str(exc) else
                             "at must be a moment such as 2026-12-05 22:00 or 2026-12-05T22:00+01:00") from exc


def simulate(deps: Deps, payload: dict[str, Any]) -> dict[str, Any]:
    """Run one simulated message through the real service (at the chosen moment, as a test) and render the
    replies for the chosen channel."""
    channel, address = _channel_and_address(payload)
    moment = _moment(deps, payload)
    run_deps = deps if moment is None else replace(deps, clock=lambda: moment)
    now = run_deps.clock()
    local = now.astimezone(ZoneInfo(deps.settings.timezone)).isoformat(timespec="minutes")
    if channel == "voice":  # a phone call: keys in, spoken text out
        return {**simulate_call(run_deps, payload, f"{SIM_PREFIX}{address}", now), "moment": local, "test": True}
    text = payload.get("text", "")
    if not isinstance(text, str):
        raise _unprocessable("text must be a string")
    location = _location(payload)
    inbound = Inbound(address=Address(channel=channel, id=f"{SIM_PREFIX}{address}"), text=clean_text(text[:MAX_TEXT]),
                      received_at=now, location=location, test=True)
    result = handle(inbound, run_deps)
    replies = []
    for rendered in render_all(result.replies, channel):
        item: dict[str, Any] = {
            "text": rendered.text,
            "options": [o.label for o in rendered.options],
            "segments": rendered.segments,
            "encoding": rendered.encoding,
            "ask_location": rendered.ask_location,
        }
        if rendered.place is not None:
            item["place"] = {"name": rendered.place.name, "address": rendered.place.address,
                             "lat": rendered.place.lat, "lon": rendered.place.lon}
        replies.append(item)
    return {"replies": replies, "moment": local, "test": True}


def reset(deps: Deps, payload: dict[str, Any]) -> dict[str, Any]:
    """A new conversation: forget the simulated address's conversation state (its tickets stay)."""
    channel, address = _channel_and_address(payload)
    with transaction(deps.db) as session:
        known = queries.reset_conversation(session, channel, f"{SIM_PREFIX}{address}")
    return {"reset": known}


async def _json_object(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        payload = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # deep nesting is refused like any other bad JSON
        raise HTTPException(status_code=400, detail="body must be JSON") from exc
    if not isinstance(payload, dict):
        raise HTTPException(status_code=400, detail="body must be a JSON object")
    return payload


def client_key(request: Request) -> str:
    """Who is asking, for the rate limit: the client address (the real one behind a trusted proxy)."""
    return request.client.host if request.client else "unknown"


def router(deps: Deps, *, prefix: str = "/simulator", per_minute: int | None = None,
           console: bool = False) -> APIRouter:
    """The simulator page and its JSON endpoints; `per_minute` limits each client (the public simulator)."""
    api = APIRouter()
    limiter = RateLimiter(per_minute) if per_minute else None

    def limited(request: Request) -> JSONResponse | None:
        if limiter is None:
            return None
        key = client_key(request)
        if limiter.allow(key):
            return None
        return JSONResponse({"detail": "too many messages: wait a minute"}, status_code=429,
                            headers={"retry-after": str(limiter.retry_after(key))})

    @api.get(prefix, response_class=HTMLResponse)
    def page() -> HTMLResponse:
        picker = build_picker(deps.library().places)
        html = TEMPLATES.get_template("simulator.html").render(prefix=prefix, console=console, picker=picker,
                                                              timezone=deps.settings.timezone)
        return HTMLResponse(html)

    async def run(request: Request, action: Callable[[Deps, dict[str, Any]], dict[str, Any]]
                  ) -> dict[str, Any] | JSONResponse:
        """Within the rate limit: the JSON body to `action`, off the event loop."""
        refused = limited(request)
        if refused is not None:
            return refused
        payload = await _json_object(request)
        return await run_in_threadpool(action, deps, payload)

    @api.post(f"{prefix}/send", response_model=None)
    async def send(request: Request) -> dict[str, Any] | JSONResponse:
        return await run(request, simulate)

    @api.post(f"{prefix}/reset", response_model=None)
    async def new_conversation(request: Request) -> dict[str, Any] | JSONResponse:
        return await run(request, reset)

    return api
