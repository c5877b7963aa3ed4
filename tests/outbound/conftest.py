"""Outbound test fixtures: the fake Twilio and Telegram servers of the channel tests, subscribers in bulk."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.state import State
from storage.models import Contact, Conversation, Subscription
from tests.channels.conftest import fake_telegram, fake_twilio  # noqa: F401  (fixtures)
from tests.console.conftest import app_client, live_deps, staff_client  # noqa: F401  (fixtures)


def add_subscribers(db: Engine, count: int, now: datetime, *, channel: str = "sms", language: str = "nl",
                    kind: str = "news", place_id: str = "", start: int = 0, opted_out: bool = False,
                    point: tuple[float, float] | None = None) -> list[int]:
    """`count` residents who said yes (news, or following a place); their contact ids."""
    ids: list[int] = []
    with Session(db) as session:
        for number in range(start, start + count):
            address = f"+3247{number:07d}" if channel != "telegram" else str(700000 + number)
            contact = Contact(channel=channel, address=address, stats_key=f"k{number}", language=language,
                              opted_out=opted_out, last_inbound_at=now, created_at=now)
            session.add(contact)
            session.flush()
            assert contact.id is not None
            state = State(language=language)
            if point is not None:
                state.where = {"point": list(point), "label": "test"}
            session.add(Conversation(contact_id=contact.id, state=state.to_dict()))
            session.add(Subscription(contact_id=contact.id, kind=kind, place_id=place_id, language=language,
                                     wording="test consent", created_at=now))
            ids.append(contact.id)
        session.commit()
    return ids
