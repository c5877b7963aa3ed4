"""The TwiML template writes exactly the bytes twilio's MessagingResponse writes, for tricky text too."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.twilio.twiml import _with_twilio, twiml_document

TRICKY = ["", "menu", "a & b", "<b>bold</b>", 'say "hi"', "it's", "tab\there", "line\nbreak", "cr\r\nlf",
          "emoji 😀👍🏽", "België geïnstalleerd", "&amp; already", "]]>", "\x00\x01 controls", "ù€[]{}~^|\\",
          "مرحبا", "Привіт", "  spaces  ", "\ud83d lone surrogate", "1 < 2 > 0"]
ACTIONS = [None, "", "https://example.org/webhooks/twilio/status?m=12", 'https://x.test/s?a=1&b="2"\n\t\r<>']


def with_twilio(parts: list[tuple[str, str | None, str | None]]) -> str:
    """The same replies written by twilio's own MessagingResponse (the module's fallback for text UTF-8 cannot
    carry), the reference the template must match byte for byte."""
    return _with_twilio(parts)


def test_empty_response_is_twilios() -> None:
    assert twiml_document([]) == with_twilio([])


def test_tricky_texts_byte_identical() -> None:
    for body in TRICKY:
        for action in ACTIONS:
            for image in (None, "", "https://example.org/a.png?x=1&y=<2>"):
                parts = [(body, action, image)]
                assert twiml_document(parts) == with_twilio(parts), (body, action, image)
    several = [(body, ACTIONS[index % len(ACTIONS)], None) for index, body in enumerate(TRICKY)]
    assert twiml_document(several) == with_twilio(several)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.text(), st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text())),
                max_size=4))
def test_any_text_byte_identical(parts: list[tuple[str, str | None, str | None]]) -> None:
    assert twiml_document(parts) == with_twilio(parts)
