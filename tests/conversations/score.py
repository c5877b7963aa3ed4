"""Play blind resident conversations through the real service and score them: success (goal reached) and clean.

Usage: python -m tests.conversations.score tests/data/conversations_tune.yaml [--verbose] [--only t01,t02]

A conversation file is a YAML list; each item has id, channel, language, at (local time), turns (texts or
{location: [lat, lon]}) and one goal (digipunt_list, digipunt_detail, guide, callback_ticket, forget, stop,
language). Success is read from what digibuur did (conversation state, tickets, contact), never from the
resident's script. Clean means success with no turn that digibuur misunderstood: no fallback, re-ask, "did you
mean", not-found place or helper offer for lack of understanding, and no unmatched message recorded.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlmodel import Session, select

from bot.content.library import Library
from bot.messages import Address, GeoPoint, Inbound
from bot.render import render_all
from bot.runtime import Deps, build_deps
from bot.service import handle
from bot.settings import ContentPaths, Settings
from guides.model import Guide, is_step_target
from handoff.organisations import load_organisations
from places.geo import distance_m
from storage import queries
from storage.migrate import upgrade
from storage.models import Conversation, Ticket, Unmatched

ZONE = ZoneInfo("Europe/Brussels")
NEAR_METRES = 2500.0
TURN_GAP = timedelta(seconds=40)
LIST_FLOW = "digipunt-results"
# Sentences that mean digibuur did not understand the turn (a wasted turn for the resident).
MISUNDERSTOOD_KEYS = (
    "fallback_first", "fallback_offer_helper", "no_guide_offer", "guide_hint_unexpected", "guide_stuck_offer",
    "did_you_mean", "choose_number", "dp_unknown", "dp_unknown_again", "dp_unknown_street", "dp_pick_number",
    "ho_number_invalid", "nothing_to_resume", "reask_choice", "reask_yes_no",
)
FINISHED_KEYS = ("guide_done_worked", "guide_done")  # the guide closed warmly: its end was reached
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
AFTER = re.compile(r"after\s+(\d{1,2})(?::(\d{2}))?\s*(pm)?")


@dataclass
class Observed:
    """What happened in one turn."""

    said: str
    texts: list[str]
    segments: list[int]
    state: dict[str, Any]
    misunderstood: list[str]
    unmatched: int
    finished: bool = False


@dataclass
class Outcome:
    """The score of one conversation."""

    id: str
    success: bool
    clean: bool
    reason: str
    turns: list[Observed] = field(default_factory=list)
    over_budget: list[str] = field(default_factory=list)


def load_conversations(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of conversations")
    return data


def local_moment(raw: str) -> datetime:
    moment = datetime.fromisoformat(str(raw))
    return moment if moment.tzinfo else moment.replace(tzinfo=ZONE)


def _starts(library: Library, keys: tuple[str, ...]) -> list[str]:
    return [table[key].split("{", 1)[0].strip().lower() for table in library.texts.sentences.values()
            for key in keys if table.get(key)]


def _markers(library: Library) -> list[str]:
    """The fixed start (before the first placeholder) of every misunderstanding sentence, in every language;
    a reply that starts with one of them is a misunderstanding."""
    found = []
    for table in library.texts.sentences.values():
        for key in MISUNDERSTOOD_KEYS:
            template = table.get(key)
            if template:
                fixed = template.split("{", 1)[0].strip()
                if len(fixed) >= 6:
                    found.append(fixed.lower())
    return found


def _address(index: int, channel: str) -> Address:
    return Address(channel, f"{7000 + index}" if channel == "telegram" else f"+3247099{index:04d}")


def _state(deps: Deps, address: Address) -> dict[str, Any]:
    with Session(deps.db) as session:
        contact = queries.find_contact(session, address.channel, address.id)
        if contact is None:
            return {"_forgotten": True}
        conversation = session.exec(select(Conversation).where(Conversation.contact_id == contact.id)).first()
        state = dict(conversation.state) if conversation is not None else {}
        state["_opted_out"] = contact.opted_out
        return state


def _unmatched_count(deps: Deps) -> int:
    with Session(deps.db) as session:
        return len(list(session.exec(select(Unmatched.id))))


def _tickets(deps: Deps, address: Address) -> list[Ticket]:
    with Session(deps.db) as session:
        contact = queries.find_contact(session, address.channel, address.id)
        if contact is None:
            return []
        return list(session.exec(select(Ticket).where(Ticket.contact_id == contact.id)))


def play(conversation: dict[str, Any], index: int, deps: Deps, clock: Callable[[datetime], None],
         markers: list[str], finished: list[str]) -> list[Observed]:
    channel = str(conversation.get("channel", "sms"))
    address = _address(index, channel)
    moment = local_moment(conversation["at"])
    observed: list[Observed] = []
    for number, turn in enumerate(conversation["turns"]):
        clock(moment + TURN_GAP * number)
        location = None
        text = ""
        if isinstance(turn, dict) and "location" in turn:
            lat, lon = turn["location"]
            location = GeoPoint(float(lat), float(lon))
        else:
            text = str(turn)
        before = _unmatched_count(deps)
        inbound = Inbound(address=address, text=text, received_at=moment + TURN_GAP * number, location=location,
                          external_id=f"{conversation['id']}-{number}")
        result = handle(inbound, deps)
        rendered = render_all(result.replies, channel)
        texts = [r.text for r in rendered]
        missed = [marker for marker in markers for text in texts if text.lower().startswith(marker)]
        done = any(text.lower().startswith(marker) for marker in finished for text in texts)
        observed.append(Observed(said=text or f"<location {turn}>", texts=texts,
                                 segments=[r.segments for r in rendered], state=_state(deps, address),
                                 misunderstood=missed, unmatched=_unmatched_count(deps) - before, finished=done))
    return observed


# ---- goals ----

def _target_point(library: Library, near: str) -> GeoPoint | None:
    pieces = [near, re.sub(r"\(.*?\)", "", near)]
    pieces += re.findall(r"\((.*?)\)", near)
    pieces += [part for chunk in list(pieces) for part in re.split(r"[,(]", chunk)]
    for piece in pieces:
        piece = piece.replace("shared location", "").strip(" ,)")
        if not piece:
            continue
        resolution = library.places.resolve(piece)
        if resolution.point is not None:
            return resolution.point
    return None


def _moment_of(state: dict[str, Any], now: datetime) -> datetime:
    raw = (state.get("data") or {}).get("at")
    if isinstance(raw, str):
        try:
            at = datetime.fromisoformat(raw)
        except ValueError:
            return now
        return at if at > now else now
    return now


def _day_ok(day: str | None, state: dict[str, Any], now: datetime) -> bool:
    if not day:
        return True
    wanted = next((WEEKDAYS.index(name) for name in WEEKDAYS if name in day.lower()), None)
    at = _moment_of(state, now).astimezone(ZONE)
    if wanted is not None and at.weekday() != wanted:
        return False
    after = AFTER.search(day.lower())
    if after:
        hour = int(after[1]) + (12 if after[3] and int(after[1]) < 12 else 0)
        if (at.hour, at.minute) < (hour, int(after[2] or 0)):
            return False
    return True


def _list_turns(observed: list[Observed]) -> Iterator[tuple[int, Observed]]:
    for number, turn in enumerate(observed):
        data = turn.state.get("data") or {}
        if turn.state.get("flow") == LIST_FLOW and data.get("shown") and turn.texts:
            yield number, turn


def _near_ok(library: Library, target: GeoPoint | None, state: dict[str, Any]) -> bool:
    raw = (state.get("data") or {}).get("point")
    if target is None:
        return True
    if not isinstance(raw, list) or len(raw) != 2:
        return False
    return distance_m(GeoPoint(float(raw[0]), float(raw[1])), target) <= NEAR_METRES


def _digipunt(conversation: dict[str, Any], observed: list[Observed], library: Library, detail: bool) -> str:
    goal = conversation["goal"]
    language = conversation["language"]
    target = _target_point(library, str(goal.get("near", "")))
    start = local_moment(conversation["at"])
    problems = []
    for number, turn in _list_turns(observed):
        now = start + TURN_GAP * number
        checks = {
            "near": _near_ok(library, target, turn.state),
            "day": _day_ok(goal.get("day"), turn.state, now),
            "language": turn.state.get("language") == language,
        }
        if detail:
            history = turn.state.get("history") or []
            checks["detail"] = bool(history) and str(history[-1]).startswith("place:")
        failed = [name for name, ok in checks.items() if not ok]
        if not failed:
            return ""
        problems.append(f"turn {number + 1}: wrong {', '.join(failed)}")
    return "; ".join(problems) or "no list of Digipunten"


def _terminal(guide: Guide, step_id: str) -> bool:
    step = guide.steps[step_id]
    return step.kind == "check" or not any(is_step_target(target) for target in step.targets())


def _left_for_places(library: Library, state: dict[str, Any]) -> bool:
    """The state was at a guide's answer step whose options include the Digipunt list (the lessons are given
    in the Digipunten; a basic phone cannot share its internet: go to a Digipunt)."""
    cursor = state.get("guide") or {}
    found = library.guides.get(str(cursor.get("guide_id") or ""))
    step = found.steps.get(str(cursor.get("step_id"))) if found is not None else None
    return step is not None and step.kind == "answer" and "flow:digipunt" in step.targets()


def _guide(conversation: dict[str, Any], observed: list[Observed], library: Library) -> str:
    goal = conversation["goal"]
    topic = str(goal["topic"])
    family = {topic}
    reach = str(goal.get("reach", "end"))
    seen_topic = False
    previous: dict[str, Any] = {}
    for turn in observed:
        was_in = previous.get("flow") == "guide" and (previous.get("guide") or {}).get("guide_id") in family
        before, previous = previous, turn.state
        if turn.finished and was_in and reach == "end":
            return ""
        if was_in and reach == "end" and turn.state.get("flow") == "digipunt-results" and _left_for_places(
                library, before):
            return ""  # the guide's answer sends to a Digipunt, and the resident got the list near them
        cursor = turn.state.get("guide") or {}
        guide_id = cursor.get("guide_id")
        if turn.state.get("flow") != "guide" or not guide_id:
            continue
        if guide_id == topic:
            seen_topic = True
        elif seen_topic:
            family.add(str(guide_id))  # a guide the topic's guide led to ("videobellen" -> WhatsApp)
        if guide_id not in family or turn.state.get("language") != conversation["language"]:
            continue
        found = library.guides.get(str(guide_id))
        if found is None or cursor.get("step_id") not in found.steps:
            continue
        if reach == "started" or _terminal(found, str(cursor["step_id"])):
            return ""
    return f"guide {topic} not {'reached to the end' if reach == 'end' else 'started'}"


def _window_ok(wanted: str | None, window: str) -> bool:
    if not wanted:
        return True
    if wanted == "other_day":
        return window.startswith("day:") or window == "other_day"
    return window == wanted or window.endswith(f":{wanted}")


def _callback(conversation: dict[str, Any], address: Address, deps: Deps, observed: list[Observed]) -> str:
    goal = conversation["goal"]
    tickets = _tickets(deps, address)
    if not tickets:
        return "no ticket"
    ticket = tickets[-1]
    if not _window_ok(goal.get("window"), ticket.callback_window):
        return f"window {ticket.callback_window!r}, wanted {goal.get('window')!r}"
    if goal.get("other_number") and ticket.callback_number != goal["other_number"]:
        return f"number {ticket.callback_number!r}, wanted {goal['other_number']!r}"
    if ticket.language != conversation["language"]:
        return f"ticket language {ticket.language!r}"
    return ""


def _language(conversation: dict[str, Any], observed: list[Observed]) -> str:
    wanted = conversation["goal"]["to"]
    switched = next((n for n, turn in enumerate(observed) if turn.state.get("language") == wanted), None)
    if switched is None:
        return f"never switched to {wanted}"
    if observed[-1].state.get("language") != wanted:
        return f"switched back to {observed[-1].state.get('language')}"
    later = observed[switched + 1:]
    if later and all(turn.misunderstood or turn.unmatched for turn in later):
        return "the conversation did not go on after the switch"
    return ""


def judge(conversation: dict[str, Any], index: int, observed: list[Observed], deps: Deps,
          library: Library) -> Outcome:
    goal = conversation["goal"]
    kind = goal["kind"]
    address = _address(index, str(conversation.get("channel", "sms")))
    final = observed[-1].state if observed else {}
    if kind == "digipunt_list":
        reason = _digipunt(conversation, observed, library, detail=False)
    elif kind == "digipunt_detail":
        reason = _digipunt(conversation, observed, library, detail=True)
    elif kind == "guide":
        reason = _guide(conversation, observed, library)
    elif kind == "callback_ticket":
        reason = _callback(conversation, address, deps, observed)
    elif kind == "forget":
        asked = [turn.state for turn in observed if turn.state.get("flow") == "forget"]
        # forgotten at some turn (a later 'ok' starts a new conversation, it does not undo the deletion)
        reason = "" if any(turn.state.get("_forgotten") for turn in observed) else "not forgotten"
        if not reason and asked and asked[-1].get("language") != conversation["language"]:
            reason = f"confirmed in {asked[-1].get('language')}"
    elif kind == "stop":
        stopped = [turn for turn in observed if turn.state.get("_opted_out")]
        reason = "" if final.get("_opted_out") else "not opted out"
        # a bare 'STOP' tells no language: a confirmation that also says it in the resident's language counts
        wanted = library.texts.get(conversation["language"], "stop_confirm")
        if not reason and stopped[0].state.get("language") != conversation["language"] \
                and not any(wanted in text for text in stopped[0].texts):
            reason = f"confirmed in {stopped[0].state.get('language')}"
    elif kind == "language":
        reason = _language(conversation, observed)
    else:
        reason = f"unknown goal kind {kind!r}"
    success = not reason
    wasted = [f"turn {n + 1} ({turn.said!r})" for n, turn in enumerate(observed)
              if turn.misunderstood or turn.unmatched]
    over = []
    if conversation.get("channel", "sms") == "sms":
        for n, turn in enumerate(observed):
            if any(s > 2 for s in turn.segments) or (sum(turn.segments) > 2 and not _asked_list(turn)):
                over.append(f"turn {n + 1}: {turn.segments}")
    if success and wasted:
        reason = "not clean: " + ", ".join(wasted)
    return Outcome(id=str(conversation["id"]), success=success, clean=success and not wasted, reason=reason,
                   turns=observed, over_budget=over)


def _asked_list(turn: Observed) -> bool:
    return turn.state.get("flow") == LIST_FLOW


# ---- running ----

@contextmanager
def service(content: ContentPaths | None = None) -> Iterator[tuple[Deps, Callable[[datetime], None], Library]]:
    """A real service on a fresh SQLite database and the shipped (or given) content, with a settable clock."""
    paths = content or ContentPaths.shipped()
    library = Library.load(paths)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'score.db'}"
        upgrade(url)
        settings = replace(Settings.from_env({}), database_url=url, run_scheduler=False, content=paths,
                           throttle_per_minute=1000)
        deps = build_deps(settings)
        organisations = load_organisations(paths.organisations)
        deps.library = lambda: library
        deps.organisations = lambda: organisations
        deps.on_ticket_opened.clear()
        deps.on_ticket_message.clear()
        now = [datetime.now(ZONE)]

        def set_clock(moment: datetime) -> None:
            now[0] = moment

        deps.clock = lambda: now[0]
        try:
            yield deps, set_clock, library
        finally:
            deps.db.dispose()


def score(conversations: list[dict[str, Any]], content: ContentPaths | None = None) -> list[Outcome]:
    outcomes = []
    with service(content) as (deps, set_clock, library):
        markers = _markers(library)
        finished = _starts(library, FINISHED_KEYS)
        for index, conversation in enumerate(conversations):
            observed = play(conversation, index, deps, set_clock, markers, finished)
            outcomes.append(judge(conversation, index, observed, deps, library))
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, float]:
    total = len(outcomes) or 1
    return {
        "conversations": len(outcomes),
        "success": sum(o.success for o in outcomes) / total,
        "clean": sum(o.clean for o in outcomes) / total,
        "over_budget_turns": sum(len(o.over_budget) for o in outcomes),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--verbose", "-v", action="store_true", help="print every turn of failed or unclean ones")
    parser.add_argument("--all", action="store_true", help="with -v: print every conversation")
    parser.add_argument("--only", default="", help="comma-separated conversation ids")
    args = parser.parse_args(argv)
    conversations = load_conversations(args.file)
    if args.only:
        wanted = set(args.only.split(","))
        conversations = [c for c in conversations if str(c["id"]) in wanted]
    outcomes = score(conversations)
    for outcome in outcomes:
        mark = "clean" if outcome.clean else ("ok   " if outcome.success else "FAIL ")
        print(f"{outcome.id:5} {mark} {outcome.reason}")
        if outcome.over_budget:
            print(f"      over the SMS budget: {', '.join(outcome.over_budget)}")
        if args.verbose and (args.all or not outcome.clean):
            for turn in outcome.turns:
                print(f"   R: {turn.said}")
                for text in turn.texts:
                    print("   B: " + text.replace("\n", "\n      "))
    numbers = summary(outcomes)
    print(f"\n{numbers['conversations']} conversations: success {numbers['success']:.1%}, "
          f"clean {numbers['clean']:.1%}, turns over the SMS budget {numbers['over_budget_turns']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
