"""Handoff in the resident's language: routing prefers a helper who speaks it, and says so; the resident is told
honestly when nobody does; helpers see the language first."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from bot.runtime import Deps
from handoff.organisations import OrganisationError, parse_organisations
from handoff.routing import route
from storage.models import Ticket
from tests.handoff.conftest import open_ticket_by_chat
from tests.transcript import say

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=ZoneInfo("Europe/Brussels"))
ORGS = """
organisations:
  - {id: a, name: A, hours: "Mo-Fr 09:00-17:00", languages: [nl, en]}
  - {id: b, name: B, hours: "Mo-Fr 09:00-17:00", languages: [nl, fr]}
  - {id: c, name: C, hours: "Sa 09:00-12:00", languages: [tr]}
"""


def test_routing_prefers_a_helper_who_speaks_the_language_and_says_why() -> None:
    organisations = parse_organisations(ORGS)
    chosen = route(organisations, language="fr", topic="x", open_counts={"b": 3}, now=NOW, timezone="Europe/Brussels")
    assert chosen is not None and chosen.organisation.id == "b" and "speaks fr" in chosen.reason
    turkish = route(organisations, language="tr", topic="x", open_counts={}, now=NOW, timezone="Europe/Brussels")
    assert turkish is not None and "those who speak tr are not open now" in turkish.reason
    arabic = route(organisations, language="ar", topic="x", open_counts={}, now=NOW, timezone="Europe/Brussels")
    assert arabic is not None and "nobody active speaks ar" in arabic.reason


def test_organisations_declare_languages_of_the_list() -> None:
    try:
        parse_organisations(ORGS.replace("[tr]", "[turks]"), "organisations.yaml", ("nl", "en", "fr", "tr"))
    except OrganisationError as exc:
        assert "languages ['turks'] are not in the language list" in str(exc)
    else:
        raise AssertionError("an unknown language code was accepted")


def test_the_resident_is_told_which_languages_the_helper_speaks(deps: Deps) -> None:
    # the shipped organisations speak Dutch and English; this resident writes French and wants French
    say(deps, "sms", "+32470555111", "je voudrais parler à quelqu'un")
    say(deps, "sms", "+32470555111", "1")  # yes, call this number
    done = say(deps, "sms", "+32470555111", "1")  # as soon as possible; the conversation's language: French
    with Session(deps.db) as session:
        row = session.exec(select(Ticket)).one()
    assert row.language == "fr" and "nobody active speaks fr" in row.routing_reason
    assert "Attention : l'assistant parle néerlandais" in done.joined, done.joined


def test_nothing_is_said_when_the_helper_speaks_it(deps: Deps) -> None:
    code = open_ticket_by_chat(deps)
    with Session(deps.db) as session:
        row = session.exec(select(Ticket).where(Ticket.code == code)).one()
    assert row.language == "nl" and "speaks nl" in row.routing_reason
