"""Plan and ask the one question after a handoff closed as solved (the next morning, in the organisation's hours)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.content.library import Library
from bot.messages import Option, Reply
from bot.outbound.body import body_from_reply
from bot.runtime import Deps
from handoff.satisfaction import CHOICES, Question, ask_due, schedule
from storage.db import transaction
from storage.models import Contact


def question_from(library: Library) -> Question:
    """The question in the resident's language (the deployment's default when theirs has no texts)."""
    texts = library.texts

    def worded(contact: Contact) -> tuple[dict[str, Any], dict[str, str]]:
        language = contact.language if contact.language in texts.languages else texts.deployment.default_language
        labels = {key: texts.get(language, sentence) for key, sentence, _ in CHOICES}
        reply = texts.stamp(Reply(text=texts.get(language, "survey_question"),
                                  options=tuple(Option(key=key, label=label) for key, label in labels.items())),
                            language)
        return body_from_reply(reply), labels

    return worded


def run(deps: Deps, now: datetime) -> dict[str, int]:
    organisations = deps.organisations()
    timezone = deps.settings.timezone
    with transaction(deps.db) as session:
        planned = schedule(session, organisations, timezone)
    with transaction(deps.db) as session:
        counts = ask_due(session, question_from(deps.library()), organisations, now, timezone)
    return {"planned": planned, **counts}
