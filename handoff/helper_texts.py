"""Sentences for helpers (announcements, reminders, Telegram claim answers) from handoff/data/helper_texts.yaml."""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date

from bot.content_base.yamlio import load_yaml
from handoff.organisations import Organisation

HELPER_TEXTS_FILE = Path(__file__).resolve().parent / "data" / "helper_texts.yaml"
DEFAULT_LANGUAGE = "nl"


class HelperTextsError(ValueError):
    """The helper sentences file is inconsistent between languages."""


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass(frozen=True)
class HelperTexts:
    """Helper-facing sentences per language."""

    sentences: dict[str, dict[str, str]]

    def get(self, language: str, key: str, **values: Any) -> str:
        table = self.sentences.get(language) or self.sentences[DEFAULT_LANGUAGE]
        template = table.get(key) or self.sentences[DEFAULT_LANGUAGE][key]
        return " ".join(template.format(**values).split())

    def for_organisation(self, org: Organisation | None) -> str:
        """The language an organisation reads: its first language that we have sentences for."""
        for language in org.languages if org else ():
            if language in self.sentences:
                return language
        return DEFAULT_LANGUAGE


def parse_helper_texts(text: str) -> HelperTexts:
    raw = load_yaml(text)
    if not isinstance(raw, dict) or not isinstance(raw.get(DEFAULT_LANGUAGE), dict):
        raise HelperTextsError(f"helper_texts.yaml: needs a '{DEFAULT_LANGUAGE}' section")
    sentences = {
        str(lang): {str(k): str(v) for k, v in table.items()} for lang, table in raw.items() if isinstance(table, dict)
    }
    reference = sentences[DEFAULT_LANGUAGE]
    for language, table in sentences.items():
        if set(table) != set(reference):
            raise HelperTextsError(
                f"helper_texts.yaml: {language} has other keys than {DEFAULT_LANGUAGE}: "
                f"{sorted(set(table) ^ set(reference))}"
            )
        for key, template in table.items():
            if _fields(template) != _fields(reference[key]):
                raise HelperTextsError(f"helper_texts.yaml: {language}.{key} placeholders differ")
    return HelperTexts(sentences)


@lru_cache(maxsize=1)
def helper_texts() -> HelperTexts:
    return parse_helper_texts(HELPER_TEXTS_FILE.read_text(encoding="utf-8"))


def public_base_url() -> str:
    """PUBLIC_BASE_URL for inbox links (read here until Settings is passed to the ticket hooks)."""
    return os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")


INBOX_TICKET_PATH = "/helpers/tickets/{code}"


def inbox_link(code: str, base_url: str | None = None) -> str:
    """The ticket's page in the helper inbox (the route in bot.console.inbox), or "" without a public URL."""
    base = public_base_url() if base_url is None else base_url.rstrip("/")
    return base + INBOX_TICKET_PATH.format(code=code) if base else ""


def window_label(window: str, language: str, texts: HelperTexts, timezone: str = "Europe/Brussels") -> str:
    """'asap', 'morning', 'afternoon', 'day:2026-11-30', 'day:2026-11-30:afternoon' (or the older 'tomorrow')
    in words."""
    if window.startswith("day:"):
        day_text, _, part = window.removeprefix("day:").partition(":")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return window
        said = texts.get(language, "window_day", day=format_date(day, "EEEE d MMMM", locale=language))
        return f"{said}, {texts.get(language, f'window_{part}')}" if part in ("morning", "afternoon") else said
    if window in ("asap", "morning", "afternoon"):
        return texts.get(language, f"window_{window}")
    return window


def local_time(moment: datetime, language: str, timezone: str = "Europe/Brussels") -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{format_date(local.date(), 'EEE d MMM', locale=language)} {local:%H:%M}"
