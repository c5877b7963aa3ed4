"""The composition root wires the ticket hooks: a new ticket is announced, a resident's message reaches the helper."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session, select

from bot.runtime import Deps, build_deps
from handoff.organisations import parse_organisations
from storage.models import Outbox
from tests.transcript import say

ORGS = """
spec_version: 1
organisations:
  - id: beego
    name: BEEGO
    hours: "Mo-Su 00:00-24:00"
    languages: [nl, en, fr]
    notify: telegram
    notify_target: "-100999"
"""


def test_build_deps_announces_new_tickets(deps: Deps) -> None:
    wired = build_deps(replace(deps.settings))
    assert len(wired.on_ticket_opened) == 2 and len(wired.on_ticket_message) == 1  # announce, e-mail
    organisations = parse_organisations(ORGS)
    wired.organisations = lambda: organisations
    wired.library, wired.clock = deps.library, deps.clock
    for text in ("iemand spreken", "1", "1", "1"):
        say(wired, "sms", "+32470123001", text)
    with Session(wired.db) as session:
        rows = session.exec(select(Outbox).where(Outbox.purpose == "ticket_announcement")).all()
    assert [(r.channel, r.address) for r in rows] == [("telegram", "-100999")]
    wired.db.dispose()
