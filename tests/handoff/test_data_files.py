"""The handoff data files: organisations (shipped defaults and validation), policy, helper sentences, texts."""

from __future__ import annotations

import pytest

from bot.content.library import Library
from bot.messages import Reply
from bot.render import render
from bot.settings import ContentPaths
from handoff.helper_texts import helper_texts, parse_helper_texts
from handoff.organisations import OrganisationError, load_organisations, parse_organisations
from handoff.policy import PolicyError, load_policy, parse_policy


def test_shipped_organisations_leave_unknown_facts_empty() -> None:
    shipped = {o.id: o for o in load_organisations(ContentPaths.shipped().organisations)}
    assert set(shipped) == {"beego", "digidak"}
    for org in shipped.values():
        assert org.active and org.hours is None and org.notify == "inbox" and org.notify_target is None


@pytest.mark.parametrize(
    "entry, message",
    [
        ('{id: a, name: A, hours: "Mo-Fr 9-17 maybe"}', "not valid opening_hours"),
        ("{id: a, name: A, notify: email}", "notify must be one of"),
        ("{id: a, name: A, notify: telegram}", "needs a notify_target"),
        ("{id: a, name: A, notify: telegram, notify_target: '@group'}", "Telegram chat id"),
        ("{id: a, name: A, notify: sms, notify_target: '123'}", "not a valid phone number"),
        ("{id: no, name: A}", "must be text"),
        ("{name: A}", "needs an id and a name"),
    ],
)
def test_organisation_mistakes_are_explained(entry: str, message: str) -> None:
    with pytest.raises(OrganisationError, match=message):
        parse_organisations(f"organisations:\n  - {entry}\n")


def test_sms_targets_are_stored_in_e164() -> None:
    (org,) = parse_organisations("organisations:\n  - {id: a, name: A, notify: sms, notify_target: '09 210 10 10'}\n")
    assert org.notify_target == "+3292101010"


def test_policy_file_and_its_checks() -> None:
    policy = load_policy()
    assert policy.reroute_after_minutes > policy.re_announce_minutes > 0
    with pytest.raises(PolicyError, match="idle_close_days is missing"):
        parse_policy("re_announce_minutes: 1\nmax_announcements: 1\nreroute_after_minutes: 2\n")
    with pytest.raises(PolicyError, match="at least 1"):
        parse_policy("re_announce_minutes: 0\nmax_announcements: 1\nreroute_after_minutes: 2\nidle_close_days: 1\n")


def test_helper_sentences_agree_between_languages() -> None:
    texts = helper_texts()
    assert set(texts.sentences) == {"nl", "en", "fr"}
    with pytest.raises(ValueError, match="placeholders differ"):
        parse_helper_texts("nl:\n  a: '{code}'\nen:\n  a: '{cod}'\n")


def test_resident_handoff_sentences_fit_their_languages_sms_budget(library: Library) -> None:
    texts = library.texts
    long_values = {
        "code": "T-123456",
        "organisation": "Digidak",
        "when": texts.get("fr", "ho_when_window_from", day="mercredi 30/12", window="l'après-midi", time="13:30"),
        "window": texts.get("fr", "ho_window_asap"),
        "number": "+32 470 12 34 56",
        "helper": "Alexandra",
        "time": "17:00",
        "day": "mercredi 30/12",
        "text": "x" * 80,
        "languages": "néerlandais, anglais",
    }
    for language in texts.languages:
        policy = texts.catalogue.sms(language)  # two GSM-7 segments for Latin scripts, three UCS-2 otherwise
        for key in texts.sentences[language]:
            if not key.startswith("ho_"):
                continue
            rendered = render(texts.stamp(Reply(text=texts.get(language, key, **long_values)), language), "sms")
            assert rendered.segments <= policy.max_segments, (language, key, rendered.segments)
            if policy.encoding == "gsm7":
                assert rendered.encoding == "GSM-7", (language, key)
