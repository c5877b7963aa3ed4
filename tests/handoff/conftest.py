"""Handoff test helpers: organisations with hours, helper accounts, and reading the outbox."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from bot.runtime import Deps
from handoff.organisations import Organisation, parse_organisations
from storage.db import transaction
from storage.models import Contact, Conversation, Outbox, Ticket, User
from tests.transcript import say

ORGS_WITH_HOURS = """
organisations:
  - id: beego
    name: BEEGO
    hours: "Mo-Fr 09:00-17:00; PH off"
    languages: [nl, en]
    notify: telegram
    notify_target: "-100111"
  - id: digidak
    name: Digidak
    hours: "Mo-Fr 13:00-16:00; PH off"
    languages: [nl, fr]
    notify: sms
    notify_target: "0470 99 88 77"
"""


def organisations(text: str = ORGS_WITH_HOURS) -> tuple[Organisation, ...]:
    return parse_organisations(text, "test organisations")


@pytest.fixture
def hours_deps(deps: Deps) -> Deps:
    """The service with organisations that have helpdesk hours and Telegram/SMS announcements."""
    orgs = organisations()
    deps.organisations = lambda: orgs
    return deps


def open_ticket_by_chat(deps: Deps, address: str = "+32470123456", opener: str = "ik wil iemand spreken") -> str:
    """Walk the resident's side on SMS (consent this number, asap) and return the ticket code; the ticket is in
    the language of the conversation."""
    say(deps, "sms", address, opener)
    say(deps, "sms", address, "1")
    say(deps, "sms", address, "1")
    with Session(deps.db) as session:
        contact = session.exec(select(Contact).where(Contact.address == address)).one()
        ticket = session.exec(select(Ticket).where(Ticket.contact_id == contact.id)).one()
        return ticket.code


def make_user(
    deps: Deps,
    email: str,
    role: str = "helper",
    organisation: str | None = "beego",
    *,
    name: str = "",
    active: bool = True,
    telegram_user_id: int | None = None,
) -> User:
    with transaction(deps.db) as session:
        user = User(
            email=email,
            name=name or email.split("@")[0].title(),
            password_hash="x",
            role=role,
            organisation=organisation,
            active=active,
            telegram_user_id=telegram_user_id,
        )
        session.add(user)
        session.flush()
        session.refresh(user)
        return user


def outbox(deps: Deps, purpose: str | None = None) -> list[Outbox]:
    with Session(deps.db) as session:
        query = select(Outbox).order_by(col(Outbox.id))
        if purpose is not None:
            query = query.where(Outbox.purpose == purpose)
        return list(session.exec(query))


def ticket(deps: Deps, code: str) -> Ticket:
    with Session(deps.db) as session:
        return session.exec(select(Ticket).where(Ticket.code == code)).one()


def conversation_state(deps: Deps, address: str = "+32470123456") -> dict[str, Any]:
    with Session(deps.db) as session:
        contact = session.exec(select(Contact).where(Contact.address == address)).one()
        row = session.exec(select(Conversation).where(Conversation.contact_id == contact.id)).one()
        return dict(row.state)
