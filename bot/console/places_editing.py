"""Digipunt edits on the places YAML (details, hours, helper hours, add, retire), checked field by field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from bot.console.saving import Issue
from bot.content_base.languages import LanguageList
from bot.content_base.yamlio import load_yaml
from places.hours import hours_problem
from places.model import STATUSES

PLACES_KEY = "digipunten.yaml"
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TEXT_FIELDS = ("name", "short_name")
ADDRESS_FIELDS = ("street", "number", "postcode", "city")
CONTACT_FIELDS = ("phone", "email", "url")
FIELD_NAMES = {"lat": "de breedtegraad", "lon": "de lengtegraad"}


class PlacesEditError(ValueError):
    """The places file cannot be edited this way."""


def load_document(text: str) -> dict[str, Any]:
    data = load_yaml(text)
    if not isinstance(data, dict) or not isinstance(data.get("places"), list):
        raise PlacesEditError(f"{PLACES_KEY} heeft geen lijst met Digipunten (places)")
    return data


def dump_document(data: dict[str, Any]) -> str:
    return str(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110))


def find_entry(data: dict[str, Any], place_id: str) -> dict[str, Any] | None:
    for entry in data["places"]:
        if isinstance(entry, dict) and entry.get("id") == place_id:
            return entry
    return None


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _number(form: Mapping[str, str], name: str, issues: list[Issue]) -> float | None:
    raw = _clean(form.get(name))
    if raw is None:
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        issues.append(Issue("error", f"{FIELD_NAMES.get(name, name)} moet een getal zijn, zoals 51.05", step=name))
        return None


def apply_form(entry: dict[str, Any], form: Mapping[str, str], languages: LanguageList) -> list[Issue]:
    """Write the form's values into one place entry; problems name the field (in Issue.step).

    Notes come per language (the form shows the source language beside one other): languages not in the
    form keep their text. Once a place has a note, every active language needs it."""
    issues: list[Issue] = []
    for name in TEXT_FIELDS:
        if name in form:
            value = _clean(form.get(name))
            if name == "name" and value is None:
                issues.append(Issue("error", "de naam is verplicht", step="name"))
            elif value is not None:
                entry[name] = value
    if "status" in form:
        status = form.get("status", "")
        if status not in STATUSES:
            issues.append(Issue("error", f"kies een status uit de lijst ({', '.join(STATUSES)})", step="status"))
        else:
            entry["status"] = status
    address = dict(entry.get("address") or {})
    for name in ADDRESS_FIELDS:
        if name in form:
            address[name] = _clean(form.get(name))
    entry["address"] = {k: v for k, v in address.items() if v is not None}
    if "lat" in form or "lon" in form:
        lat, lon = _number(form, "lat", issues), _number(form, "lon", issues)
        if (lat is None) != (lon is None):
            issues.append(Issue("error", "vul zowel breedtegraad als lengtegraad in, of geen van beide", step="lat"))
        entry["lat"], entry["lon"] = lat, lon
    for name in ("hours", "helper_hours"):
        if name in form:
            value = _clean(form.get(name))
            problem = hours_problem(value) if value is not None else None
            if problem is not None:
                issues.append(Issue("error", problem, step=name))
            entry[name] = value
    if "helper" in form:
        entry["helper"] = {"yes": True, "no": False}.get(form.get("helper", ""))
    if "booking_form" in form:
        _apply_booking(entry, form, issues)
    contact = dict(entry.get("contact") or {})
    for name in CONTACT_FIELDS:
        if name in form:
            contact[name] = _clean(form.get(name))
    entry["contact"] = {k: v for k, v in contact.items() if v is not None}
    posted = {lang: _clean(form.get(f"notes_{lang}")) for lang in languages.codes if f"notes_{lang}" in form}
    if posted:
        notes = {str(k): str(v) for k, v in (entry.get("notes") or {}).items() if v}
        for lang, text in posted.items():
            if text is None:
                notes.pop(lang, None)
            else:
                notes[lang] = text
        missing = [lang for lang in languages.active if lang not in notes]
        if notes and missing:
            issues.append(Issue(
                "error", f"de opmerking ontbreekt nog in {', '.join(missing)}: schrijf ze in elke actieve taal "
                "(of maak ze overal leeg)", step="notes"))
        if notes:
            entry["notes"] = {lang: notes[lang] for lang in languages.codes if lang in notes}
        else:
            entry.pop("notes", None)
    return issues


BOOKING_NUMBERS = ("minutes", "seats", "ahead_days", "book_until_minutes", "cancel_until_minutes")


def _apply_booking(entry: dict[str, Any], form: Mapping[str, str], issues: list[Issue]) -> None:
    """The booking rules from the form (checked on save by the places validator: hours, holidays, closures)."""
    if not form.get("booking_on"):
        entry.pop("booking", None)
        return
    rules: dict[str, Any] = {
        "confirmed": bool(form.get("booking_confirmed")),
        "days": [day.strip() for day in (form.get("booking_days") or "").split(",") if day.strip()],
        "windows": [w.strip() for w in (form.get("booking_windows") or "").split(",") if w.strip()],
    }
    for name in BOOKING_NUMBERS:
        raw = (form.get(f"booking_{name}") or "").strip()
        if not raw.isdigit():
            issues.append(Issue("error", f"afspraken: '{raw}' is geen geheel getal ({name})", step="booking"))
            continue
        rules[name] = int(raw)
    rules["remind_at"] = (form.get("booking_remind_at") or "18:00").strip()
    before = (form.get("booking_remind_before_minutes") or "").strip()
    if before and not before.isdigit():
        issues.append(Issue("error", f"afspraken: '{before}' is geen geheel getal (tweede herinnering)",
                            step="booking"))
    elif before:
        rules["remind_before_minutes"] = int(before)
    entry["booking"] = rules


def notes_completeness(entry: dict[str, Any], languages: LanguageList) -> list[tuple[str, str, bool, bool]]:
    """Per known language: (code, own name, has a note, active)."""
    notes = entry.get("notes") or {}
    return [(lang.code, lang.name, bool(notes.get(lang.code)), lang.active) for lang in languages.languages]


def _usual_city(data: dict[str, Any]) -> str:
    """The city most places in the file already have (the data says which city this is, not the code)."""
    cities = [str((entry.get("address") or {}).get("city") or "") for entry in data.get("places", [])]
    cities = [city for city in cities if city]
    return max(set(cities), key=cities.count) if cities else ""


def add_place(data: dict[str, Any], form: Mapping[str, str], languages: LanguageList) -> tuple[str, list[Issue]]:
    place_id = (form.get("id") or "").strip()
    if not _SLUG.match(place_id):
        return place_id, [
            Issue(
                "error",
                "de id bestaat uit kleine letters, cijfers en koppeltekens, zoals 'buurthuis-ledeberg'",
                step="id",
            )
        ]
    if find_entry(data, place_id) is not None:
        return place_id, [Issue("error", f"er bestaat al een Digipunt met id '{place_id}'", step="id")]
    entry: dict[str, Any] = {
        "id": place_id,
        "name": "",
        "status": "listed",
        "address": {"city": _usual_city(data)},
        "lat": None,
        "lon": None,
        "hours": None,
        "helper": None,
        "helper_hours": None,
    }
    issues = apply_form(entry, form, languages)
    data["places"].append(entry)
    return place_id, issues


def retire(entry: dict[str, Any]) -> None:
    """A retired place stays findable by name but is never offered as nearest (status historical)."""
    entry["status"] = "historical"
