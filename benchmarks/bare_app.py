"""The baseline for the webhook benchmark: a bare Starlette endpoint that only parses the same form and
returns constant TwiML."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hallo!</Message></Response>'


async def webhook(request: Request) -> Response:
    form = await request.form()
    if not form.get("From"):
        return Response("missing From", status_code=400)
    return Response(TWIML, media_type="application/xml")


app = Starlette(routes=[Route("/webhooks/twilio", webhook, methods=["POST"])])
