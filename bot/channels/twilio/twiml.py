"""Inline replies as TwiML: one <Message> per reply part (long SMS split at line boundaries, within the budget)."""

from __future__ import annotations

from collections.abc import Sequence

from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.text_split import split_for_channel
from bot.messages import Reply
from bot.render import render


def twiml_reply(replies: Sequence[Reply], channel: str, status_urls: Sequence[str | None] = ()) -> str:
    """The TwiML document answering one inbound message; no replies give an empty <Response/>.

    `status_urls[i]` (when given) is where Twilio reports the delivery status of reply i.
    """
    response = MessagingResponse()
    for index, reply in enumerate(replies):
        rendered = render(reply, channel)
        action = status_urls[index] if index < len(status_urls) else None
        parts = split_for_channel(rendered.text, channel, reply.sms_max_segments)
        image = rendered.extras.get("image_url") if channel == "whatsapp" else None
        for number, part in enumerate(parts):
            message = response.message(body=part, action=action, method="POST" if action else None)
            if image and number == len(parts) - 1:
                message.media(image)
    return str(response.to_xml())
