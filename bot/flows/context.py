"""The per-turn context a flow works on: input, state, content, clock, and the replies being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.effects import Effect
from bot.library import Library
from bot.messages import Inbound, Option, PlacePin, Reply
from bot.state import OfferedOption, State
from intents.matcher import Match


@dataclass
class Ctx:
    """Input, state and content for one turn; flows append replies and effects to it."""

    inbound: Inbound
    state: State
    library: Library
    now: datetime
    text: str = ""
    folded: str = ""
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    intent: str | None = None
    _match: Match | None = None

    @property
    def lang(self) -> str:
        return self.state.language or self.library.texts.deployment.default_language

    def match(self) -> Match:
        """The intent match of this message, computed once per turn (the language hint only when known)."""
        if self._match is None:
            hint = self.state.language if self.state.language_known else None
            self._match = self.library.matcher.classify(self.text, hint)
        return self._match

    def t(self, key: str, **values: Any) -> str:
        return self.library.texts.get(self.lang, key, **values)

    def say(
        self,
        text: str,
        choices: list[tuple[str, str]] | None = None,
        *,
        ask_location: bool = False,
        place: PlacePin | None = None,
        image_url: str | None = None,
        link: str | None = None,
        footer: str | None = None,
    ) -> None:
        """Add a reply; `choices` are (label, action) pairs, numbered from 1 and remembered in the state."""
        options: tuple[Option, ...] = ()
        if choices is not None:
            offered = [OfferedOption(key=str(i), label=label, action=action) for i, (label, action) in
                       enumerate(choices, start=1)]
            self.state.options = offered
            options = tuple(Option(key=o.key, label=o.label) for o in offered)
        self.replies.append(self.stamped(
            Reply(text=text, options=options, ask_location=ask_location, place=place, image_url=image_url,
                  link=link, footer=footer)
        ))

    def stamped(self, reply: Reply) -> Reply:
        """The reply marked as written in the conversation's language (unless it already names one)."""
        return reply if reply.language else self.library.texts.stamp(reply, self.lang)

    def effect(self, effect: Effect) -> None:
        self.effects.append(effect)

    def yes_no(self, text: str, yes_action: str, no_action: str, *, yes_key: str = "option_yes",
               no_key: str = "option_no") -> None:
        self.say(text, [(self.t(yes_key), yes_action), (self.t(no_key), no_action)])
