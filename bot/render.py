"""Turn a channel-neutral Reply into what a channel shows: numbered options, links, SMS segments."""

from __future__ import annotations

from bot.messages import Rendered, Reply
from guides.sms import segment_info, to_gsm7

INLINE_MAX = 44


def options_text(reply: Reply) -> str:
    """Numbered choices that work on any phone: inline when short ("1 Ja  2 Nee"), one per line otherwise."""
    if not reply.options:
        return ""
    parts = [f"{option.key} {option.label}" for option in reply.options]
    inline = "  ".join(parts)
    if len(reply.options) <= 3 and len(inline) <= INLINE_MAX:
        return inline
    return "\n".join(parts)


def compose(reply: Reply, *, with_link: bool) -> str:
    pieces = [reply.text.strip()]
    numbered = options_text(reply)
    if numbered:
        pieces.append(numbered)
    if with_link and reply.link:
        pieces.append(reply.link)
    if reply.footer:
        pieces.append(reply.footer)
    return "\n".join(piece for piece in pieces if piece)


def sms_spelled(text: str, spelling: tuple[tuple[str, str], ...]) -> str:
    """The language's SMS spelling ('şifre' -> 'sifre' for Turkish), then GSM-7 look-alikes; no bidi marks added."""
    for source, target in spelling:
        text = text.replace(source, target)
    return to_gsm7(text)


def render(reply: Reply, channel: str) -> Rendered:
    """SMS: GSM-7 friendly text in the language's SMS spelling, numbered options. WhatsApp/Telegram: the full
    spelling plus links and pins."""
    if channel == "sms":
        text = sms_spelled(compose(reply, with_link=False), reply.sms_spelling)
    else:
        text = compose(reply, with_link=True)
    info = segment_info(text)
    return Rendered(
        text=text,
        options=reply.options,
        segments=info.segments,
        encoding=info.encoding,
        ask_location=reply.ask_location,
        ask_contact=reply.ask_contact and channel == "telegram",
        place=reply.place if channel in ("telegram", "whatsapp") else None,
        extras={"image_url": reply.image_url} if reply.image_url and channel != "sms" else {},
        language=reply.language,
    )


def render_all(replies: list[Reply] | tuple[Reply, ...], channel: str) -> list[Rendered]:
    return [render(reply, channel) for reply in replies]
