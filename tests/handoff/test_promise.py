"""Callback promises: the earliest real moment in the chosen window, from the organisation's hours (closed days,
Belgian public holidays and the last minutes before closing skipped), in nl, en and fr; unknown hours say the
window and "on a working day", never "as soon as possible" for a chosen window."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.content.library import Library
from bot.effects import CallbackPromise, TicketReceipt, TicketStatusInfo
from bot.flows.handoff_promise import promise_words
from bot.flows.handoff_replies import confirmation, status_reply
from bot.render import render
from handoff.organisations import Organisation, parse_organisations
from handoff.policy import Policy, PolicyError, load_policy, parse_policy
from handoff.promise import is_working_day, promise
from tests.conftest import BRUSSELS

TZ = "Europe/Brussels"
ORGS = parse_organisations(
    """
organisations:
  - {id: weekdays, name: BEEGO, hours: "Mo-Fr 09:00-17:00; PH off"}
  - {id: mornings, name: Ochtend, hours: "Mo-Fr 09:00-12:00"}
  - {id: unknown, name: Digidak, hours: null}
"""
)
WEEKDAYS, MORNINGS, UNKNOWN = ORGS

SATURDAY_2200 = datetime(2026, 12, 5, 22, 0, tzinfo=BRUSSELS)
SUNDAY_1100 = datetime(2026, 12, 6, 11, 0, tzinfo=BRUSSELS)
CHRISTMAS_EVE_1800 = datetime(2026, 12, 24, 18, 0, tzinfo=BRUSSELS)  # Thursday; 25/12 Friday is a holiday
CHRISTMAS_1000 = datetime(2026, 12, 25, 10, 0, tzinfo=BRUSSELS)
BOXING_DAY_1000 = datetime(2026, 12, 26, 10, 0, tzinfo=BRUSSELS)  # Saturday
FRIDAY_1655 = datetime(2026, 12, 4, 16, 55, tzinfo=BRUSSELS)
EASTER_MONDAY_2027 = datetime(2027, 3, 29, 10, 0, tzinfo=BRUSSELS)
THURSDAY_1030 = datetime(2026, 11, 26, 10, 30, tzinfo=BRUSSELS)


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


@pytest.mark.parametrize(
    ("now", "window", "start"),
    [
        (SATURDAY_2200, "afternoon", at(2026, 12, 7, 12)),
        (SATURDAY_2200, "morning", at(2026, 12, 7, 9)),
        (SATURDAY_2200, "asap", at(2026, 12, 7, 9)),
        (SUNDAY_1100, "afternoon", at(2026, 12, 7, 12)),
        (CHRISTMAS_EVE_1800, "morning", at(2026, 12, 28, 9)),
        (CHRISTMAS_1000, "asap", at(2026, 12, 28, 9)),
        (BOXING_DAY_1000, "afternoon", at(2026, 12, 28, 12)),
        (FRIDAY_1655, "asap", at(2026, 12, 7, 9)),
        (FRIDAY_1655, "afternoon", at(2026, 12, 7, 12)),
        (EASTER_MONDAY_2027, "morning", at(2027, 3, 30, 9)),
        (EASTER_MONDAY_2027, "asap", at(2027, 3, 30, 9)),
        (THURSDAY_1030, "afternoon", at(2026, 11, 26, 12)),
    ],
)
def test_the_earliest_real_moment_in_the_window(now: datetime, window: str, start: datetime) -> None:
    made = promise(WEEKDAYS, window, now, TZ)
    assert made.hours_known and made.as_chosen
    assert made.start == start
    assert made.end is None  # nobody can call right now in that window


def test_in_hours_and_in_the_window_the_promise_is_today_before_the_end() -> None:
    made = promise(WEEKDAYS, "morning", THURSDAY_1030, TZ)
    assert made.start == THURSDAY_1030 and made.end == at(2026, 11, 26, 12)
    asap = promise(WEEKDAYS, "asap", THURSDAY_1030, TZ)
    assert asap.end == at(2026, 11, 26, 17) and asap.open_now


def test_hours_without_a_holiday_rule_still_skip_public_holidays() -> None:
    """'Mo-Fr 09:00-12:00' says nothing about holidays: Easter Monday is not promised, and not called 'open'."""
    made = promise(MORNINGS, "asap", EASTER_MONDAY_2027, TZ)
    assert made.start == at(2027, 3, 30, 9) and not made.open_now


def test_a_window_the_organisation_never_works_falls_back_to_its_first_opening() -> None:
    made = promise(MORNINGS, "afternoon", SATURDAY_2200, TZ)
    assert not made.as_chosen and made.start == at(2026, 12, 7, 9)


def test_a_chosen_day_that_is_a_holiday_moves_to_the_next_opening() -> None:
    made = promise(WEEKDAYS, "day:2026-12-25", CHRISTMAS_EVE_1800, TZ)
    assert made.window == "day" and made.day == date(2026, 12, 25)
    assert not made.as_chosen and made.start == at(2026, 12, 28, 9)
    kept = promise(WEEKDAYS, "day:2026-12-28", CHRISTMAS_EVE_1800, TZ)
    assert kept.as_chosen and kept.start == at(2026, 12, 28, 9)


@pytest.mark.parametrize("now", [SATURDAY_2200, SUNDAY_1100, CHRISTMAS_1000, FRIDAY_1655, EASTER_MONDAY_2027])
@pytest.mark.parametrize("window", ["asap", "morning", "afternoon"])
def test_unknown_hours_promise_no_moment(now: datetime, window: str) -> None:
    made = promise(UNKNOWN, window, now, TZ)
    assert made == CallbackPromise(window=window)


def test_unknown_hours_and_a_holiday_chosen_moves_the_day() -> None:
    made = promise(UNKNOWN, "day:2027-03-29", SATURDAY_2200, TZ)
    assert not made.as_chosen and made.start is not None and made.start.date() == date(2027, 3, 30)


def test_working_days() -> None:
    assert is_working_day(date(2026, 12, 24)) and not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 26)) and not is_working_day(date(2027, 3, 29))


# ---- in words ----

WORDS = {
    # (organisation id, moment, window): {language: (prefix, when)}
    ("weekdays", SATURDAY_2200, "afternoon"): {
        "nl": ("", "maandag 7/12 in de namiddag, vanaf 12:00"),
        "en": ("", "Monday 7/12 in the afternoon, from 12:00"),
        "fr": ("", "lundi 7/12 l'après-midi, à partir de 12:00"),
    },
    ("weekdays", SUNDAY_1100, "morning"): {
        "nl": ("", "morgen in de voormiddag, vanaf 9:00"),
        "en": ("", "tomorrow in the morning, from 9:00"),
        "fr": ("", "demain le matin, à partir de 9:00"),
    },
    ("weekdays", CHRISTMAS_EVE_1800, "asap"): {
        "nl": ("Onze helpers werken nu niet.", "maandag 28/12 vanaf 9:00"),
        "en": ("Our helpers are not working right now.", "Monday 28/12 from 9:00"),
        "fr": ("Nos assistants ne travaillent pas en ce moment.", "lundi 28/12 à partir de 9:00"),
    },
    ("weekdays", FRIDAY_1655, "asap"): {
        "nl": ("Onze helpers stoppen zo meteen.", "maandag 7/12 vanaf 9:00"),
        "en": ("Our helpers stop soon for today.", "Monday 7/12 from 9:00"),
        "fr": ("Nos assistants terminent dans quelques minutes.", "lundi 7/12 à partir de 9:00"),
    },
    ("weekdays", EASTER_MONDAY_2027, "afternoon"): {
        "nl": ("", "morgen in de namiddag, vanaf 12:00"),
        "en": ("", "tomorrow in the afternoon, from 12:00"),
        "fr": ("", "demain l'après-midi, à partir de 12:00"),
    },
    ("weekdays", THURSDAY_1030, "morning"): {
        "nl": ("", "vandaag in de voormiddag, voor 12:00"),
        "en": ("", "today in the morning, before 12:00"),
        "fr": ("", "aujourd'hui le matin, avant 12:00"),
    },
    ("weekdays", CHRISTMAS_EVE_1800, "day:2026-12-25"): {
        "nl": ("Op vrijdag 25/12 werken onze helpers niet.", "op maandag 28/12 vanaf 9:00"),
        "en": ("Our helpers do not work on Friday 25/12.", "on Monday 28/12 from 9:00"),
        "fr": ("Nos assistants ne travaillent pas vendredi 25/12.", "lundi 28/12 à partir de 9:00"),
    },
    ("mornings", SATURDAY_2200, "afternoon"): {
        "nl": ("Onze helpers werken niet in de namiddag.", "maandag 7/12 vanaf 9:00"),
        "en": ("Our helpers do not work in the afternoon.", "Monday 7/12 from 9:00"),
        "fr": ("Nos assistants ne travaillent pas l'après-midi.", "lundi 7/12 à partir de 9:00"),
    },
    ("unknown", SATURDAY_2200, "afternoon"): {
        "nl": ("", "in de namiddag op een werkdag"),
        "en": ("", "in the afternoon on a working day"),
        "fr": ("", "l'après-midi, un jour ouvrable"),
    },
    ("unknown", CHRISTMAS_1000, "asap"): {
        "nl": ("", "zo snel mogelijk op een werkdag"),
        "en": ("", "as soon as possible on a working day"),
        "fr": ("", "le plus vite possible, un jour ouvrable"),
    },
}


BY_ID = {org.id: org for org in ORGS}


@pytest.mark.parametrize("case", list(WORDS), ids=lambda c: f"{c[0]}-{c[1]:%a-%d-%m-%H%M}-{c[2]}")
@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_promises_in_words(library: Library, case: tuple[str, datetime, str], language: str) -> None:
    org, now, window = case
    made = promise(BY_ID[org], window, now, TZ)
    assert promise_words(made, library.texts, language, now) == WORDS[case][language]


@pytest.mark.parametrize("now", [SATURDAY_2200, SUNDAY_1100, CHRISTMAS_EVE_1800, FRIDAY_1655, EASTER_MONDAY_2027])
@pytest.mark.parametrize("org", ORGS, ids=lambda o: o.id)
@pytest.mark.parametrize("window", ["morning", "afternoon"])
def test_a_chosen_window_is_never_promised_as_soon_as_possible(
    library: Library, now: datetime, org: Organisation, window: str
) -> None:
    for language in ("nl", "en", "fr"):
        prefix, when = promise_words(promise(org, window, now, TZ), library.texts, language, now)
        soon = library.texts.get(language, "ho_window_asap")
        assert soon not in f"{prefix} {when}"
        assert library.texts.get(language, f"ho_window_{window}") in f"{prefix} {when}"


# ---- policy ----


def test_policy_has_the_callback_lead_and_the_afternoon() -> None:
    policy = load_policy()
    assert policy.call_lead_minutes == 30 and policy.afternoon_starts == time(12, 0)
    base = "re_announce_minutes: 1\nmax_announcements: 1\nreroute_after_minutes: 1\nidle_close_days: 1\n"
    assert parse_policy(base) == Policy(1, 1, 1, 1)
    with pytest.raises(PolicyError, match="afternoon_starts"):
        parse_policy(base + "afternoon_starts: 12:00\n")  # unquoted, YAML reads 720
    late = parse_policy(base + 'afternoon_starts: "13:30"\ncall_lead_minutes: 5\n')
    assert promise(WEEKDAYS, "afternoon", SATURDAY_2200, TZ, late).start == at(2026, 12, 7, 13, 30)
    assert promise(WEEKDAYS, "asap", FRIDAY_1655, TZ, late).end == at(2026, 12, 4, 17)


# ---- the whole confirmation on SMS ----

LONG_NAMES = parse_organisations(
    """
