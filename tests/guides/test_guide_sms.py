"""SMS segment counting and GSM-7 suggestions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guides.sms import GSM7_BASIC, GSM7_EXTENDED, gsm7_suggestion, segment_info, to_gsm7


def test_gsm7_single_segment_holds_160_characters() -> None:
    info = segment_info("a" * 160)
    assert (info.encoding, info.segments, info.chars, info.ucs2_chars) == ("GSM-7", 1, 160, ())
    assert segment_info("a" * 161).segments == 2


def test_gsm7_parts_hold_153_characters() -> None:
    assert segment_info("a" * 306).segments == 2
    assert segment_info("a" * 307).segments == 3
    assert segment_info("a" * 459).segments == 3
    assert segment_info("a" * 460).segments == 4


def test_extension_characters_count_double() -> None:
    for char in "^{}\\[~]|€":
        assert char in GSM7_EXTENDED
        info = segment_info(char * 80)
        assert (info.encoding, info.chars, info.segments) == ("GSM-7", 160, 1)
        assert segment_info(char * 81).segments == 2


def test_an_escaped_character_is_not_split_over_two_parts() -> None:
    text = "a" * 152 + "€" + "a" * 152  # 306 septets, but the € cannot straddle parts 1 and 2
    info = segment_info(text)
    assert info.chars == 306
    assert info.segments == 3


def test_ucs2_single_segment_holds_70_and_parts_67() -> None:
    assert segment_info("ë" * 70).segments == 1
    assert segment_info("ë" * 71).segments == 2
    assert segment_info("ë" * 134).segments == 2
    info = segment_info("ë" * 135)
    assert (info.encoding, info.segments, info.chars, info.ucs2_chars) == ("UCS-2", 3, 135, ("ë",))


def test_emoji_count_as_two_utf16_units() -> None:
    assert segment_info("\U0001f600" * 35).chars == 70
    assert segment_info("\U0001f600" * 35).segments == 1
    assert segment_info("\U0001f600" * 36).segments == 2


def test_examples_from_stack_md() -> None:
    assert segment_info("geïnstalleerd").ucs2_chars == ("ï",)
    assert segment_info("België").ucs2_chars == ("ë",)
    assert segment_info("connexion à l'hôpital").ucs2_chars == ("ô",)
    assert segment_info("Où êtes-vous ?").encoding == "UCS-2"
    assert segment_info("Dans quel quartier habitez-vous ?").encoding == "GSM-7"
    assert segment_info("é è à ù ü ö ä ñ Ç").encoding == "GSM-7"
    assert segment_info("\u2019").ucs2_chars == ("\u2019",)


def test_one_ucs2_character_shrinks_the_whole_message() -> None:
    text = "a" * 100
    assert segment_info(text).segments == 1
    assert segment_info(text + "ê").segments == 2


def test_suggestions() -> None:
    expected = {"ë": "e", "ï": "i", "ê": "e", "ô": "o", "û": "u", "î": "i", "â": "a", "ç": "c"}
    expected |= {"\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u2013": "-", "\u2014": "-"}
    for char, replacement in expected.items():
        assert gsm7_suggestion(char) == replacement
    assert gsm7_suggestion("Ç") is None  # already GSM-7
    assert gsm7_suggestion("\U0001f600") is None
    assert to_gsm7("Où êtes-vous ? Ça va\u2026") == "Où etes-vous ? Ça va..."
    assert to_gsm7("geïnstalleerd in België") == "geinstalleerd in Belgie"


@given(st.text(alphabet=sorted(GSM7_BASIC | set("ëïêôûîâç\u2019\u201c\u201d\u2026\u2013\u2014"))))
def test_to_gsm7_output_is_gsm7(text: str) -> None:
    info = segment_info(to_gsm7(text))
    assert info.encoding == "GSM-7"
    assert info.ucs2_chars == ()
