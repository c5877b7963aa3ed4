"""Seats are never over-booked: residents taking the last seat at the same moment, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

from sqlmodel import col, func, select

from bot.content.library import Library
from bot.desks.booking import Outcome, book, free_seats
from bot.runtime import Deps
from storage import bookings, queries
from storage.db import transaction
from storage.models import Booking, BookingSlot
from tests.bookings.helpers import send, texts

THREADS = 8
ROUNDS = 10


def _race(deps: Deps, library: Library, slot_id: int, round_no: int) -> list[Outcome]:
    barrier = threading.Barrier(THREADS)
    outcomes: list[Outcome] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def resident(number: int) -> None:
        try:
            barrier.wait()
            with transaction(deps.db) as session:
                address = f"+3247{round_no:03d}{number:04d}"
                contact = queries.lock_contact(session, "sms", address, f"k-{address}", deps.clock())
                outcome = book(session, library, contact, slot_id, "", "nl", deps.clock())
            with lock:
                outcomes.append(outcome)
        except BaseException as exc:  # a failed thread must fail the test, not vanish
            errors.append(exc)

    threads = [threading.Thread(target=resident, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return outcomes


def test_the_last_seat_goes_to_exactly_one_resident(backend_deps: Deps, library: Library) -> None:
    deps = backend_deps
    place = library.places.get("de-krook")
    assert place is not None
    with transaction(deps.db) as session:
        targets = [slot.id for slot in free_seats(session, library, place, deps.clock())[:ROUNDS]]
    started = time.perf_counter()
    tally: Counter[str] = Counter()
    for round_no, slot_id in enumerate(targets):
        assert slot_id is not None
        outcomes = _race(deps, library, slot_id, round_no)
        statuses = Counter(outcome.status for outcome in outcomes)
        tally.update(statuses)
        assert statuses == {"booked": 1, "taken": THREADS - 1}, statuses
        for outcome in outcomes:
            if outcome.status == "taken":  # the others are offered the nearest free sessions, not the lost one
                assert outcome.alternatives and slot_id not in [slot.id for slot in outcome.alternatives]
        with transaction(deps.db) as session:
            slot = session.get(BookingSlot, slot_id)
            assert slot is not None and slot.booked == 1
            held = session.exec(select(func.count()).select_from(Booking).where(Booking.slot_id == slot_id)).one()
            assert held == 1
    elapsed = time.perf_counter() - started
    print(f"\n[{deps.db.dialect.name}] {len(targets)} races x {THREADS} threads for 1 seat: {dict(tally)}; "
          f"{elapsed:.2f} s in all")


def test_a_session_with_three_seats_takes_exactly_three(backend_deps: Deps, library: Library) -> None:
    deps = backend_deps
    start = deps.clock() + timedelta(days=1, hours=3)  # Friday 13:30 Brussels: inside the hours
    with transaction(deps.db) as session:
        slot = bookings.add_slot(session, "de-krook", start.replace(minute=0) + timedelta(hours=1),
                                 start.replace(minute=30) + timedelta(hours=1), 3, deps.clock())
        slot_id = slot.id
    assert slot_id is not None
    outcomes = _race(deps, library, slot_id, 99)
    assert Counter(outcome.status for outcome in outcomes) == {"booked": 3, "taken": THREADS - 3}
    with transaction(deps.db) as session:
        stored = session.get(BookingSlot, slot_id)
        assert stored is not None and stored.booked == 3
        count = session.exec(select(func.count()).select_from(Booking).where(col(Booking.slot_id) == slot_id)).one()
        assert count == 3


def test_two_residents_saying_yes_at_once_through_the_service(backend_deps: Deps, library: Library) -> None:
    """Both at the confirm question for the same last seat; both answer 'ja' together: one code, one offer."""
    deps = backend_deps
    numbers = ("+32470000201", "+32470000202")
    for number in numbers:
        send(deps, "reserveren", number)
        send(deps, "1", number)  # the first day
        send(deps, "1", number)  # the first time
        send(deps, "1", number)  # no purpose
    barrier = threading.Barrier(2)
    answers: dict[str, str] = {}

    def confirm(number: str) -> None:
        barrier.wait()
        answers[number] = texts(send(deps, "ja", number))

    threads = [threading.Thread(target=confirm, args=(number,)) for number in numbers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    won = [number for number, text in answers.items() if "Gereserveerd! Code R-" in text]
    lost = [number for number, text in answers.items() if "Die plaats is net genomen" in text]
    assert len(won) == 1 and len(lost) == 1, answers
    assert "1 " in answers[lost[0]]  # the nearest free sessions are offered as numbered choices
    with transaction(deps.db) as session:
        assert session.exec(select(func.count()).select_from(Booking)).one() == 1
