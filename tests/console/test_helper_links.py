"""Every link digibuur sends helpers (announcements, re-announcements, reroutes, "the resident wrote", call-again
reminders, Telegram claim answers) opens the ticket in the helper inbox, not a 404."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.app import create_app
from bot.crons import remind_call_again
from bot.runtime import Deps, build_deps
from bot.settings import Settings
from handoff import inbox
from handoff.notify import announce
from handoff.telegram_claims import handle_claim
from storage.db import transaction
from storage.models import ContentRevision, Outbox, Ticket, User
from tests.console.conftest import add_user, login
from tests.handoff.conftest import ORGS_WITH_HOURS, open_ticket_by_chat

PUBLIC = "https://digibuur.example.org"
LINK = re.compile(r"https?://\S+")


def links(text: str) -> list[str]:
    return [found.rstrip(".,)") for found in LINK.findall(text)]


def test_every_link_sent_to_helpers_opens_the_ticket(settings: Settings, clock: object) -> None:
    deps: Deps = build_deps(replace(settings, public_base_url=PUBLIC))
    deps.clock = clock  # type: ignore[assignment]
    with transaction(deps.db) as session:
        session.add(ContentRevision(kind="organisations", key="organisations.yaml", body=ORGS_WITH_HOURS))
    code = open_ticket_by_chat(deps)  # announced to BEEGO's group by the wired hook
    sent: list[str] = []
    with transaction(deps.db) as session:
        ticket = session.exec(select(Ticket).where(Ticket.code == code)).one()
        org = next(o for o in deps.organisations() if o.id == ticket.organisation)
        for kind in ("announce_again", "announce_rerouted"):
            announce(session, ticket, org, deps.clock(), kind=kind, base_url=PUBLIC)
    helper_id = add_user(deps, "bram@beego.be", "helper", organisation="beego")
    with transaction(deps.db) as session:
        helper = session.get(User, helper_id)
        assert helper is not None and inbox.claim(session, helper, code, deps.clock())
    open_ticket_by_chat(deps, opener="hallo, ben je er nog?")  # the resident writes: the group hears of it
    with transaction(deps.db) as session:
        helper = session.get(User, helper_id)
        assert helper is not None
        inbox.record_outcome(session, helper, code, "call_again", None, deps.clock() + timedelta(hours=1),
                             deps.clock())
    deps.clock = lambda: clock.now + timedelta(hours=2)  # type: ignore[attr-defined]
    assert remind_call_again.run(deps, deps.clock())["sent"] == 1
    with Session(deps.db) as session:
        sent = [row.body["text"] for row in session.exec(select(Outbox).where(Outbox.channel == "telegram"))]
    starts = ("Nieuwe vraag", "Nog niemand", "komt naar jullie", "stuurde een nieuw bericht", "Herinnering")
    for start in starts:  # new, again, rerouted, the resident wrote, call again: each with a link
        assert any(start in text and links(text) for text in sent), (start, sent)
    second = open_ticket_by_chat(deps, address="+32470123499")
    with transaction(deps.db) as session:
        linked = add_user(deps, "sara@beego.be", "helper", organisation="beego")
        user = session.get(User, linked)
        assert user is not None
        user.telegram_user_id = 4242
        session.add(user)
    claim_answer = handle_claim(deps, second, 4242, "Sara", deps.clock(), chat_id=-100111)
    assert links(claim_answer), claim_answer
    every = [link for text in [*sent, claim_answer] for link in links(text)]
    # PUBLIC_BASE_URL is https: the session cookie is Secure, so the client speaks https too
    app = create_app(deps.settings, deps, scheduler=False)
    with TestClient(app, base_url=PUBLIC, follow_redirects=False) as client:
        add_user(deps, "staff@gent.be", "staff")
        assert login(client, "staff@gent.be").status_code == 303
        for link in every:
            parts = urlsplit(link)
            assert f"{parts.scheme}://{parts.netloc}" == PUBLIC
            assert re.fullmatch(r"/helpers/tickets/T-\d+", parts.path), link
            page = client.get(parts.path)
            assert page.status_code == 200, (link, page.status_code)
            assert parts.path.rsplit("/", 1)[1] in page.text
        old = client.get(f"/helpers/{code}")  # a link sent before the fix still arrives
        assert old.status_code == 303 and old.headers["location"] == f"/helpers/tickets/{code}"
    deps.db.dispose()
