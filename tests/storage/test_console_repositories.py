"""The console's repositories (accounts, audit log, problems, unmatched review, content revisions, mail settings,
closures, report figures) and read sessions, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import (
    audit_log,
    content_revisions,
    mail_settings,
    place_closures,
    problems,
    reports,
    staff_accounts,
    unmatched_review,
)
from storage.db import make_engine, read_session, transaction
from storage.models import (
    Contact,
    ContentRevision,
    DeadLetter,
    JobRun,
    Message,
    NotifyChoice,
    Outbox,
    PlaceClosure,
    Ticket,
    Unmatched,
    User,
)
from storage.types import utcnow
from tests.conftest import new_database_url

BACKENDS = ["sqlite", "postgres"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_accounts_audit_and_mail_settings(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    now = utcnow()
    with transaction(engine) as session:
        helper = staff_accounts.add_user(session, User(email="h@org.be", password_hash="x", role="helper",
                                                       organisation="org", created_at=now))
        staff_accounts.add_user(session, User(email="gone@org.be", password_hash="x", role="helper",
                                              organisation="org", active=False, created_at=now))
        assert helper.id is not None
        helper_id = helper.id
        session.add(NotifyChoice(organisation="org", user_id=helper_id, mode="digest", updated_at=now))
        session.add(NotifyChoice(organisation="org", email="org@org.be", mode="each", updated_at=now))
        audit_log.record(session, "a" * 300, "x" * 100, "t", now)
        audit_log.record(session, "staff@gent.be", "second", "t", now)
    with transaction(engine) as session:
        user = staff_accounts.user_by_id(session, helper_id)
        assert user is not None
        staff_accounts.set_password_hash(session, user, "y")
        staff_accounts.end_sessions(session, helper_id)
        staff_accounts.end_sessions(session, 999_999)  # unknown: nothing happens
        fresh = staff_accounts.reload_detached(session, user)
    assert fresh.password_hash == "y" and fresh.session_generation == 1
    with read_session(engine) as session:
        assert staff_accounts.user_by_email(session, "h@org.be") is not None
        assert staff_accounts.user_by_email(session, "nobody@org.be") is None
        assert [u.email for u in staff_accounts.active_helpers(session, "org")] == ["h@org.be"]
        assert set(mail_settings.helper_choices(session, "org")) == {helper_id}
        choice = mail_settings.helper_choice(session, helper_id)
        assert choice is not None and choice.mode == "digest"
        assert mail_settings.helper_choice(session, 999_999) is None
        lines = audit_log.newest(session, 5)
        assert [line.action for line in lines] == ["second", "x" * 64]
        assert len(lines[1].actor) == 254
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_problems_unmatched_revisions_closures(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    now = utcnow()
    with transaction(engine) as session:
        message = Message(channel="sms", direction="in", text="help", created_at=now)
        session.add(message)
        session.flush()
        session.add(DeadLetter(message_id=message.id, channel="sms", error="boom", created_at=now))
        session.add(DeadLetter(channel="sms", error="no message", created_at=now))
        for status in ("failed", "sent", "skipped"):
            session.add(Outbox(channel="sms", address="+32470000001", status=status, created_at=now))
        for text in ("eerste", "tweede"):
            session.add(Unmatched(text=text, created_at=now))
        content_revisions.store_revision(session, ContentRevision(kind="guide", key="a.yaml", body="one",
                                                                  created_at=now))
        newest = content_revisions.store_revision(session, ContentRevision(kind="guide", key="a.yaml", body="two",
                                                                           created_at=now))
        closure = place_closures.add_closure(session, PlaceClosure(place_id="p", start="2026-12-24",
                                                                   end="2026-12-26", created_at=now))
        place_closures.add_closure(session, PlaceClosure(place_id="q", start="2026-12-01", end="2026-12-01",
                                                         created_at=now))
    with read_session(engine) as session:
        letters = problems.open_dead_letters(session, 10)
        assert [(letter.error, text) for letter, text in letters] == [("no message", None), ("boom", "help")]
        assert [row.status for row in problems.failed_outbox(session, 10)] == ["skipped", "failed"]
        new = unmatched_review.new_unmatched(session, 1)
        assert [row.text for row in new] == ["tweede"]
        first_id = unmatched_review.new_unmatched(session, 5)[1].id
        assert first_id is not None
        found = content_revisions.newest_revision(session, "guide", "a.yaml")
        assert found is not None and found.body == "two"
        assert [r.body for r in content_revisions.revisions_of(session, "guide", "a.yaml")] == ["two", "one"]
        assert content_revisions.newest_revision(session, "guide", "b.yaml") is None
        assert newest.id is not None and content_revisions.revision_by_id(session, newest.id) is not None
        assert [c.place_id for c in place_closures.closures(session)] == ["q", "p"]
        assert [c.place_id for c in place_closures.closures(session, "p")] == ["p"]
    with transaction(engine) as session:
        assert problems.resolve_dead_letter(session, letters[0][0].id or 0)
        assert not problems.resolve_dead_letter(session, 999_999)
        assert unmatched_review.set_unmatched_status(session, first_id, "dismissed")
        assert not unmatched_review.set_unmatched_status(session, 999_999, "added")
        assert closure.id is not None
        row = place_closures.closure_by_id(session, closure.id)
        assert row is not None
        place_closures.delete_closure(session, row)
    with read_session(engine) as session:
        assert len(problems.open_dead_letters(session, 10)) == 1
        assert unmatched_review.unmatched_by_id(session, first_id).status == "dismissed"  # type: ignore[union-attr]
        assert [c.place_id for c in place_closures.closures(session)] == ["q"]
        assert reports.unresolved_dead_letters(session) == 1
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_inbound_counts_fall_in_quarter_hours_that_keep_local_days_apart(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    times = [datetime(2026, 11, 25, 10, 14, 59, 999999, tzinfo=UTC), datetime(2026, 11, 25, 10, 15, tzinfo=UTC),
             datetime(2026, 11, 25, 22, 59, 59, tzinfo=UTC),  # 23:59:59 in Brussels, 25 November
             datetime(2026, 11, 25, 23, 0, tzinfo=UTC), datetime(2026, 11, 25, 23, 1, tzinfo=UTC)]  # the 26th there
    with transaction(engine) as session:
        contact = Contact(channel="sms", address="+32470000003", stats_key="key-3", created_at=times[0])
        session.add(contact)
        session.flush()
        for at in times:
            session.add(Message(contact_id=contact.id, channel="sms", direction="in", intent="hours", created_at=at))
        session.add(Message(contact_id=contact.id, channel="sms", direction="out", created_at=times[0]))
    with read_session(engine) as session:
        counts = reports.inbound_counts_between(session, times[0] - timedelta(days=1), times[-1] + timedelta(days=1))
        residents = reports.inbound_residents_between(session, times[0], times[-1])
    assert sorted(counts) == [(datetime(2026, 11, 25, 10, 0, tzinfo=UTC), "sms", "hours", 1),
                              (datetime(2026, 11, 25, 10, 15, tzinfo=UTC), "sms", "hours", 1),
                              (datetime(2026, 11, 25, 22, 45, tzinfo=UTC), "sms", "hours", 1),
                              (datetime(2026, 11, 25, 23, 0, tzinfo=UTC), "sms", "hours", 2)]
    assert residents == 1
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_report_figures(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    now = utcnow()
    with transaction(engine) as session:
        contact = Contact(channel="sms", address="+32470000002", stats_key="key-1", created_at=now)
        session.add(contact)
        session.flush()
        session.add(Message(contact_id=contact.id, channel="sms", direction="in", intent="hours", created_at=now,
                            flow="guide", payload={"guide_step": "itsme/start"}))
        session.add(Message(contact_id=contact.id, channel="sms", direction="in", created_at=now, flow="guide",
                            payload={"guide_step": "itsme/start"}))  # the same resident again: counted once
        session.add(Message(contact_id=contact.id, channel="sms", direction="in", created_at=now, flow="guide",
                            payload={"guide_step": 7}))  # not a step: left out
        session.add(Message(contact_id=contact.id, channel="sms", direction="out", created_at=now, flow="guide",
                            payload={"guide_step": "itsme/done"}))  # a reply: left out
        session.add(Message(contact_id=contact.id, channel="sms", direction="in", created_at=now, flow="menu",
                            payload={"location": [51.05, 3.72]}))
        session.add(Message(channel="telegram", direction="in", created_at=now))
        session.add(Message(contact_id=contact.id, channel="sms", direction="out", created_at=now))
        session.add(Ticket(code="T1", organisation="org", created_at=now, claimed_at=now + timedelta(minutes=3)))
        session.add(Ticket(code="T2", organisation="org", created_at=now))
        session.add(Ticket(code="T3", organisation="org", created_at=now, test=True))
        session.add(Outbox(channel="sms", address="+32470000001", created_at=now))
        session.add(Unmatched(text="?", created_at=now))
        session.add(JobRun(name="outbox", last_run_at=now, counts={}))
        session.add(JobRun(name="probe", last_run_at=now + timedelta(hours=1), counts={}))
    begin, finish = now - timedelta(minutes=1), now + timedelta(minutes=1)
    with read_session(engine) as session:
        reports.ping(session)
        counts = reports.inbound_counts_between(session, begin, finish)
        quarter = now.replace(minute=now.minute // 15 * 15, second=0, microsecond=0).astimezone(UTC)
        assert sorted(counts, key=str) == [(quarter, "sms", "hours", 1), (quarter, "sms", None, 3),
                                           (quarter, "telegram", None, 1)]
        assert reports.inbound_counts_between(session, finish, finish + timedelta(days=1)) == []
        assert reports.inbound_residents_between(session, begin, finish) == 1
        opened = reports.tickets_opened_between(session, begin, finish)
        assert sorted(claimed is not None for _, _, claimed in opened) == [False, True]
        assert reports.guide_steps_reached_between(session, begin, finish) == [("itsme/start", 1)]
        assert sorted(reports.messages_by_channel_direction(session)) == [("sms", "in", 4), ("sms", "out", 2),
                                                                           ("telegram", "in", 1)]
        assert sorted(reports.inbound_by_intent(session), key=str) == sorted([("hours", 1), (None, 4)], key=str)
        assert reports.inbound_count(session) == 5
        assert reports.unmatched_count(session) == 1
        assert reports.tickets_by_status_organisation(session) == [("open", "org", 2)]
        assert [(org, (claimed - created).total_seconds()) for org, created, claimed in
                reports.claimed_tickets(session)] == [("org", 180.0)]
        assert reports.outbox_by_status(session) == [("pending", 1)]
        assert reports.pending_outbox(session) == 1
        last = reports.last_job_run(session, besides="probe")
        assert last is not None and abs((last - now).total_seconds()) < 1
        assert reports.subscriptions_of_kinds(session, ("news",)) == []
        assert reports.satisfaction_asked(session) == []
    engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_read_session_never_commits(tmp_path: Path, backend: str) -> None:
    engine = make_engine(new_database_url(tmp_path, backend))
    with read_session(engine) as session:
        audit_log.record(session, "x", "lost", "", utcnow())
        session.flush()
    with read_session(engine) as session:
        assert audit_log.newest(session, 5) == []
    engine.dispose()