organisations:
  - {id: weekdays, name: Digidak Gent-Zuid, hours: "Mo-Fr 09:00-17:00; PH off"}
  - {id: mornings, name: Digidak Gent-Zuid, hours: "Mo-Fr 09:00-12:00"}
  - {id: unknown, name: Digidak Gent-Zuid, hours: null}
"""
)


@pytest.mark.parametrize("language", ["nl", "en", "fr"])
def test_every_confirmation_and_status_fits_two_gsm7_segments(library: Library, language: str) -> None:
    moments = [SATURDAY_2200, SUNDAY_1100, CHRISTMAS_EVE_1800, CHRISTMAS_1000, FRIDAY_1655, EASTER_MONDAY_2027,
               THURSDAY_1030]
    windows = ["asap", "morning", "afternoon", "day:2026-12-26", "day:2027-03-29", "day:2026-12-09"]
    seen = set()
    for org in LONG_NAMES:
        for now in moments:
            for window in windows:
                made = promise(org, window, now, TZ)
                receipt = TicketReceipt(code="T-123456", organisation=org.name, expected_at=None, in_hours=True,
                                        promise=made)
                info = TicketStatusInfo(code="T-123456", status="open", organisation=org.name, promise=made)
                for reply in [*confirmation(receipt, language, library, now),
                              status_reply(info, language, library, now)]:
                    rendered = render(reply, "sms")
                    assert rendered.segments <= 2 and rendered.encoding == "GSM-7", reply.text
                    seen.add(reply.text)
    assert len(seen) > 50  # the cases really differ
