"""Choose the helper organisation for a ticket, and say why (pure: data and counts in, choice out)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from handoff.organisations import Organisation


@dataclass(frozen=True)
class Route:
    """The chosen organisation, when a helper can be expected, and the reasons."""

    organisation: Organisation
    in_hours: bool
    expected_at: datetime | None
    reason: str


def route(
    organisations: tuple[Organisation, ...],
    *,
    language: str,
    topic: str,
    open_counts: dict[str, int],
    now: datetime,
    timezone: str,
    exclude: tuple[str, ...] = (),
) -> Route | None:
    """Prefer: open now (or hours unknown), speaks the language, covers the topic, fewest open tickets.
    When nobody is open: the first to open."""
    active = [o for o in organisations if o.active and o.id not in exclude]
    if not active:
        active = [o for o in organisations if o.active]
    if not active:
        return None

    def score(org: Organisation) -> tuple[int, int, int, int]:
        state = org.is_open(now, timezone)
        openness = 0 if state is True else (1 if state is None else 2)
        speaks = 0 if language in org.languages else 1
        covers = 0 if (not org.topics or topic in org.topics) else 1
        return (openness, speaks, covers, open_counts.get(org.id, 0))

    ranked = sorted(active, key=lambda o: (score(o), active.index(o)))
    best = ranked[0]
    state = best.is_open(now, timezone)
    reasons: list[str] = []
    if state is True:
        reasons.append("open now")
    elif state is None:
        reasons.append("hours not filled in")
    if language in best.languages:
        reasons.append(f"speaks {language}")
    elif any(language in o.languages for o in active):
        reasons.append(f"those who speak {language} are not open now")
    else:
        reasons.append(f"nobody active speaks {language}")
    if not best.topics or topic in best.topics:
        reasons.append(f"covers {topic}")
    else:
        reasons.append(f"nobody fitting covers {topic}")
    reasons.append(f"{open_counts.get(best.id, 0)} open tickets")
    if state is False:
        opening = [(o.next_open(now, timezone), i, o) for i, o in enumerate(active)]
        known = sorted((when, i, o) for when, i, o in opening if when is not None)
        if known:
            when, _, first = known[0]
            return Route(first, False, when, "nobody open now; first to open (" + ", ".join(reasons[1:]) + ")")
    if state is True:
        return Route(best, True, best.closes_at(now, timezone), ", ".join(reasons))
    return Route(best, state is None, None, ", ".join(reasons))
