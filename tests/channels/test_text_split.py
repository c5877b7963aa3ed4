"""Splitting long replies: every part fits (two SMS segments), nothing is lost, whole lines stay together."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.text_split import WHATSAPP_MAX_CHARS, split_for_channel, split_text
from bot.channels.twilio.twiml import twiml_reply
from bot.messages import Option, Reply
from guides.sms import segment_info

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàü0123456789,.:?", min_size=1, max_size=25)
LINE = st.lists(WORD, min_size=1, max_size=30).map(" ".join)
TEXT = st.lists(LINE, min_size=1, max_size=12).map("\n".join)
SPACES = re.compile(r"\s+")


def test_a_short_text_stays_one_part() -> None:
    assert split_for_channel("Hallo! Stuur een nummer.", "sms") == ["Hallo! Stuur een nummer."]


def test_lines_that_fit_are_never_cut() -> None:
    lines = [f"{n} Stap {n}: tik op Instellingen, dan op Verbindingen en zet de hotspot aan." for n in range(1, 9)]
    parts = split_for_channel("\n".join(lines), "sms")
    assert len(parts) > 1
    assert [line for part in parts for line in part.split("\n")] == lines
    assert all(segment_info(part).segments <= 2 for part in parts)


def test_a_long_line_is_cut_between_sentences() -> None:
    sentences = [f"Zin nummer {n} gaat over het Digipunt in de bibliotheek." for n in range(10)]
    parts = split_for_channel(" ".join(sentences), "sms")
    assert len(parts) > 1
    assert all(part.endswith(".") for part in parts)


def test_ucs2_text_counts_as_ucs2() -> None:
    text = "\n".join(["Geïnstalleerd op je gsm in België, dat is ok."] * 6)
    parts = split_for_channel(text, "sms")
    assert all(segment_info(part).encoding == "UCS-2" and segment_info(part).segments <= 2 for part in parts)
    assert len(parts) >= 2


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_every_sms_part_fits_and_nothing_is_lost(text: str) -> None:
    parts = split_for_channel(text, "sms")
    assert all(part.strip() for part in parts)
    assert all(segment_info(part).segments <= 2 for part in parts)
    assert SPACES.sub(" ", " ".join(parts)).strip() == SPACES.sub(" ", text).strip()


@settings(max_examples=50, deadline=None)
@given(st.lists(LINE, min_size=1, max_size=120).map("\n".join))
def test_whatsapp_parts_stay_under_the_body_limit(text: str) -> None:
    parts = split_text(text, lambda part: len(part) <= WHATSAPP_MAX_CHARS)
    assert all(len(part) <= WHATSAPP_MAX_CHARS for part in parts)
    assert SPACES.sub(" ", " ".join(parts)).strip() == SPACES.sub(" ", text).strip()


def test_twiml_keeps_numbered_options_gsm7_and_escapes_xml() -> None:
    reply = Reply(text="Kies één: <ja> & “nee”", options=(Option("1", "Ja"), Option("2", "Nee")))
    xml = twiml_reply([reply], "sms")
    assert "&lt;ja&gt; &amp;" in xml
    assert "1 Ja  2 Nee" in xml
    assert "“" not in xml  # curly quotes became GSM-7 quotes
