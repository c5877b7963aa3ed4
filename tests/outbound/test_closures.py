"""Closures reach followers: the console's closure form shows how many follow the place and sends them a notice in
their language unless staff untick it."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.crons import send_broadcasts
from bot.runtime import Deps
from storage.models import Broadcast, Outbox
from tests.console.conftest import csrf_token
from tests.outbound.conftest import add_subscribers

PAGE = "/console/places/de-krook"


def post_closure(client: TestClient, **extra: str) -> int:
    data = {"csrf_token": csrf_token(client, PAGE), "start": "2026-12-01", "end": "2026-12-02",
            "reason_nl": "personeelsdag", "reason_fr": "formation", **extra}
    return client.post(f"{PAGE}/closures", data=data).status_code


def test_followers_get_a_notice_in_their_language(staff_client: TestClient, live_deps: Deps) -> None:
    now = live_deps.clock()
    add_subscribers(live_deps.db, 2, now, kind="follow", place_id="de-krook", language="nl")
    add_subscribers(live_deps.db, 1, now, kind="follow", place_id="de-krook", language="fr", start=10)
    add_subscribers(live_deps.db, 1, now, kind="follow", place_id="de-krook", language="uk", start=20)
    add_subscribers(live_deps.db, 3, now, kind="follow", place_id="kringwinkel-vlaamsekaai", start=30)  # another place
    add_subscribers(live_deps.db, 1, now, kind="follow", place_id="de-krook", opted_out=True, start=40)
    page = staff_client.get(PAGE).text
    assert '<span id="follower-count">4</span>' in page and 'id="notify-followers" checked' in page
    assert post_closure(staff_client, notify_followers="1") == 303
    with Session(live_deps.db) as session:
        [broadcast] = session.exec(select(Broadcast)).all()
    assert (broadcast.kind, broadcast.audience, broadcast.status, broadcast.recipients) == (
        "closure", "place:de-krook", "scheduled", 4)
    send_broadcasts.run(live_deps, now)
    with Session(live_deps.db) as session:
        bodies = {row.address: row.body for row in session.exec(select(Outbox))}
    assert len(bodies) == 4
    texts = sorted(body["text"] for body in bodies.values())
    assert "De Krook is dicht: 1/12-2/12. personeelsdag" in texts
    assert "De Krook est fermé : 1/12-2/12. formation" in texts
    assert any(text.startswith("De Krook зачинено: 1/12-2/12.") for text in texts)  # no Ukrainian reason: none
    assert {body["footer"] for body in bodies.values()} >= {"STOP VOLG = geen berichten meer"}


def test_unticked_sends_nothing(staff_client: TestClient, live_deps: Deps) -> None:
    add_subscribers(live_deps.db, 2, live_deps.clock(), kind="follow", place_id="de-krook")
    assert post_closure(staff_client) == 303  # the box left unticked: the form sends no notify_followers
    with Session(live_deps.db) as session:
        assert session.exec(select(Broadcast)).all() == []
