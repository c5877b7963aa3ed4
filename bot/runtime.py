"""`Deps`, what the service and every edge need (database, settings, live content, clock, ticket hooks), and
`build_deps`, the shared part of every composition root that builds them once per process."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.content.library import Library
from bot.content.live import LiveContent
from bot.settings import Settings
from handoff.mail import mail_hook_for
from handoff.notify import announce_hook_for, message_hook_for
from handoff.organisations import Organisation
from storage.db import make_engine
from storage.migrate import upgrade
from storage.models import Contact
from storage.session import Engine, Session
from storage.types import utcnow

log = logging.getLogger("digibuur")

TicketHook = Callable[[Session, Any, Contact], None]


@dataclass
class Deps:
    """What the service needs, built once per process by the composition root."""

    db: Engine
    settings: Settings
    library: Callable[[], Library]
    organisations: Callable[[], tuple[Organisation, ...]]
    clock: Callable[[], datetime] = utcnow
    on_ticket_opened: list[TicketHook] = field(default_factory=list)
    on_ticket_message: list[TicketHook] = field(default_factory=list)


def build_deps(settings: Settings, *, migrate: bool = False) -> Deps:
    """The database engine, live content and ticket hooks of one process (migrated first with `migrate`)."""
    if migrate:
        upgrade(settings.database_url)
    db = make_engine(settings.database_url)
    content = LiveContent(settings, db)
    deps = Deps(db=db, settings=settings, library=content.library, organisations=content.organisations)
    deps.on_ticket_opened.append(announce_hook_for(lambda: deps.organisations(), settings.public_base_url))
    deps.on_ticket_message.append(message_hook_for(settings.public_base_url))
    deps.on_ticket_opened.append(mail_hook_for(lambda: deps.organisations(), settings.public_base_url))
    return deps
