"""Poison messages: a NUL or a lone surrogate in any inbound field is cleaned at the channel edge (the message is
stored and answered on both databases); anything else that breaks handling leaves a dead letter and an apology,
never a 500 on every redelivery; SQL errors never carry the parameters (a resident's words) into logs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from bot import service
from bot.messages import Address, Inbound, clean_fields, clean_text
from bot.runtime import Deps
from bot.service import handle
from storage import conversations
from storage.db import describe_error, make_engine, transaction
from storage.models import Contact, DeadLetter, Message
from tests.channels.conftest import TELEGRAM_SECRET, post_twilio
from tests.channels.test_telegram_webhook import update
from tests.conftest import new_database_url


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every test here runs on both databases (PostgreSQL when DIGIBUUR_TEST_POSTGRES_URL is set)."""
    return new_database_url(tmp_path, str(request.param))


def inbound_texts(deps: Deps) -> list[str]:
    with Session(deps.db) as session:
        return [m.text for m in session.exec(select(Message).where(Message.direction == "in"))]


def test_clean_text_drops_nul_and_replaces_lone_surrogates() -> None:
    assert clean_text("ha\x00llo") == "hallo"
    assert clean_text("a\ud83db") == "a\ufffdb"
    assert clean_text("wifi 😀 café") == "wifi 😀 café"  # real characters stay
    assert clean_fields({"Bo\x00dy": "x\x00", "From": "+32\udc00"}) == {"Body": "x", "From": "+32\ufffd"}


async def test_signed_sms_with_a_nul_is_answered_and_stored(client: httpx.AsyncClient, wired: Deps) -> None:
    form = {"MessageSid": "SMnul0001", "From": "+32470111222", "To": "+3293000000", "Body": "me\x00nu"}
    first = await post_twilio(client, form)
    assert first.status_code == 200 and "<Message" in first.text
    assert inbound_texts(wired) == ["menu"]
    again = await post_twilio(client, form)  # Twilio's retry: the stored answer, not a 500
    assert again.status_code == 200 and again.text == first.text
    with Session(wired.db) as session:
        assert session.exec(select(DeadLetter)).first() is None


async def test_telegram_text_with_a_lone_surrogate_is_answered_and_stored(
    client: httpx.AsyncClient, wired: Deps
) -> None:
    data = update("text", update_id=91001, text="menu \ud83d")
    data["message"]["from"]["first_name"] = "Ann\x00\udc00"
    body = json.dumps(data).encode("ascii")  # JSON escapes carry the lone surrogate, as Telegram's can
    response = await client.post(
        "/webhooks/telegram",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET, "content-type": "application/json"},
    )
    assert response.status_code == 200
    assert inbound_texts(wired) == ["menu \ufffd"]


def test_any_failure_while_handling_leaves_a_dead_letter(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not only the engine: here writing the turn (its message, state and replies) fails after the engine
    answered."""
    real_log = conversations.finish_turn
    calls = {"n": 0}

    def broken_once(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("the log could not be written")
        return real_log(*args, **kwargs)

    monkeypatch.setattr(conversations, "finish_turn", broken_once)
    inbound = Inbound(Address("sms", "+32470111333"), "menu", deps.clock(), external_id="SMbroken1")
    result = handle(inbound, deps)
    assert result.replies and "Sorry" in result.replies[0].text
    with Session(deps.db) as session:
        [letter] = session.exec(select(DeadLetter)).all()
        assert "RuntimeError" in letter.error and letter.address == "+32470111333"
        stored = session.get(Message, letter.message_id)
        assert stored is not None and stored.text == "menu" and stored.external_id == "SMbroken1"
    repeat = handle(inbound, deps)  # the provider's redelivery: the stored apology, no second failure
    assert repeat.duplicate and repeat.replies == result.replies


def test_when_nothing_else_can_be_stored_the_dead_letter_names_who(
    deps: Deps, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("the log could not be written")

    monkeypatch.setattr(conversations, "finish_turn", broken)  # the turn's write
    monkeypatch.setattr(service, "_log_replies", broken)  # and the dead letter's apology
    result = handle(Inbound(Address("sms", "+32470111444"), "menu", deps.clock(), external_id="SMbroken2"), deps)
    assert result.replies and "Sorry" in result.replies[0].text
    with Session(deps.db) as session:
        [letter] = session.exec(select(DeadLetter)).all()
        assert letter.message_id is None and letter.address == "+32470111444"
        assert session.exec(select(Message)).first() is None


def test_an_unreachable_database_is_not_a_dead_letter(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    """A lost connection fails the request (5xx): the provider redelivers and the message is handled then."""

    def connection_lost(*_args: Any, **_kwargs: Any) -> Any:
        raise OperationalError("INSERT ...", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(conversations, "finish_turn", connection_lost)
    inbound = Inbound(Address("sms", "+32470111555"), "menu", deps.clock(), external_id="SMdown1")
    with pytest.raises(OperationalError):
        handle(inbound, deps)
    monkeypatch.undo()
    with Session(deps.db) as session:
        assert session.exec(select(DeadLetter)).first() is None
    assert handle(inbound, deps).replies  # the redelivery is answered normally


def test_sql_errors_do_not_carry_parameters(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with transaction(engine) as session:
            session.add(Contact(channel="sms", address="+32470999888", stats_key="Geheimtekst van een bewoner"))
        with pytest.raises(IntegrityError) as caught, transaction(engine) as session:
            session.add(Contact(channel="sms", address="+32470999888", stats_key="Geheimtekst van een bewoner"))
        assert "Geheimtekst" not in str(caught.value) and "hidden" in str(caught.value)
        described = describe_error(caught.value)  # what logs and dead letters get
        assert "IntegrityError" in described
        assert "Geheimtekst" not in described and "470999888" not in described
    finally:
        engine.dispose()
