"""Routing rules: open now, language, topic, fewest open tickets; otherwise the first to open; always a reason."""

from __future__ import annotations

from datetime import datetime

from handoff.organisations import Organisation, parse_organisations
from handoff.routing import route
from tests.conftest import BRUSSELS

THURSDAY_1030 = datetime(2026, 11, 26, 10, 30, tzinfo=BRUSSELS)
THURSDAY_2000 = datetime(2026, 11, 26, 20, 0, tzinfo=BRUSSELS)
TZ = "Europe/Brussels"


def orgs(text: str) -> tuple[Organisation, ...]:
    return parse_organisations("organisations:\n" + text)


def pick(
    organisations: tuple[Organisation, ...],
    *,
    language: str = "nl",
    topic: str = "hotspot",
    counts: dict[str, int] | None = None,
    now: datetime = THURSDAY_1030,
    exclude: tuple[str, ...] = (),
) -> tuple[str, str]:
    chosen = route(
        organisations, language=language, topic=topic, open_counts=counts or {}, now=now, timezone=TZ, exclude=exclude
    )
    assert chosen is not None
    return chosen.organisation.id, chosen.reason


def test_open_now_beats_closed() -> None:
    choice = orgs("""
  - {id: late, name: Late, hours: "Mo-Fr 14:00-18:00"}
  - {id: now, name: Now, hours: "Mo-Fr 09:00-12:00"}
""")
    assert pick(choice) == ("now", "open now, speaks nl, covers hotspot, 0 open tickets")


def test_language_then_topic_then_fewest_open_tickets() -> None:
    choice = orgs("""
  - {id: a, name: A, hours: "Mo-Fr 09:00-17:00", languages: [nl]}
  - {id: b, name: B, hours: "Mo-Fr 09:00-17:00", languages: [nl, fr], topics: [wifi]}
  - {id: c, name: C, hours: "Mo-Fr 09:00-17:00", languages: [fr]}
""")
    assert pick(choice, language="fr", topic="hotspot")[0] == "c"  # speaks fr, covers everything
    assert pick(choice, language="fr", topic="wifi", counts={"c": 3, "b": 1})[0] == "b"
    assert pick(choice, language="fr", topic="wifi", counts={"c": 0, "b": 1})[0] == "c"
    assert pick(choice, language="nl", topic="hotspot", counts={"a": 5})[0] == "a"  # b does not cover hotspot
    chosen, reason = pick(choice, language="en")
    assert reason.startswith("open now, nobody active speaks en")
    assert chosen == "a"


def test_inactive_organisations_are_never_chosen() -> None:
    choice = orgs("""
  - {id: asleep, name: Asleep, active: false, hours: "Mo-Su 00:00-24:00"}
  - {id: awake, name: Awake}
""")
    assert pick(choice) == ("awake", "hours not filled in, speaks nl, covers hotspot, 0 open tickets")
    assert (
        route(
            orgs("  - {id: asleep, name: Asleep, active: false}\n"),
            language="nl",
            topic="x",
            open_counts={},
            now=THURSDAY_1030,
            timezone=TZ,
        )
        is None
    )


def test_known_open_hours_beat_unknown_hours_which_beat_closed() -> None:
    choice = orgs("""
  - {id: closed, name: Closed, hours: "Mo-Fr 14:00-18:00"}
  - {id: unknown, name: Unknown}
  - {id: open, name: Open, hours: "Th 10:00-11:00"}
""")
    assert pick(choice)[0] == "open"
    assert pick(choice, exclude=("open",))[0] == "unknown"


def test_nobody_open_means_the_first_to_open() -> None:
    choice = orgs("""
  - {id: friday, name: Friday, hours: "Fr 13:00-17:00"}
  - {id: morning, name: Morning, hours: "Mo-Fr 09:00-12:00", languages: [fr]}
""")
    chosen = route(choice, language="nl", topic="x", open_counts={}, now=THURSDAY_2000, timezone=TZ)
    assert chosen is not None
    assert chosen.organisation.id == "morning"
    assert chosen.in_hours is False
    assert chosen.expected_at == datetime(2026, 11, 27, 9, 0, tzinfo=BRUSSELS)
    assert chosen.reason.startswith("nobody open now; first to open")


def test_public_holidays_count_as_closed() -> None:
    choice = orgs("""
  - {id: a, name: A, hours: "Mo-Fr 09:00-17:00; PH off"}
  - {id: b, name: B, hours: "Mo-Su 09:00-17:00"}
""")
    christmas = datetime(2026, 12, 25, 10, 0, tzinfo=BRUSSELS)
    assert pick(choice, now=christmas)[0] == "b"


def test_excluded_organisations_are_skipped_unless_nothing_else_is_left() -> None:
    choice = orgs("""
  - {id: a, name: A}
  - {id: b, name: B}
""")
    assert pick(choice, exclude=("a",))[0] == "b"
    assert pick(choice, exclude=("a", "b"))[0] == "a"
