"""Resident-facing words outside texts/: Telegram buttons in every active language; closure reasons per script."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from bot.channels.telegram.send import button_label
from bot.content_base.languages import shipped_languages
from bot.content_base.yamlio import line_index
from places.describe import status_words
from places.model import PlaceStatus

BUTTONS = Path(__file__).resolve().parents[2] / "bot" / "channels" / "telegram" / "buttons.yaml"


def test_every_telegram_button_has_every_known_language() -> None:
    text = BUTTONS.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    lines = line_index(text)
    missing = [f"{BUTTONS.name}:{lines[(key,)]}: {key} has no {code}"
               for key, words in data.items() if isinstance(words, dict)
               for code in shipped_languages().codes if not words.get(code)]
    assert missing == []
    assert button_label("share_location", "tr") == "Konumumu paylaş"
    assert button_label("share_location", "xx") == "Share my location"  # the picker's first language


def test_a_closure_reason_is_not_shown_in_another_script(library: object) -> None:
    from bot.content.library import Library

    assert isinstance(library, Library)
    place = library.places.places[0]
    now = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    status = PlaceStatus(place, None, False, False, None, None, closed_reason={"nl": "verbouwing"})
    assert "verbouwing" in status_words(status, "en", now)  # same script: the source's words help
    assert "verbouwing" not in status_words(status, "uk", now)  # Cyrillic reader: no Dutch words inside
