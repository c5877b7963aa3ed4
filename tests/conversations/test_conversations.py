"""The blind resident conversations keep their success and clean rates (floors measured when they were added),
and every SMS turn stays within its segment budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conversations.score import load_conversations, score, summary

DATA = Path(__file__).resolve().parent.parent / "data"
# (file, success floor, clean floor). All 29 held-out sets were written blind and each was scored once before any
# tuning on it; they are tuning material now. Once: held-out 1 46.7 % / 33.3 %; held-out 3 67.5 % / 30.0 %; held-out 4
# (9e3a9bd) 76.7 % / 68.3 %; held-out 5 (e50b5fd) 85.0 % / 73.3 %; held-out 6 (e29ab77) 75.0 % / 65.0 %; held-out 7
# (9608f13) 73.3 % / 60.0 %; held-out 8 (549465f) 78.3 % / 61.7 %; held-out 9 (ce6af12) 76.7 % / 70.0 %; held-out 10
# (490b384) 83.3 % / 68.3 %; held-out 11 (36498af) 80.0 % / 63.3 %; held-out 12 (bfd0f27) 91.7 % / 78.3 %. Fifth
# session (2026-12-01), each after tuning on the one before: held-out 13 (6011623) 85.0 % / 68.3 %; held-out 14
# (246206e) 88.3 % / 73.3 %; held-out 15 (86fb6eb) 86.7 % / 73.3 %; held-out 16 (c062a19) 88.3 % / 81.7 %; held-out 17
# (9dd2b32) 88.3 % / 85.0 %; held-out 18 (8f95b62) 85.0 % / 71.7 %. Sixth session: held-out 19 (b171c74)
# 76.7 % / 51.7 %; held-out 20 (b171c74) 81.7 % / 68.3 %; held-out 21 (271f2ec, after tuning on 19 and 20)
# 90.0 % / 73.3 %, tuned after that on two of its failures. Seventh session: held-out 22 (c9b9345) 85.0 % / 76.7 %;
# held-out 23 (c9b9345) 91.7 % / 88.3 %; held-out 24 (46573ac, after tuning on 22 and 23) 95.0 % / 91.7 %;
# held-out 25 (891bac8) 81.7 % / 58.3 %; held-out 26 (d2b214c, after tuning on 22-25) 96.7 % / 83.3 %. Eighth
# session: held-out 27 (b8daaaf, ordinary winter weeks, residents coming back the next day) 90.0 % / 81.7 %.
# Thirteenth session (2026-12-02): held-out 28 (10d35b0, December) 93.3 % / 90.0 %; held-out 29 (bdca515, January,
# after tuning on 28) 88.3 % / 83.3 %.
# Floors below: the figures at the end of the latest session (the measured figures, rounded down); the history of
# the tuned figures is in the closing notes.
FLOORS = [
    ("conversations_tune.yaml", 0.98, 0.95),
    ("conversations_heldout.yaml", 1.00, 0.93),
    ("conversations_heldout2.yaml", 0.97, 0.90),
    ("conversations_heldout3.yaml", 1.00, 0.85),
    ("conversations_heldout4.yaml", 1.00, 0.93),
    ("conversations_heldout5.yaml", 0.98, 0.93),
    ("conversations_heldout6.yaml", 1.00, 0.95),
    ("conversations_heldout7.yaml", 0.98, 0.93),
    ("conversations_heldout8.yaml", 1.00, 0.93),
    ("conversations_heldout9.yaml", 0.96, 0.93),
    ("conversations_heldout10.yaml", 1.00, 1.00),
    ("conversations_heldout11.yaml", 1.00, 0.93),
    ("conversations_heldout12.yaml", 1.00, 0.88),
    ("conversations_heldout13.yaml", 1.00, 0.95),
    ("conversations_heldout14.yaml", 0.96, 0.90),
    ("conversations_heldout15.yaml", 0.98, 0.91),
    ("conversations_heldout16.yaml", 1.00, 0.95),
    ("conversations_heldout17.yaml", 0.98, 0.95),
    ("conversations_heldout18.yaml", 0.98, 0.91),
    ("conversations_heldout19.yaml", 0.95, 0.86),
    ("conversations_heldout20.yaml", 0.96, 0.91),
    ("conversations_heldout21.yaml", 0.98, 0.80),
    ("conversations_heldout22.yaml", 0.96, 0.88),
    ("conversations_heldout23.yaml", 1.00, 0.95),
    ("conversations_heldout24.yaml", 0.98, 0.96),
    ("conversations_heldout25.yaml", 0.93, 0.73),
    ("conversations_heldout26.yaml", 1.00, 0.86),
    ("conversations_heldout27.yaml", 0.93, 0.85),
    ("conversations_heldout28.yaml", 0.98, 0.93),
    ("conversations_heldout29.yaml", 0.96, 0.88),
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
