"""Helpers for the understanding tests: a chat with the pure engine, and a library with a small test guide
(trouble texts, synonyms, a question, a choice with a done option) in a temporary content folder."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from bot.content.library import Library
from bot.engine import Turn, respond
from bot.messages import Address, GeoPoint, Inbound
from bot.render import render
from bot.settings import ContentPaths

BRUSSELS = ZoneInfo("Europe/Brussels")
THURSDAY = datetime(2026, 11, 26, 10, 30, tzinfo=BRUSSELS)

TEST_GUIDE = """\
id: hotspot
spec_version: 1
title: {nl: Hotspot proef, en: Hotspot test, fr: Essai hotspot}
intents: [guide.hotspot]
steps:
  - id: choose
    kind: answer
    text: {nl: "Welke gsm heb je?", en: "Which phone do you have?", fr: "Quel GSM avez-vous ?"}
    options:
      - key: iphone
        label: {nl: iPhone, en: iPhone, fr: iPhone}
        target: settings
      - key: android
        label: {nl: Andere Android, en: Other Android, fr: Autre Android}
        synonyms: {nl: [motorola], en: [motorola, pixel], fr: [motorola]}
        target: settings
      - key: basic
        label: {nl: Gsm zonder apps, en: Phone without apps, fr: GSM sans applis}
        synonyms: {nl: [nokia met knopjes, oude gsm], en: [old nokia, button phone], fr: [vieux nokia]}
        target: basic
  - id: basic
    kind: answer
    text: {nl: "Zonder apps gaat het niet.", en: "Not without apps.", fr: "Pas sans applis."}
    options:
      - label: {nl: Digipunt in de buurt, en: Digipunt nearby, fr: Digipunt proche}
        target: flow:digipunt
      - label: {nl: "Klaar, bedankt", en: "Done, thanks", fr: "C'est bon, merci"}
        target: done
  - id: settings
    text: {nl: 'Open "Instellingen".', en: 'Open "Settings".', fr: 'Ouvrez "Réglages".'}
    trouble:
      nl: Zoek het grijze tandwiel op je beginscherm.
      en: Look for the grey gear on your home screen.
      fr: Cherchez la roue grise sur l'écran d'accueil.
    next: network
  - id: network
    text: {nl: 'Tik op "Netwerk".', en: 'Tap "Network".', fr: 'Touchez "Réseau".'}
    options:
      - label: {nl: Gelukt, en: Done, fr: "C'est fait"}
        target: connect
      - label: {nl: Niet te zien, en: Not there, fr: Pas visible}
        target: older
  - id: older
    text: {nl: 'Tik op "Meer".', en: 'Tap "More".', fr: 'Touchez "Plus".'}
    next: connect
  - id: connect
    kind: check
    text: {nl: "Open de wifi op je laptop.", en: "Open Wi-Fi on your laptop.", fr: "Ouvrez le Wi-Fi du portable."}
"""


TEST_GUIDE_LANGUAGES = ("nl", "en", "fr")


def library_with_test_guide(folder: Path) -> Library:
    """The shipped content, with the guides folder holding only the frame and the test guide above."""
    shipped = ContentPaths.shipped()
    guides = folder / "guides"
    guides.mkdir(parents=True)
    shutil.copyfile(shipped.guides / "_frame.yaml", guides / "_frame.yaml")
    (guides / "hotspot.yaml").write_text(TEST_GUIDE, encoding="utf-8")
    texts = folder / "texts"
    shutil.copytree(shipped.texts, texts)
    languages = texts / "_languages.yaml"
    languages.write_text(_only_offering(languages.read_text(encoding="utf-8"), TEST_GUIDE_LANGUAGES),
                         encoding="utf-8")
    voice = texts / "voice" / "_voice.yaml"
    voice.write_text(_only_guide(voice.read_text(encoding="utf-8"), "hotspot"), encoding="utf-8")
    return Library.load(ContentPaths(intents=shipped.intents, guides=guides, places=shipped.places,
                                     texts=texts, organisations=shipped.organisations))


def _only_guide(listing: str, guide: str) -> str:
    """The voice settings offering only `guide` by phone (the other shipped guides are not in this library)."""
    data = yaml.safe_load(listing)
    data["guides"] = [guide]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _only_offering(listing: str, offered: tuple[str, ...]) -> str:
    """The language list with every language but `offered` switched off (the test guide has only those)."""
    data = yaml.safe_load(listing)
    for language in data["languages"]:
        language["active"] = language["code"] in offered
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class Chat:
    """One resident's conversation with the pure engine."""

    def __init__(self, library: Library, channel: str = "sms", now: datetime = THURSDAY,
                 language: str | None = None) -> None:
        self.library = library
        self.channel = channel
        self.now = now
        self.state: dict[str, Any] | None = {"language": language, "language_known": True} if language else None

    def say(self, text: str, location: GeoPoint | None = None) -> Turn:
        inbound = Inbound(Address(self.channel, "+32470000077"), text, self.now, location=location)
        result = respond(inbound, self.state, self.library, self.now)
        self.state = result.state
        return result

    def text(self, text: str) -> str:
        return "\n".join(reply.text for reply in self.say(text).replies)


def options(turn: Turn) -> list[str]:
    return [option.label for reply in turn.replies for option in reply.options]


def segments(turn: Turn) -> list[int]:
    return [render(reply, "sms").segments for reply in turn.replies]


def joined(turn: Turn) -> str:
    return "\n".join(reply.text for reply in turn.replies)
