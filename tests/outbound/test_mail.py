"""Helpers by e-mail through a real local SMTP server (aiosmtpd): delivered, refused, timing out; choices per
organisation and helper account; the daily digest; no SMTP configured; /healthz names untold tickets."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from email import message_from_string
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.app import create_app
from bot.console.passwords import create_user
from bot.crons import drain_outbox, mail_tickets
from bot.runtime import Deps
from handoff.mail import mail_hook_for, set_choice
from storage.db import transaction
from storage.models import Outbox, Ticket, User
from storage.types import utcnow
from tests.conftest import Clock
from tests.transcript import say

RESIDENT = "+32470998877"
TEAM = "team@beego.example"


class Inbox:
    """An aiosmtpd handler: keeps accepted mails; can refuse recipients or stall on DATA."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], str]] = []
        self.refuse: str | None = None
        self.stall: float = 0.0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stall:
            await asyncio.sleep(self.stall)
        self.mails.append((list(envelope.rcpt_tos), envelope.content.decode("utf-8", "replace")))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def mailing(deps: Deps, smtp: tuple[Inbox, int]) -> Deps:
    deps.settings = replace(deps.settings, smtp_url=f"smtp://127.0.0.1:{smtp[1]}", mail_from="digibuur@gent.example",
                            smtp_timeout=0.5, public_base_url="https://digibuur.example.org")
    deps.on_ticket_opened.append(mail_hook_for(deps.organisations, deps.settings.public_base_url))
    return deps


def open_ticket(deps: Deps, address: str = RESIDENT) -> str:
    said = [say(deps, "sms", address, text).texts for text in ("iemand spreken", "1", "1", "1")]
    with Session(deps.db) as session:
        ticket = session.exec(select(Ticket).order_by(Ticket.id.desc())).first()  # type: ignore[union-attr]
        assert ticket is not None, said
        return ticket.code


def drain(deps: Deps, minutes: int = 0) -> dict[str, int]:
    """The outbox job at the real time (queued rows are due from the moment they were written)."""
    return drain_outbox.run(deps, utcnow() + timedelta(minutes=minutes, seconds=1))


def choose(deps: Deps, organisation: str, email: str, mode: str, user_id: int | None = None) -> None:
    with transaction(deps.db) as session:
        set_choice(session, organisation, email=email, mode=mode, user_id=user_id)


def organisation_of(deps: Deps, code: str) -> str:
    with Session(deps.db) as session:
        ticket = session.exec(select(Ticket).where(Ticket.code == code)).one()
        return ticket.organisation


def outbox(deps: Deps) -> list[Outbox]:
    with Session(deps.db) as session:
        return list(session.exec(select(Outbox).where(Outbox.channel == "email").order_by(Outbox.id)))  # type: ignore[arg-type]


def test_each_ticket_reaches_the_organisation_and_helpers_without_personal_data(
        mailing: Deps, smtp: tuple[Inbox, int], clock: Clock) -> None:
    inbox, _ = smtp
    for org in ("beego", "digidak"):
        choose(mailing, org, TEAM if org == "beego" else "team@digidak.example", "each")
    with transaction(mailing.db) as session:
        for org in ("beego", "digidak"):
            create_user(session, f"helper@{org}.example", "correct horse battery", "helper", organisation=org)
            create_user(session, f"quiet@{org}.example", "correct horse battery", "helper", organisation=org)
    quiet = {org: f"quiet@{org}.example" for org in ("beego", "digidak")}
    with Session(mailing.db) as session:
        quiet_ids = [(str(u.organisation), u.id) for u in session.exec(select(User))
                     if u.email.startswith("quiet@")]
    for organisation, user_id in quiet_ids:
        choose(mailing, organisation, "", "none", user_id)
    code = open_ticket(mailing)
    org = organisation_of(mailing, code)
    counts = drain(mailing)
    assert counts["sent"] == 2, (counts, [(r.status, r.last_error, r.address) for r in outbox(mailing)])
    assert drain(mailing)["sent"] == 0  # never twice
    to = sorted(rcpt for rcpts, _ in inbox.mails for rcpt in rcpts)
    assert to == sorted([TEAM if org == "beego" else "team@digidak.example", f"helper@{org}.example"])
    assert quiet[org] not in to
    body = str(message_from_string(inbox.mails[0][1], policy=default).get_content())  # type: ignore[attr-defined]
    assert code in body and f"https://digibuur.example.org/helpers/tickets/{code}" in body
    assert "terugbellen: zo snel mogelijk" in body.lower()
    assert RESIDENT not in body and "470998877" not in body and "iemand mij belt" not in body
    # the link is a real inbox route: it asks a visitor to log in, it is no 404
    app = create_app(mailing.settings, mailing, scheduler=False)
    with TestClient(app, follow_redirects=False) as client:
        assert client.get(f"/helpers/tickets/{code}").status_code in (303, 307, 401)


