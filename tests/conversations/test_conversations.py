"""The blind resident conversations keep their success and clean rates (floors measured when they were added),
and every SMS turn stays within its segment budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conversations.score import load_conversations, score, summary

DATA = Path(__file__).resolve().parent.parent / "data"
# (file, success floor, clean floor). All eighteen sets were written blind and each was scored once before any tuning
# on it; they are tuning material now. Once: held-out 1 46.7 % / 33.3 %; held-out 3 67.5 % / 30.0 %; held-out 4
# (9e3a9bd) 76.7 % / 68.3 %; held-out 5 (2026-12-01, at e50b5fd plus the next commit's work) 85.0 % / 73.3 %;
# held-out 6 (2026-12-01, at e29ab77) 75.0 % / 65.0 %; held-out 7 (2026-12-01, at 9608f13) 73.3 % / 60.0 %.
# Measured on 2026-12-01 after tuning: tune (60) 98.3 % / 95.0 %; held-out 1 (30) 96.7 % / 83.3 %; held-out 2 (40)
# 95.0 % / 87.5 %; held-out 3 (40) 97.5 % / 75.0 %; held-out 4 (60) 100.0 % / 88.3 %; held-out 5 (60) 96.7 % / 91.7 %;
# held-out 6 (60) 98.3 % / 88.3 %; held-out 7 (60) 86.7 % / 73.3 %. Third session (tuned on held-out 7): held-out 3
# 97.5 % / 80.0 %, held-out 5 98.3 % / 91.7 %, held-out 7 96.7 % / 83.3 %, the others unchanged. Held-out 8 (60,
# blind, 2026-12-01) scored once at 549465f: 78.3 % / 61.7 %; after tuning on it: held-out 8 96.7 % / 85.0 %,
# held-out 1 96.7 % / 86.7 %, held-out 6 100.0 % / 91.7 %, held-out 7 96.7 % / 86.7 %. Held-out 9 (60, blind,
# 2026-12-01) scored once at ce6af12: 76.7 % / 70.0 % (1 turn over budget); after tuning on it (dc5151c): held-out 9
# 93.3 % / 85.0 %, held-out 4 100.0 % / 90.0 %, held-out 5 98.3 % / 93.3 %, held-out 6 100.0 % / 95.0 %, held-out 7
# 96.7 % / 88.3 %. Fourth session (2026-12-01): held-out 10 (60, blind) scored once at 490b384: 83.3 % / 68.3 %;
# held-out 11 (60, blind) once at 36498af (after tuning on held-out 10): 80.0 % / 63.3 %; held-out 12 (60, blind)
# once at bfd0f27 (after tuning on held-out 11): 91.7 % / 78.3 %. Fifth session (2026-12-01): held-out 13 (60, blind)
# once at 6011623 (after tuning on held-out 12): 85.0 % / 68.3 %; held-out 14 (60, blind) once at 246206e (after
# tuning on held-out 13): 88.3 % / 73.3 %; held-out 15 (60, blind) once at 86fb6eb (after tuning on held-out 14):
# 86.7 % / 73.3 %; held-out 16 (60, blind) once at c062a19 (after tuning on held-out 15): 88.3 % / 81.7 %;
# held-out 17 (60, blind) once at 9dd2b32 (after tuning on held-out 16): 88.3 % / 85.0 %. Floors below: the figures at the end of the latest
# session (the measured figures, rounded down).
FLOORS = [
    ("conversations_tune.yaml", 0.98, 0.95),
    ("conversations_heldout.yaml", 1.00, 0.93),
    ("conversations_heldout2.yaml", 0.97, 0.90),
    ("conversations_heldout3.yaml", 1.00, 0.85),
    ("conversations_heldout4.yaml", 1.00, 0.91),
    ("conversations_heldout5.yaml", 0.98, 0.93),
    ("conversations_heldout6.yaml", 1.00, 0.95),
    ("conversations_heldout7.yaml", 0.96, 0.91),
    ("conversations_heldout8.yaml", 0.98, 0.91),
    ("conversations_heldout9.yaml", 0.96, 0.93),
    ("conversations_heldout10.yaml", 0.98, 0.98),
    ("conversations_heldout11.yaml", 1.00, 0.93),
    ("conversations_heldout12.yaml", 1.00, 0.88),
    ("conversations_heldout13.yaml", 1.00, 0.95),
    ("conversations_heldout14.yaml", 0.96, 0.90),
    ("conversations_heldout15.yaml", 0.96, 0.88),
    ("conversations_heldout16.yaml", 1.00, 0.93),
    ("conversations_heldout17.yaml", 0.95, 0.91),
]


@pytest.mark.parametrize(("name", "success", "clean"), FLOORS, ids=[name for name, _, _ in FLOORS])
def test_blind_conversations_keep_their_floors(name: str, success: float, clean: float) -> None:
    outcomes = score(load_conversations(DATA / name))
    numbers = summary(outcomes)
    failed = "\n".join(f"{o.id}: {o.reason}" for o in outcomes if not o.clean)
    assert numbers["success"] >= success, failed
    assert numbers["clean"] >= clean, failed
    over = [f"{o.id}: {', '.join(o.over_budget)}" for o in outcomes if o.over_budget]
    assert len(over) <= 1, over


def test_the_scorer_fails_what_did_not_happen() -> None:
    """A conversation whose goal is not reached is a failure, and a misunderstood turn is not clean."""
    conversations = [
        {"id": "x1", "channel": "sms", "language": "nl", "at": "2026-12-01 10:15",
         "turns": ["hallo", "xqzzy vlorp"], "goal": {"kind": "forget"}},
        {"id": "x2", "channel": "sms", "language": "nl", "at": "2026-12-01 10:15",
         "turns": ["xqzzy vlorp", "digipunt dampoort"], "goal": {"kind": "digipunt_list", "near": "Dampoort"}},
        {"id": "x3", "channel": "sms", "language": "en", "at": "2026-12-01 10:15",
         "turns": ["digipunt dampoort"], "goal": {"kind": "digipunt_list", "near": "Drongen"}},
    ]
    outcomes = score(conversations)
    assert [(o.success, o.clean) for o in outcomes] == [(False, False), (True, False), (False, False)]
