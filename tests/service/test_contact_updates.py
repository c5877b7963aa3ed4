"""A turn whose only effects are the commonest two, setting the contact's language ('English', a question in
another language) and showing the news offer, is written with the turn's plain writes
(storage.conversations.finish_turn, ContactUpdates), on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from bot import service
from bot.effects import Effect, NewsOffered, OptOut, SetLanguage
from bot.engine import Turn
from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle
from storage.conversations import ContactUpdates
from storage.models import Contact, Conversation, Message, Subscription
from tests.conftest import Clock

SENDER = "+32470000047"


def message(deps: Deps, text: str, sid: str) -> Inbound:
    return Inbound(address=Address("sms", SENDER), text=text, received_at=deps.clock(), external_id=sid)


def _no_effects_path(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("a turn whose effects are only ContactUpdates took the ORM effects path")


def test_a_turn_that_only_sets_the_language_is_written_with_the_turn(deps: Deps, monkeypatch: Any) -> None:
    handle(message(deps, "menu", "SM-lang-1"), deps)
    monkeypatch.setattr(service, "_with_effects", _no_effects_path)
    result = handle(message(deps, "English", "SM-lang-2"), deps)
    assert result.language == "en" and result.replies
    with Session(deps.db) as session:
        assert session.exec(select(Contact)).one().language == "en"
        conversation = session.exec(select(Conversation)).one()
        assert conversation.state["language"] == "en" and conversation.turns == 2
        inbound = session.exec(select(Message).where(Message.external_id == "SM-lang-2")).one()
        assert inbound.language == "en"
        replies = session.exec(select(Message).where(Message.reply_to_id == inbound.id).order_by(
            Message.id)).all()  # type: ignore[arg-type]
        assert tuple(reply.id for reply in replies) == result.reply_ids
        assert [reply.text for reply in replies] == [reply.text for reply in result.replies]


def test_the_language_set_is_what_the_next_turn_answers_in(deps: Deps) -> None:
    handle(message(deps, "English", "SM-lang-3"), deps)
    with Session(deps.db) as session:  # the contact's language outlives the conversation's state
        conversation = session.exec(select(Conversation)).one()
        conversation.state = {}
        session.add(conversation)
        session.commit()
    result = handle(message(deps, "menu", "SM-lang-4"), deps)
    assert result.language == "en" and result.replies[0].text == "How can I help you?"


def test_a_turn_with_other_effects_besides_still_applies_them(deps: Deps) -> None:
    handle(message(deps, "English", "SM-lang-5"), deps)
    result = handle(message(deps, "STOP", "SM-lang-6"), deps)  # STOP: opting out, a write of the effects path
    assert result.replies
    with Session(deps.db) as session:
        contact = session.exec(select(Contact)).one()
        assert contact.opted_out and contact.language == "en"


def test_the_news_offer_shown_is_recorded_with_the_turn_and_not_shown_again_soon(deps: Deps, clock: Clock,
                                                                                monkeypatch: Any) -> None:
    handle(message(deps, "menu", "SM-offer-1"), deps)
    monkeypatch.setattr(service, "_with_effects", _no_effects_path)
    offer = deps.library().texts.get("nl", "news_offer")
    shown = handle(message(deps, "bedankt", "SM-offer-2"), deps)
    assert any(offer in reply.text for reply in shown.replies)
    with Session(deps.db) as session:
        row = session.exec(select(Subscription)).one()
        assert (row.kind, row.place_id, row.language, row.end_reason) == ("news_offer", "", "nl", "offer")
        assert row.wording.startswith(offer) and row.created_at == row.ended_at == clock.now
    handle(message(deps, "nee", "SM-offer-3"), deps)
    clock.now = clock.now + timedelta(days=1)
    again = handle(message(deps, "bedankt", "SM-offer-4"), deps)
    assert not any(offer in reply.text for reply in again.replies)  # the offer's time was read back: not soon
    with Session(deps.db) as session:
        assert len(session.exec(select(Subscription)).all()) == 1


def test_which_effects_are_written_with_the_turn() -> None:
    def updates(*effects: Effect, channel: str = "sms") -> ContactUpdates | None:
        return service._contact_updates_only(Turn(replies=(), state={"language": "fr"}, effects=effects), channel)

    assert updates() == ContactUpdates()
    assert updates(SetLanguage("en"), SetLanguage("fr")) == ContactUpdates(language="fr", offer_language="fr")
    assert updates(NewsOffered("Nieuws?"), SetLanguage("fr")) == ContactUpdates(
        language="fr", offer_wording="Nieuws?", offer_language="fr")
    assert updates(SetLanguage("en"), OptOut()) is None  # any other effect: the effects path for all
    assert updates(NewsOffered("a"), NewsOffered("b")) is None
    assert updates(SetLanguage("en"), channel="voice") is None  # a call's choice reaches the SMS contact too
