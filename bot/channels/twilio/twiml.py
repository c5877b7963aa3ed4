"""Inline replies as TwiML: one <Message> per reply part (long SMS split at line boundaries, within the budget).

The document is written from one escaped template: the same bytes twilio's `MessagingResponse` produces
(`tests/channels/test_twiml.py` compares them for tricky text); text that UTF-8 cannot carry (a lone surrogate)
goes through `MessagingResponse` itself."""

from __future__ import annotations

from collections.abc import Sequence

from twilio.twiml.messaging_response import MessagingResponse

from bot.channels.text_split import split_for_channel
from bot.messages import Reply
from bot.render import render

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'
EMPTY = DECLARATION + "<Response />"

Part = tuple[str, str | None, str | None]  # body, action (status callback URL), image URL


def _text(value: str) -> str:
    """Element text escaped as ElementTree escapes it (twilio's TwiML is written by ElementTree)."""
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def _attribute(value: str) -> str:
    value = _text(value)
    if '"' in value:
        value = value.replace('"', "&quot;")
    if "\r" in value:
        value = value.replace("\r", "&#13;")
    if "\n" in value:
        value = value.replace("\n", "&#10;")
    if "\t" in value:
        value = value.replace("\t", "&#09;")
    return value


def _message(body: str, action: str | None, image: str | None) -> str:
    attributes = ""
    if action is not None:  # twilio sorts the attributes: action, then method
        attributes = f' action="{_attribute(action)}"' + (' method="POST"' if action else "")
    inner = (_text(body) if body else "") + (f"<Media>{_text(image)}</Media>" if image else "")
    return f"<Message{attributes}>{inner}</Message>" if inner else f"<Message{attributes} />"


def _with_twilio(parts: Sequence[Part]) -> str:
    response = MessagingResponse()
    for body, action, image in parts:
        message = response.message(body=body, action=action, method="POST" if action else None)
        if image:
            message.media(image)
    return str(response.to_xml())


def twiml_document(parts: Sequence[Part]) -> str:
    """The <Response> holding one <Message> per (body, action, image) part."""
    if not parts:
        return EMPTY
    document = DECLARATION + "<Response>" + "".join(_message(*part) for part in parts) + "</Response>"
    try:
        document.encode("utf-8")
    except UnicodeEncodeError:
        return _with_twilio(parts)
    return document


def twiml_reply(replies: Sequence[Reply], channel: str, status_urls: Sequence[str | None] = ()) -> str:
    """The TwiML document answering one inbound message; no replies give an empty <Response/>.

    `status_urls[i]` (when given) is where Twilio reports the delivery status of reply i.
    """
    parts: list[Part] = []
    for index, reply in enumerate(replies):
        rendered = render(reply, channel)
        action = status_urls[index] if index < len(status_urls) else None
        texts = split_for_channel(rendered.text, channel, reply.sms_max_segments)
        image = rendered.extras.get("image_url") if channel == "whatsapp" else None
        last = len(texts) - 1
        parts.extend((text, action, image if image and number == last else None) for number, text in enumerate(texts))
    return twiml_document(parts)
