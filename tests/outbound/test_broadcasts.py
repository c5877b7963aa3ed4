"""Broadcasts: audience selection, lint and preview, approval, cancel, the CLI contract, exactly-once sending
with a worker killed mid-send (SQLite and PostgreSQL), and the rate limits measured at the fake servers."""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from sqlmodel import Session, col, func, select
from starlette.requests import Request
from starlette.responses import Response

from bot.cli import main as cli
from bot.content.library import Library
from bot.crons import drain_outbox, send_broadcasts
from bot.outbound import broadcasts
from bot.outbound.broadcasts import Audience, BroadcastError
from bot.outbound.drain import drain
from bot.runtime import Deps
from storage.db import transaction
from storage.models import Broadcast, BroadcastRecipient, Outbox
from storage.types import utcnow
from tests.channels.conftest import channel_settings
from tests.channels.fakes import FakeTelegram, FakeTwilio, serve
from tests.conftest import ROOT, Clock, new_database_url
from tests.outbound.conftest import add_subscribers


class TimedTwilio(FakeTwilio):
    """The fake Twilio that also notes when each message arrived (monotonic seconds)."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.times: list[float] = []
        self.delay = delay

    async def _create(self, request: Request) -> Response:
        self.times.append(time.monotonic())
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        return await super()._create(request)


def create(deps: Deps, audience: str, texts: dict[str, str], **kw: Any) -> Broadcast:
    library = deps.library()
    with transaction(deps.db) as session:
        row = broadcasts.create(session, Audience.parse(audience, library), texts, library,
                                send_at=kw.pop("send_at", deps.clock()), created_by=kw.pop("by", "staff@a.be"),
                                approval_above=kw.pop("above", 1000), now=deps.clock(), **kw)
        session.expunge(row)
        return row


def test_audiences_news_language_wijk_place(deps: Deps, library: Library) -> None:
    now = deps.clock()
    wijk_point = (51.0625, 3.7385)  # near Dampoort
    wijk = library.places.locate(broadcasts.GeoPoint(*wijk_point))
    assert wijk is not None
    add_subscribers(deps.db, 3, now, language="nl", point=wijk_point)
    add_subscribers(deps.db, 2, now, language="fr", start=10)
    add_subscribers(deps.db, 2, now, opted_out=True, start=20)  # never
    place = library.places.places[0].id
    add_subscribers(deps.db, 4, now, kind="follow", place_id=place, start=30)
    with Session(deps.db) as session:
        count = {a: len(broadcasts.audience_contacts(session, Audience.parse(a, library), library))
                 for a in ("news", "lang:fr", f"wijk:{wijk.split(' - ')[0]}", f"place:{place}")}
    assert count == {"news": 5, "lang:fr": 2, f"wijk:{wijk.split(' - ')[0]}": 3, f"place:{place}": 4}
    for bad in ("everyone", "lang:xx", "wijk:Atlantis", "place:nowhere"):
        with pytest.raises(BroadcastError):
            Audience.parse(bad, library)


def test_lint_and_preview_count_segments_paid(deps: Deps, library: Library) -> None:
    now = deps.clock()
    add_subscribers(deps.db, 3, now, language="nl")
    add_subscribers(deps.db, 2, now, language="uk", start=10)
    add_subscribers(deps.db, 1, now, language="nl", channel="telegram", start=20)
    texts = {"nl": "Het Digicafé in De Krook start weer op donderdag om 14 uur.",
             "uk": "Digicafé у De Krook знову працює з четверга о 14:00."}
    assert broadcasts.lint(texts, library) == {}
    too_long = broadcasts.lint({"nl": "x " * 200, "uk": "ї" * 300}, library)
    assert set(too_long) == {"nl", "uk"} and "SMS segments" in too_long["uk"][0]
    assert "source language" in broadcasts.lint({"uk": "текст"}, library)["nl"][0]
    with Session(deps.db) as session:
        shown = broadcasts.preview(session, Audience("news"), texts, library)
    # nl text + footer in GSM-7 fits one segment; the Ukrainian text with its footer is UCS-2 (more than 70)
    assert shown["per_channel"] == {"sms": 5, "telegram": 1}
    assert shown["per_language"] == {"nl": 4, "uk": 2}
    assert shown["sms_segments"] == 3 * 1 + 2 * 2


def test_approval_by_a_second_staff_member_and_cancel(deps: Deps) -> None:
    add_subscribers(deps.db, 5, deps.clock())
    row = create(deps, "news", {"nl": "Nieuws"}, above=3, by="anna@a.be")
    assert row.status == "awaiting_approval" and row.recipients == 5
    with transaction(deps.db) as session, pytest.raises(BroadcastError, match="tweede"):
        broadcasts.approve(session, row.id or 0, "Anna@a.be")
    with transaction(deps.db) as session:
        assert broadcasts.approve(session, row.id or 0, "bert@a.be").status == "scheduled"
    assert send_broadcasts.run(deps, deps.clock())["queued"] == 5
    with transaction(deps.db) as session:
        assert broadcasts.cancel(session, row.id or 0, deps.clock()) == 5  # while sending: nothing more goes out
    with Session(deps.db) as session:
        assert {o.status for o in session.exec(select(Outbox))} == {"skipped"}
        assert session.get(Broadcast, row.id).status == "cancelled"  # type: ignore[union-attr]


def test_not_before_its_moment_and_never_to_unsubscribed(deps: Deps, clock: Clock) -> None:
    ids = add_subscribers(deps.db, 3, clock.now)
    create(deps, "news", {"nl": "Morgen"}, send_at=clock.now + timedelta(hours=1))
    assert send_broadcasts.run(deps, clock.now)["queued"] == 0
    with transaction(deps.db) as session:
        from storage.outbound import unsubscribe

        unsubscribe(session, ids[0], ("news",), clock.now, "stop news")
    clock.now += timedelta(hours=2)
    assert send_broadcasts.run(deps, clock.now)["queued"] == 2
    assert send_broadcasts.run(deps, clock.now)["queued"] == 0  # a second run queues nobody again


def test_a_run_killed_before_commit_leaves_nothing_and_the_unique_row_holds(deps: Deps, library: Library) -> None:
    add_subscribers(deps.db, 4, deps.clock())
    row = create(deps, "news", {"nl": "Nieuws"})
    with pytest.raises(RuntimeError), transaction(deps.db) as session:
        broadcast = session.get(Broadcast, row.id)
        assert broadcast is not None
        assert broadcasts.expand(session, broadcast, library, deps.clock(), 10) == 4
        raise RuntimeError("killed")
    with Session(deps.db) as session:
        assert session.exec(select(func.count()).select_from(Outbox)).one() == 0
    with transaction(deps.db) as session:
        broadcast = session.get(Broadcast, row.id)
        assert broadcast is not None
        assert broadcasts.expand(session, broadcast, library, deps.clock(), 3) == 3
        assert broadcasts.expand(session, broadcast, library, deps.clock(), 3) == 1
        assert broadcasts.expand(session, broadcast, library, deps.clock(), 3) == 0
    with Session(deps.db) as session, pytest.raises(Exception, match=r"(?i)unique"):
        contact = session.exec(select(BroadcastRecipient.contact_id)).first()
        session.add(BroadcastRecipient(broadcast_id=row.id or 0, contact_id=contact or 0))
        session.commit()


def test_cli_contract(deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", deps.settings.database_url)
    add_subscribers(deps.db, 3, deps.clock(), language="fr")
    one = tmp_path / "one.txt"
    one.write_text("Het Digicafé start weer op donderdag.\n", encoding="utf-8")
    many = tmp_path / "many.yaml"
    many.write_text("nl: Het Digicafé start weer.\nfr: Le Digicafé recommence.\n", encoding="utf-8")
    assert cli(["broadcast", "create", "--audience", "news", "--text-file", str(one), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"id": 1, "recipients": 3}
    assert cli(["broadcast", "create", "--audience", "lang:fr", "--text-file", str(many),
                "--at", "2030-01-02 09:30", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"id": 2, "recipients": 3}
    assert cli(["broadcast", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [row["id"] for row in listed] == [2, 1]
    assert set(listed[0]) == {"id", "audience", "status", "recipients", "queued", "sent", "delivered", "failed",
                              "created_at", "send_at"}
    assert listed[0]["audience"] == "lang:fr" and listed[0]["send_at"].startswith("2030-01-02T08:30")
    assert cli(["broadcast", "cancel", "2"]) == 0
    capsys.readouterr()
    assert cli(["broadcast", "cancel", "2"]) == 2
    assert cli(["broadcast", "create", "--audience", "lang:xx", "--text-file", str(one), "--json"]) == 2
    with Session(deps.db) as session:
        assert session.get(Broadcast, 2).status == "cancelled"  # type: ignore[union-attr]


def _worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tests.outbound.broadcast_worker"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_exactly_once_with_the_worker_killed_mid_send(backend: str, tmp_path: Path, library: Library,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    url = new_database_url(tmp_path, backend)
    total = 300
    fake = TimedTwilio(delay=0.002)
    db = create_engine(url)
    now = utcnow()
    add_subscribers(db, total, now)
    with serve(fake.app) as twilio_url:
        settings = channel_settings(replace(deps_settings(), database_url=url), twilio_url=twilio_url)
        env = {**os.environ, **settings_env(settings), "SMS_PER_SECOND": "400", "OUTBOX_BATCH": "40",
               "BROADCAST_BATCH": "100", "DIGIBUUR_RUN_SCHEDULER": "0"}
        with Session(db) as session:
            row = broadcasts.create(session, Audience("news"), {"nl": "Het Digicafé start weer op donderdag."},
                                    library, send_at=now, created_by="cli", approval_above=1000, now=now)
            session.commit()
            broadcast_id = row.id
        started = time.monotonic()
        first = _worker(env)
        while len(fake.requests) < 120 and first.poll() is None and time.monotonic() - started < 60:
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        first.wait()
        at_kill = len(fake.requests)
        second = _worker(env)
        assert second.wait(timeout=120) == 0, (second.stderr.read() if second.stderr else b"").decode()[-2000:]
        elapsed = time.monotonic() - started
    # a row the killed worker was sending stays "sending": after the stale limit it is failed, never resent
    later = now + timedelta(minutes=11)
    drain(create_engine(url), later, {})
    deps = deps_for(url, library)
    send_broadcasts.run(deps, later)
    numbers = [request["To"] for request in fake.requests]
    with Session(db) as session:
        queued = session.exec(select(func.count()).select_from(BroadcastRecipient)
                              .where(BroadcastRecipient.broadcast_id == broadcast_id)).one()
        statuses = dict(session.exec(select(Outbox.status, func.count()).group_by(col(Outbox.status))).all())
        done = session.get(Broadcast, broadcast_id)
        assert done is not None
        listed = {r["id"]: r for r in broadcasts.listing(session)}[broadcast_id]
    assert queued == total  # every subscriber queued once
    assert len(numbers) == len(set(numbers))  # nobody got it twice
    assert len(numbers) >= total - 1 and statuses.get("sent", 0) >= total - 1
    assert statuses.get("sent", 0) + statuses.get("failed", 0) == total
    assert done.status == "sent" and listed["sent"] == statuses.get("sent", 0)
    with capsys.disabled():
        print(f"\n[{backend}] broadcast to {total}: killed after {at_kill} sends; {len(numbers)} messages reached "
              f"the fake Twilio for {len(set(numbers))} numbers (0 twice); {statuses.get('sent', 0)} sent, "
              f"{statuses.get('failed', 0)} unknown outcome; {elapsed:.1f} s in all (two worker starts); "
              f"{(len(fake.times) - 1) / (fake.times[-1] - fake.times[0]):.0f} messages/s first to last at the fake")
    db.dispose()


def deps_settings() -> Any:
    from bot.settings import Settings

    return replace(Settings.from_env({}), run_scheduler=False)


def settings_env(settings: Any) -> dict[str, str]:
    return {"DATABASE_URL": settings.database_url, "TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
            "TWILIO_AUTH_TOKEN": settings.twilio_auth_token, "TWILIO_SMS_FROM": settings.twilio_sms_from,
            "TWILIO_API_BASE_URL": settings.twilio_api_base_url, "PUBLIC_BASE_URL": settings.public_base_url}


def deps_for(url: str, library: Library) -> Deps:
    from bot.runtime import build_deps

    deps = build_deps(replace(deps_settings(), database_url=url))
    deps.library = lambda: library
    return deps


def test_sms_rate_limit_measured_at_the_fake_twilio(deps: Deps) -> None:
    fake = TimedTwilio()
    add_subscribers(deps.db, 30, deps.clock())
    create(deps, "news", {"nl": "Nieuws"})
    with serve(fake.app) as url:
        deps.settings = channel_settings(deps.settings, twilio_url=url, sms_per_second=20.0, outbox_batch=30)
        send_broadcasts.run(deps, deps.clock())
        assert drain_outbox.run(deps, deps.clock())["sent"] == 30
    span = fake.times[-1] - fake.times[0]
    rate = (len(fake.times) - 1) / span
    busiest = max(sum(1 for t in fake.times if start <= t < start + 1.0) for start in fake.times)
    assert 5 <= rate <= 20.5 and busiest <= 21  # never above the limit (and not far below it)


class TimedTelegram(FakeTelegram):
    """The fake Bot API that notes when each chat got a message."""

    def __init__(self) -> None:
        super().__init__()
        self.times: dict[int, list[float]] = {}

    async def _method(self, request: Request) -> Response:
        if request.path_params["method"] == "sendMessage":
            chat = int((await self._params(request))["chat_id"])
            self.times.setdefault(chat, []).append(time.monotonic())
        return await super()._method(request)


def test_telegram_global_and_per_chat_limits(deps: Deps) -> None:
    fake = TimedTelegram()
    times = fake.times
    add_subscribers(deps.db, 10, deps.clock(), channel="telegram")
    create(deps, "news", {"nl": "Nieuws"})
    create(deps, "news", {"nl": "Nog nieuws"})
    with serve(fake.app) as url:
        deps.settings = channel_settings(deps.settings, telegram_url=url, telegram_per_second=10.0,
                                         telegram_chat_seconds=1.5, outbox_batch=40)
        send_broadcasts.run(deps, deps.clock())
        assert drain_outbox.run(deps, deps.clock())["sent"] == 20
    every = sorted(t for chat in times.values() for t in chat)
    assert len(every) == 20
    assert (every[-1] - every[0]) / 19 >= 0.095  # 10 per second at most
    gaps = {chat: [round(b - a, 3) for a, b in itertools.pairwise(t)] for chat, t in times.items()}
    assert all(len(chat) == 2 and chat[1] - chat[0] >= 1.45 for chat in times.values()), gaps  # per chat


def test_whatsapp_outside_24_hours_goes_as_template_and_callbacks_count(deps: Deps) -> None:
    from bot.channels.twilio.delivery_status import apply_status

    fake = TimedTwilio()
    now = deps.clock()
    add_subscribers(deps.db, 1, now - timedelta(days=3), channel="whatsapp")  # last wrote three days ago
    add_subscribers(deps.db, 1, now, channel="whatsapp", start=1)  # wrote today
    add_subscribers(deps.db, 1, now, channel="sms", start=2)
    row = create(deps, "news", {"nl": "Het Digicafé start weer."})
    with serve(fake.app) as url:
        deps.settings = channel_settings(deps.settings, twilio_url=url,
                                         twilio_whatsapp_template_sid="HX" + "1" * 32)
        send_broadcasts.run(deps, now)
        assert drain_outbox.run(deps, now)["sent"] == 3
    by_number = {request["To"]: request for request in fake.requests}
    assert by_number["whatsapp:+3247" + "0" * 7]["ContentSid"] == "HX" + "1" * 32
    assert "Het Digicafé start weer." in by_number["whatsapp:+3247" + "0" * 7]["ContentVariables"]
    assert by_number["whatsapp:+3247" + "0" * 6 + "1"]["Body"].startswith("Het Digicafé start weer.")
    sids = [request["Sid"] for request in fake.delivered]
    with transaction(deps.db) as session:
        apply_status(session, sids[0], "delivered")
        apply_status(session, sids[1], "undelivered", "30003")
        apply_status(session, sids[2], "sent")
    with Session(deps.db) as session:
        [listed] = broadcasts.listing(session)
    assert listed["id"] == row.id
    assert (listed["sent"], listed["delivered"], listed["failed"], listed["queued"]) == (3, 1, 1, 0)


def test_retention_purge_keeps_the_recipient_rows(deps: Deps) -> None:
    from bot.crons import purge_retention

    add_subscribers(deps.db, 2, deps.clock())
    create(deps, "news", {"nl": "Nieuws"})
    send_broadcasts.run(deps, deps.clock())
    later = utcnow() + timedelta(days=deps.settings.retention_days + 1)
    assert purge_retention.run(deps, later)["outbox_deleted"] == 2
    with Session(deps.db) as session:
        rows = session.exec(select(BroadcastRecipient)).all()
    assert len(rows) == 2 and {r.outbox_id for r in rows} == {None}
