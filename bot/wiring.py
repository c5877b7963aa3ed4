"""The composition root's shared part: build the database, live content and service dependencies once."""

from __future__ import annotations

import logging

from bot.content.live import LiveContent
from bot.service import Deps
from bot.settings import Settings
from handoff.mail import mail_hook_for
from handoff.notify import announce_hook_for, message_hook_for
from storage.db import make_engine
from storage.migrate import upgrade

log = logging.getLogger("digibuur")


def build_deps(settings: Settings, *, migrate: bool = False) -> Deps:
    if migrate:
        upgrade(settings.database_url)
    db = make_engine(settings.database_url)
    content = LiveContent(settings, db)
    deps = Deps(db=db, settings=settings, library=content.library, organisations=content.organisations)
    deps.on_ticket_opened.append(announce_hook_for(lambda: deps.organisations(), settings.public_base_url))
    deps.on_ticket_message.append(message_hook_for(settings.public_base_url))
    deps.on_ticket_opened.append(mail_hook_for(lambda: deps.organisations(), settings.public_base_url))
    return deps
