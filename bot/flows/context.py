"""The per-turn context a flow works on: input, state, content, clock, and the replies being built."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, cast

from bot.content.library import Library
from bot.effects import Effect
from bot.fold import fold
from bot.messages import Inbound, Option, PlacePin, Reply
from bot.state import OfferedOption, State
from intents.matcher import Match

# what an option's label may say ("Ja", "Klaar", "Niet te zien", "Adres en uren")
LABEL_ANSWERS = ("yes", "done", "no", "trouble", "address")


class Choice(NamedTuple):
    """An option to offer: its label, the action it leads to, and the answers and words that also pick it."""

    label: str
    action: str
    answers: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


Choices = list[tuple[str, str]] | list[Choice]


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
    focus: tuple[str, ...] = ()  # clauses of a longer message that hold the request (a guide start reads them first)
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

    @contextmanager
    def reading(self, text: str) -> Iterator[None]:
        """Inside the block the flows read only `text` (a clause of the message); the whole message after it."""
        whole, folded = self.text, self.folded
        self.text, self.folded = text, fold(text)
        try:
            yield
        finally:
            self.text, self.folded = whole, folded

    def t(self, key: str, **values: Any) -> str:
        return self.library.texts.get(self.lang, key, **values)

    def say(
        self,
        text: str,
        choices: Choices | None = None,
        *,
        ask_location: bool = False,
        ask_contact: bool = False,
        place: PlacePin | None = None,
        image_url: str | None = None,
        link: str | None = None,
        footer: str | None = None,
    ) -> None:
        """Add a reply; `choices` are (label, action) pairs or Choices, numbered from 1 and remembered in the state.

        An option without answers gets the ones its label says ("Ja", "Gelukt", "Niet te zien")."""
        options: tuple[Option, ...] = ()
        if choices is not None:
            offered = []
            for number, item in enumerate(choices, start=1):
                choice = item if isinstance(item, Choice) else Choice(*cast(tuple[str, str], item))
                answers = list(choice.answers)
                if not answers:
                    said = self.library.answers.read(choice.label, LABEL_ANSWERS)
                    answers = [said] if said else []
                offered.append(OfferedOption(key=str(number), label=choice.label, action=choice.action,
                                             answers=answers, words=list(choice.words)))
            self.state.options = offered
            options = tuple(Option(key=o.key, label=o.label) for o in offered)
        self.replies.append(self.stamped(
            Reply(text=text, options=options, ask_location=ask_location, place=place, image_url=image_url,
                  link=link, footer=footer, ask_contact=ask_contact)
        ))

    def stamped(self, reply: Reply) -> Reply:
        """The reply marked as written in the conversation's language (unless it already names one)."""
        return reply if reply.language else self.library.texts.stamp(reply, self.lang)

    def offered_again(self) -> list[Choice]:
        """The options the open question offers, to show them again."""
        return [Choice(o.label, o.action, tuple(o.answers), tuple(o.words)) for o in self.state.options]

    def effect(self, effect: Effect) -> None:
        self.effects.append(effect)

    def yes_no(self, text: str, yes_action: str, no_action: str, *, yes_key: str = "option_yes",
               no_key: str = "option_no") -> None:
        # 'het lukt niet' to 'shall a helper call you?' is no 'no': it asks for that help; 'ik wil dat iemand mij
        # belt vandaag nog' is that help asked in words
        yes = ("yes", "trouble", "call_me") if yes_action == "flow:handoff" else ("yes",)
        self.say(text, [Choice(self.t(yes_key), yes_action, yes), Choice(self.t(no_key), no_action, ("no",))])

    def ask_yes_no(self, key: str, yes_action: str, no_action: str, *, yes_key: str = "option_yes",
                   no_key: str = "option_no", prefix: str = "", **values: Any) -> None:
        """A yes/no question from the sentence `key`, remembered so it can be asked again in another language."""
        self.state.question = {"kind": "yes_no", "key": key, "yes": yes_action, "no": no_action,
                               "yes_key": yes_key, "no_key": no_key, "values": values}
        text = self.t(key, **values)
        self.yes_no(f"{prefix} {text}".strip(), yes_action, no_action, yes_key=yes_key, no_key=no_key)
