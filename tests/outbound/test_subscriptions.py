"""Consent: NIEUWS + yes, VOLG on a place detail, STOP NIEUWS / STOP VOLG / STOP, 'mijn berichten', the offer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle
from storage.models import Contact, Subscription
from tests.conftest import Clock

NUMBER = "+32470001001"

# (language, news word, stop news, follow word, stop follow, my messages, words expected in the confirmation)
LANGUAGES = [
    ("nl", "NIEUWS", "STOP NIEUWS", "VOLG", "STOP VOLG", "mijn berichten", "STOP NIEUWS"),
    ("en", "NEWS", "STOP NEWS", "FOLLOW", "STOP FOLLOW", "my messages", "STOP NEWS"),
    ("fr", "NOUVELLES", "STOP NOUVELLES", "SUIVRE", "STOP SUIVRE", "mes messages", "STOP NOUVELLES"),
    ("tr", "HABER", "STOP HABER", "TAKIP", "STOP TAKIP", "mesajlarım", "STOP HABER"),
    ("ar", "أخبار", "STOP NEWS", "FOLLOW", "STOP FOLLOW", "رسائلي", "STOP NEWS"),
    ("bg", "новини", "STOP NEWS", "FOLLOW", "STOP FOLLOW", "моите съобщения", "STOP NEWS"),
    ("uk", "новини", "STOP NEWS", "FOLLOW", "STOP FOLLOW", "мої повідомлення", "STOP NEWS"),
]


def send(deps: Deps, text: str, address: str = NUMBER) -> Any:
    return handle(Inbound(address=Address("sms", address), text=text, received_at=deps.clock()), deps)


def texts(result: Any) -> str:
    return "\n".join(reply.text for reply in result.replies)


def rows(deps: Deps) -> list[Subscription]:
    with Session(deps.db) as session:
        return list(session.exec(select(Subscription).order_by(Subscription.id)))  # type: ignore[arg-type]


def set_language(deps: Deps, language: str, address: str = NUMBER) -> None:
    name = deps.library().texts.catalogue.name(language)
    send(deps, name, address)


@pytest.mark.parametrize(("language", "news", "stop_news", "_follow", "_stop_follow", "mine", "confirm"), LANGUAGES)
def test_news_consent_with_wording_and_stop(deps: Deps, language: str, news: str, stop_news: str, _follow: str,
                                            _stop_follow: str, mine: str, confirm: str) -> None:
    set_language(deps, language)
    texts_ = deps.library().texts
    asked = send(deps, news)
    assert texts_.get(language, "news_ask") in texts(asked)
    assert rows(deps) == []  # a keyword alone is no consent
    said_yes = send(deps, "1")
    assert confirm in texts(said_yes)
    [row] = rows(deps)
    assert row.kind == "news" and row.ended_at is None and row.language == language
    assert row.wording.startswith(texts_.get(language, "news_ask"))  # the exact words shown
    assert row.created_at == deps.clock()
    listed = send(deps, mine)
    assert texts_.get(language, "my_messages_news") in texts(listed)
    stopped = send(deps, stop_news)
    assert texts(stopped) == texts_.get(language, "news_stopped")
    [row] = rows(deps)
    assert row.ended_at is not None and row.end_reason == "stop news"
    with Session(deps.db) as session:
        contact = session.exec(select(Contact)).one()
        assert not contact.opted_out  # STOP NIEUWS is not STOP: answers keep coming
    assert texts_.get(language, "my_messages_none") in texts(send(deps, mine))


def test_no_to_news_stores_nothing(deps: Deps) -> None:
    send(deps, "NIEUWS")
    assert "niets" in texts(send(deps, "nee"))
    assert rows(deps) == []


ASK_PLACE = {"nl": "waar is een digipunt in de buurt van dampoort", "en": "where is a digipunt near dampoort",
             "fr": "où est un digipunt près de dampoort"}


def _open_a_place(deps: Deps, language: str = "nl") -> str:
    send(deps, ASK_PLACE[language])
    detail = send(deps, "1")
    assert detail.replies
    return detail.replies[0].text


@pytest.mark.parametrize(("language", "_news", "_stop_news", "follow", "stop_follow", "mine", "_confirm"),
                         LANGUAGES[:3])
def test_follow_a_place_from_its_detail(deps: Deps, language: str, _news: str, _stop_news: str, follow: str,
                                        stop_follow: str, mine: str, _confirm: str) -> None:
    set_language(deps, language)
    _open_a_place(deps, language)
    asked = send(deps, follow)
    assert asked.replies and asked.replies[0].options
    send(deps, "1")
    [row] = rows(deps)
    assert row.kind == "follow" and row.place_id and deps.library().places.get(row.place_id) is not None
    place = deps.library().places.get(row.place_id)
    assert place is not None
    assert (place.short_name or place.name) in texts(send(deps, mine))
    assert texts(send(deps, stop_follow)) == deps.library().texts.get(language, "follow_stopped")
    assert rows(deps)[0].ended_at is not None


def test_follow_without_a_place_says_how(deps: Deps) -> None:
    assert "Zoek eerst een Digipunt" in texts(send(deps, "VOLG"))
    assert rows(deps) == []


def test_stop_ends_every_subscription(deps: Deps) -> None:
    send(deps, "NIEUWS")
    send(deps, "ja")
    _open_a_place(deps)
    send(deps, "VOLG")
    send(deps, "ja")
    assert [r.ended_at for r in rows(deps)] == [None, None]
    send(deps, "STOP")
    assert all(r.ended_at is not None and r.end_reason == "stop" for r in rows(deps))


def test_offer_after_thanks_once_per_90_days_never_in_a_flow(deps: Deps, clock: Clock) -> None:
    send(deps, "menu")
    offered = send(deps, "bedankt")
    offer = deps.library().texts.get("nl", "news_offer")
    assert offer in texts(offered)
    send(deps, "nee")
    assert [r.kind for r in rows(deps)] == ["news_offer"]
    assert offer not in texts(send(deps, "bedankt"))  # not again soon
    clock.now = clock.now + timedelta(days=91)
    assert offer in texts(send(deps, "bedankt"))
    send(deps, "ja")
    assert [r.kind for r in rows(deps)] == ["news_offer", "news_offer", "news"]
    assert rows(deps)[-1].wording.startswith(offer)
    # in the middle of a guide step, thanks is no end: no offer
    clock.now = clock.now + timedelta(days=200)
    assert offer not in texts(send(deps, "bedankt"))  # subscribed already: never offered


def test_stop_news_variants_are_not_a_full_stop(deps: Deps) -> None:
    for words in ("stop nieuws", "STOP NEWS", "stop nouvelles"):
        result = send(deps, words)
        assert not result.opted_out
    with Session(deps.db) as session:
        assert not session.exec(select(Contact)).one().opted_out
