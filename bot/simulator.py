"""The web chat simulator: talk to digibuur as an SMS, WhatsApp or Telegram user and see what that channel shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from bot.messages import Address, GeoPoint, Inbound, clean_text
from bot.render import render_all
from bot.service import Deps, handle
from storage.types import utcnow

TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]))
SIM_CHANNELS = ("sms", "whatsapp", "telegram")


def simulate(deps: Deps, payload: dict[str, Any]) -> dict[str, Any]:
    """Run one simulated message through the real service and render the replies for the chosen channel."""
    channel = str(payload.get("channel") or "sms")
    if channel not in SIM_CHANNELS:
        raise HTTPException(status_code=422, detail=f"channel must be one of {', '.join(SIM_CHANNELS)}")
    address = clean_text(str(payload.get("address") or "")).strip()
    if not address or len(address) > 64:
        raise HTTPException(status_code=422, detail="address is required (at most 64 characters)")
    text = payload.get("text", "")
    if not isinstance(text, str):
        raise HTTPException(status_code=422, detail="text must be a string")
    location = None
    if payload.get("lat") is not None and payload.get("lon") is not None:
        try:
            location = GeoPoint(float(payload["lat"]), float(payload["lon"]))
        except (TypeError, ValueError) as exc:
            raise HTTPException(status_code=422, detail="lat and lon must be numbers") from exc
    inbound = Inbound(address=Address(channel=channel, id=f"sim:{address}"), text=clean_text(text[:5000]),
                      received_at=utcnow(),
                      location=location)
    result = handle(inbound, deps)
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
    return {"replies": replies}


def router(deps: Deps, *, prefix: str = "/simulator") -> APIRouter:
    api = APIRouter()

    @api.get(prefix, response_class=HTMLResponse)
    def page() -> HTMLResponse:
        return HTMLResponse(TEMPLATES.get_template("simulator.html").render(endpoint=f"{prefix}/send"))

    @api.post(f"{prefix}/send")
    async def send(request: Request) -> dict[str, Any]:
        try:
            payload = await request.json()
        except ValueError as exc:
            raise HTTPException(status_code=400, detail="body must be JSON") from exc
        if not isinstance(payload, dict):
            raise HTTPException(status_code=400, detail="body must be a JSON object")
        return await run_in_threadpool(simulate, deps, payload)

    return api