def test_refused_recipient_fails_without_retry_and_busy_server_retries(
        mailing: Deps, smtp: tuple[Inbox, int], clock: Clock) -> None:
    inbox, _ = smtp
    choose(mailing, "beego", TEAM, "each")
    choose(mailing, "digidak", "team@digidak.example", "each")
    inbox.refuse = "550 5.1.1 no such mailbox"
    open_ticket(mailing)
    assert drain(mailing)["failed"] == 1
    [row] = outbox(mailing)
    assert row.status == "failed" and "550" in (row.last_error or "")
    inbox.refuse = "451 4.3.0 try again later"
    open_ticket(mailing, "+32470998878")
    assert drain(mailing)["retried"] == 1
    inbox.refuse = None
    assert drain(mailing, minutes=2)["sent"] == 1
    assert len(inbox.mails) == 1


def test_a_server_that_times_out_is_not_resent(mailing: Deps, smtp: tuple[Inbox, int], clock: Clock) -> None:
    inbox, _ = smtp
    choose(mailing, "beego", TEAM, "each")
    choose(mailing, "digidak", "team@digidak.example", "each")
    inbox.stall = 2.0
    open_ticket(mailing)
    assert drain(mailing)["unknown"] == 1
    [row] = outbox(mailing)
    assert row.status == "failed" and "unknown outcome" in (row.last_error or "")
    assert drain(mailing, minutes=60)["sent"] == 0


def test_no_server_listening_is_retried(mailing: Deps, clock: Clock) -> None:
    mailing.settings = replace(mailing.settings, smtp_url=f"smtp://127.0.0.1:{free_port()}")
    choose(mailing, "beego", TEAM, "each")
    choose(mailing, "digidak", "team@digidak.example", "each")
    open_ticket(mailing)
    assert drain(mailing)["retried"] == 1


def test_daily_digest_once_a_day_from_the_morning(mailing: Deps, smtp: tuple[Inbox, int], clock: Clock) -> None:
    inbox, _ = smtp
    choose(mailing, "beego", TEAM, "digest")
    choose(mailing, "digidak", "team@digidak.example", "digest")
    first, second = open_ticket(mailing), open_ticket(mailing, "+32470998879")
    assert drain(mailing)["sent"] == 0  # no mail per ticket
    clock.now = clock.now.replace(hour=7, minute=0) + timedelta(days=1)  # 07:00 local: not yet
    assert mail_tickets.run(mailing, clock.now)["digests"] == 0
    clock.now += timedelta(hours=1, minutes=30)
    assert mail_tickets.run(mailing, clock.now)["digests"] >= 1
    assert mail_tickets.run(mailing, clock.now)["digests"] == 0  # once a day
    drain(mailing)
    bodies = "\n".join(body for _, body in inbox.mails)
    assert first in bodies or second in bodies


def test_no_smtp_skips_with_reason_and_healthz_reports_untold(deps: Deps, clock: Clock) -> None:
    deps.on_ticket_opened.append(mail_hook_for(deps.organisations, deps.settings.public_base_url))
    choose(deps, "beego", TEAM, "each")
    choose(deps, "digidak", "team@digidak.example", "each")
    code = open_ticket(deps)
    drain(deps)
    [row] = outbox(deps)
    assert row.status == "skipped" and "SMTP_URL" in (row.last_error or "")
    deps.settings = replace(deps.settings, ticket_untold_minutes=1)
    app = create_app(deps.settings, deps, scheduler=False)
    with TestClient(app) as client:
        with transaction(deps.db) as session:
            ticket = session.exec(select(Ticket).where(Ticket.code == code)).one()
            ticket.created_at = ticket.created_at - timedelta(hours=1)
            session.add(ticket)
        health = client.get("/healthz").json()
    assert health["checks"]["tickets_untold"] == [code]
    assert code in health["checks"]["warnings"][0]
