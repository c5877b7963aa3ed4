"""Helper organisations (data edited by staff): hours, languages, topics, how they are notified."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
import yaml
from opening_hours import OpeningHours

from bot.content_base.yamlio import load_yaml

NOTIFY_KINDS = ("inbox", "telegram", "sms")
MAX_HOURS_CHARS = 500  # the same limit as places.hours (handoff does not import places)


class OrganisationError(ValueError):
    """The organisations file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Organisation:
    """One helper organisation."""

    id: str
    name: str
    active: bool = True
    hours: str | None = None
    languages: tuple[str, ...] = ("nl",)
    topics: tuple[str, ...] = ()
    notify: str = "inbox"
    notify_target: str | None = None
    note: dict[str, str] = field(default_factory=dict)

    def opening(self, timezone: str) -> OpeningHours | None:
        if not self.hours:
            return None
        return OpeningHours(self.hours, timezone=ZoneInfo(timezone), country="BE")

    def is_open(self, at: datetime, timezone: str) -> bool | None:
        """True/False when hours are known, None when staff have not filled them in yet."""
        hours = self.opening(timezone)
        if hours is None:
            return None
        return bool(hours.is_open(at.astimezone(ZoneInfo(timezone))))

    def next_open(self, at: datetime, timezone: str) -> datetime | None:
        hours = self.opening(timezone)
        if hours is None:
            return None
        local = at.astimezone(ZoneInfo(timezone))
        if hours.is_open(local):
            return local
        result = hours.next_change(local)
        return result if isinstance(result, datetime) else None

    def closes_at(self, at: datetime, timezone: str) -> datetime | None:
        hours = self.opening(timezone)
        if hours is None:
            return None
        local = at.astimezone(ZoneInfo(timezone))
        if not hours.is_open(local):
            return None
        result = hours.next_change(local)
        if isinstance(result, datetime) and result - local < timedelta(days=2):
            return result
        return None

    def open_minutes(self, start: datetime, end: datetime, timezone: str) -> float:
        """Helpdesk minutes between two moments (wall-clock minutes when the hours are not filled in)."""
        if end <= start:
            return 0.0
        hours = self.opening(timezone)
        if hours is None:
            return (end - start).total_seconds() / 60
        zone = ZoneInfo(timezone)
        total = 0.0
        for begin, finish, state, _comment in hours.intervals(start.astimezone(zone), end.astimezone(zone)):
            if str(state).lower().endswith("open") and finish is not None:
                total += (min(finish, end) - max(begin, start)).total_seconds() / 60
        return max(total, 0.0)


def parse_organisations(
    text: str, filename: str = "organisations.yaml", languages: tuple[str, ...] | None = None
) -> tuple[Organisation, ...]:
    """The organisations in a file's text; `languages`: the codes helpers may declare (the language list)."""
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        raise OrganisationError(f"{filename}: invalid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("organisations"), list):
        raise OrganisationError(f"{filename}: expected a list under 'organisations'")
    result: list[Organisation] = []
    seen: set[str] = set()
    for index, item in enumerate(raw["organisations"], start=1):
        where = f"{filename}: organisation {index}"
        if not isinstance(item, dict) or item.get("id") in (None, "") or not item.get("name"):
            raise OrganisationError(f"{where}: needs an id and a name")
        if not isinstance(item["id"], str):
            raise OrganisationError(f"{where}: id {item['id']!r} must be text: put it in quotes")
        org = _organisation(item, where)
        unknown = [code for code in org.languages if languages is not None and code not in languages]
        if unknown:
            raise OrganisationError(f"{where}: languages {unknown} are not in the language list (_languages.yaml)")
        if org.id in seen:
            raise OrganisationError(f"{where}: duplicate id {org.id!r}")
        seen.add(org.id)
        result.append(org)
    return tuple(result)


def _organisation(item: dict[str, Any], where: str) -> Organisation:
    hours = item.get("hours")
    if hours and len(str(hours)) > MAX_HOURS_CHARS:
        raise OrganisationError(f"{where}: hours may be at most {MAX_HOURS_CHARS} characters long")
    if hours:
        try:
            OpeningHours(str(hours), timezone=ZoneInfo("Europe/Brussels"), country="BE")
        except Exception as exc:
            raise OrganisationError(f"{where}: hours {hours!r} are not valid opening_hours syntax: {exc}") from exc
    notify = str(item.get("notify") or "inbox")
    if notify not in NOTIFY_KINDS:
        raise OrganisationError(f"{where}: notify must be one of {', '.join(NOTIFY_KINDS)}")
    target = _notify_target(notify, item.get("notify_target"), where)
    return Organisation(
        id=str(item["id"]),
        name=str(item["name"]),
        active=bool(item.get("active", True)),
        hours=str(hours) if hours else None,
        languages=tuple(str(x) for x in item.get("languages") or ("nl",)),
        topics=tuple(str(x) for x in item.get("topics") or ()),
        notify=notify,
        notify_target=target,
        note={str(k): str(v) for k, v in (item.get("note") or {}).items()},
    )


def _notify_target(notify: str, raw: Any, where: str) -> str | None:
    """A Telegram chat id (an integer, groups are negative) or an SMS number (stored in E.164)."""
    if raw is None or str(raw).strip() == "":
        if notify != "inbox":
            raise OrganisationError(f"{where}: notify {notify} needs a notify_target")
        return None
    text = str(raw).strip()
    if notify == "telegram":
        if not text.lstrip("-").isdigit():
            raise OrganisationError(f"{where}: notify_target must be a Telegram chat id (a number), not {text!r}")
        return text
    if notify == "sms":
        try:
            number = phonenumbers.parse(text, "BE")
        except phonenumbers.NumberParseException as exc:
            raise OrganisationError(f"{where}: notify_target {text!r} is not a phone number") from exc
        if not phonenumbers.is_valid_number(number):
            raise OrganisationError(f"{where}: notify_target {text!r} is not a valid phone number")
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return text


def load_organisations(path: Path, languages: tuple[str, ...] | None = None) -> tuple[Organisation, ...]:
    return parse_organisations(path.read_text(encoding="utf-8"), str(path), languages)
