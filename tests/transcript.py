"""The transcript harness: a conversation as a list of (resident says, bot answers) turns, run through the
real engine and service and rendered for the channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from bot.messages import Address, GeoPoint, Inbound
from bot.render import render_all
from bot.runtime import Deps
from bot.service import handle

TRANSCRIPTS = Path(__file__).parent / "transcripts"


@dataclass
class TurnResult:
    said: str
    texts: list[str]
    options: list[list[str]]
    segments: list[int]
    places: list[str]
    ask_location: list[bool]

    @property
    def joined(self) -> str:
        return "\n---\n".join(self.texts)


def say(deps: Deps, channel: str, address: str, text: str, *, location: tuple[float, float] | None = None,
        external_id: str | None = None) -> TurnResult:
    inbound = Inbound(address=Address(channel, address), text=text, received_at=deps.clock(),
                      external_id=external_id, location=GeoPoint(*location) if location else None)
    result = handle(inbound, deps)
    rendered = render_all(result.replies, channel)
    return TurnResult(
        said=text,
        texts=[r.text for r in rendered],
        options=[[o.label for o in r.options] for r in rendered],
        segments=[r.segments for r in rendered],
        places=[r.place.name for r in rendered if r.place is not None],
        ask_location=[r.ask_location for r in rendered],
    )


def check_turn(turn: dict[str, Any], got: TurnResult) -> list[str]:
    """Compare one turn with what the bot answered; returns readable failures."""
    problems: list[str] = []
    where = f"said {got.said!r}"
    if "answered" in turn and got.joined.strip() != str(turn["answered"]).strip():
        problems.append(f"{where}: expected exactly\n{turn['answered']}\n--- but got ---\n{got.joined}")
    for piece in turn.get("contains", []):
        if str(piece).lower() not in got.joined.lower():
            problems.append(f"{where}: expected {piece!r} in\n{got.joined}")
    for piece in turn.get("not_contains", []):
        if str(piece).lower() in got.joined.lower():
            problems.append(f"{where}: did not expect {piece!r} in\n{got.joined}")
    if "options" in turn:
        flat = [label for labels in got.options for label in labels]
        if flat != list(turn["options"]):
            problems.append(f"{where}: expected options {turn['options']} but got {flat}")
    if "options_include" in turn:
        flat = [label for labels in got.options for label in labels]
        for label in turn["options_include"]:
            if label not in flat:
                problems.append(f"{where}: expected option {label!r} among {flat}")
    if turn.get("silent") and got.texts:
        problems.append(f"{where}: expected no answer but got\n{got.joined}")
    if not turn.get("silent") and not got.texts:
        problems.append(f"{where}: expected an answer but got none")
    if "max_segments" in turn and got.segments and max(got.segments) > int(turn["max_segments"]):
        problems.append(f"{where}: a reply has {max(got.segments)} SMS segments (max {turn['max_segments']})")
    if "place" in turn and turn["place"] not in got.places:
        problems.append(f"{where}: expected a map pin for {turn['place']!r}, got {got.places}")
    if turn.get("asks_location") and not any(got.ask_location):
        problems.append(f"{where}: expected the bot to ask for a location")
    return problems


def run_file(path: Path, deps: Deps, set_time: Any) -> list[str]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    channel = str(spec.get("channel", "sms"))
    address = str(spec.get("address", "+32470123456"))
    if spec.get("at"):
        set_time(datetime.fromisoformat(str(spec["at"])))
    problems: list[str] = []
    for index, turn in enumerate(spec["turns"], start=1):
        if turn.get("at"):
            set_time(datetime.fromisoformat(str(turn["at"])))
        location = None
        if turn.get("location"):
            location = (float(turn["location"]["lat"]), float(turn["location"]["lon"]))
        got = say(deps, str(turn.get("channel", channel)), address, str(turn.get("said", "")), location=location)
        problems.extend(f"{path.name} turn {index}: {p}" for p in check_turn(turn, got))
        if problems:
            break
    return problems
