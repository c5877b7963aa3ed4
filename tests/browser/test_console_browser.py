"""The console in a real Chromium: login, live SMS lint, refused and restored guides, closures seen by the
simulator, an unmatched message becoming an example, and a helper claiming a ticket."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import HELPER, Served, log_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

FIELD = "#text__iphone-settings__nl"


def simulate(page: Any, served: Served, address: str, text: str) -> str:
    """Send one message in the simulator as `address` and return digibuur's replies."""
    if not page.url.endswith("/console/simulator"):
        page.goto(served.url + "/console/simulator")
    page.locator("#address").fill(address)
    before = page.locator(".msg.bot").count()
    page.locator("#text").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".msg.bot")).not_to_have_count(before)
    return "\n".join(page.locator(".msg.bot").all_inner_texts()[before:])


def test_log_in_and_out(page: Any, served: Served) -> None:
    page.goto(served.url + "/console/guides")
    expect(page).to_have_url(re.compile(r"/console/login\?next=/console/guides"))
    log_in(page, served, start="/console/guides")
    expect(page.get_by_role("heading", name="Stappenplannen")).to_be_visible()
    page.get_by_role("button", name="Afmelden").click()
    expect(page.get_by_role("heading", name="Aanmelden")).to_be_visible()


def test_wrong_password_shows_a_message(page: Any, served: Served) -> None:
    log_in(page, served, ("staff@gent.be", "not the password"))
    expect(page.locator("#login-error")).to_contain_text("wachtwoord klopt niet")


def test_edit_a_guide_step_and_see_the_lint_as_you_type(page: Any, served: Served) -> None:
    log_in(page, served)
    page.goto(served.url + "/console/guides/hotspot")
    lint = page.locator('[data-lint-for="text__iphone-settings__nl"]')
    expect(lint).to_contain_text("1 sms-deel bij verzending")
    page.locator(FIELD).fill("Open de app op je gsm in België.")
    expect(lint.locator(".ucs2-warning")).to_contain_text("'ë' (schrijf 'e')")
    expect(lint.locator("mark.ucs2")).to_have_text("ë")
    page.locator(FIELD).fill("Open de app op je gsm in Belgie.")
    expect(lint.locator(".ucs2-warning")).to_have_count(0)
    page.locator(FIELD).fill("Tik op de knop. " * 25)
    expect(lint).to_contain_text("3 sms-delen bij verzending")
    expect(lint.locator(".too-long")).to_contain_text("Te lang")
    page.locator("#save-guide").click()
    expect(page.locator("#save-errors")).to_contain_text("Niet opgeslagen")
    expect(page.locator(".field-issue.error").first).to_contain_text("the limit is 2")
    page.locator(FIELD).fill('Open "Instellingen" (tandwiel).')
    page.locator("#save-guide").click()
    expect(page.locator("#saved")).to_contain_text("Opgeslagen als versie")
    expect(page.locator(FIELD)).to_have_value('Open "Instellingen" (tandwiel).')


def test_invalid_guide_is_refused_with_the_reason(page: Any, served: Served) -> None:
    log_in(page, served)
    page.goto(served.url + "/console/guides/hotspot/yaml")
    body = page.locator("#body")
    body.fill(body.input_value().replace("next: iphone-hotspot", "next: iphone-nowhere"))
    page.get_by_role("button", name="Nakijken en opslaan").click()
    errors = page.locator("#save-errors")
    expect(errors).to_contain_text("Niet opgeslagen")
    expect(errors).to_contain_text(re.compile(r"regel \d+: .*'iphone-nowhere', which does not exist"))


def test_restore_a_revision(page: Any, served: Served) -> None:
    log_in(page, served)
    for text in ("Eerste versie.", "Tweede versie."):
        page.goto(served.url + "/console/guides/hotspot")
        page.locator(FIELD).fill(text)
        page.get_by_role("button", name="Stappenplan opslaan").click()
        expect(page.locator("#saved")).to_contain_text("Opgeslagen als versie")
    page.goto(served.url + "/console/history/guide/hotspot.yaml")
    expect(page.locator("tr.live")).to_contain_text("(in gebruik)")
    expect(page.locator("tr.live")).to_contain_text("staff@gent.be")
    page.get_by_role("button", name=re.compile(r"^r\d+ terugzetten$")).first.click()
    expect(page.locator("#restored")).to_contain_text("Teruggezet als versie")
    page.goto(served.url + "/console/guides/hotspot")
    expect(page.locator(FIELD)).to_have_value("Eerste versie.")


def test_close_a_digipunt_today_and_the_simulator_answer_changes(page: Any, served: Served) -> None:
    log_in(page, served)
    before = simulate(page, served, "+32470000001", "digipunt de krook")
    assert "De Krook, Miriam Makebaplein 1" in before
    page.goto(served.url + "/console/places/de-krook")
    page.get_by_label("Reden (nl)").fill("personeelsdag")
    page.locator("#close-today").click()
    expect(page.locator("#closures")).to_contain_text("2026-11-26 tot en met 2026-11-26: personeelsdag")
    after = simulate(page, served, "+32470000002", "digipunt de krook")
    assert "De Krook, Miriam Makebaplein 1" not in after
    assert "Kringwinkel, Vlaamsekaai 10" in after


def test_add_an_unmatched_message_as_an_example_and_see_it_classified(page: Any, served: Served) -> None:
    log_in(page, served)
    before = simulate(page, served, "+32470000003", "waar kan ik kopieren")
    assert "Sorry" in before
    page.goto(served.url + "/console/unmatched")
    row = page.locator("#unmatched tr", has_text="waar kan ik kopieren")
    expect(row.locator('select[name="intent"]')).to_have_value("digipunt.find")
    row.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#saved")).to_contain_text("Opgeslagen als versie")
    expect(page.locator("#unmatched")).not_to_contain_text("waar kan ik kopieren")
    after = simulate(page, served, "+32470000004", "waar kan ik kopieren")
    assert "Sorry" not in after and after != before


def test_simulator_inside_the_console(page: Any, served: Served) -> None:
    log_in(page, served)
    page.get_by_role("link", name="Testgesprek").click()
    expect(page).to_have_url(re.compile(r"/console/simulator$"))
    page.locator("#text").fill("menu")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".msg.bot").first).to_contain_text("Digipunt")
    page.get_by_role("link", name="Terug naar de console").click()
    expect(page).to_have_url(re.compile(r"/console$"))


def test_helper_claims_a_ticket(page: Any, served: Served) -> None:
    from tests.handoff.conftest import open_ticket_by_chat

    served.deps.organisations()  # load the live content before seeding
    code = open_ticket_by_chat(served.deps)
    log_in(page, served, HELPER, start="/helpers")
    expect(page.get_by_role("heading", name="Helperinbox")).to_be_visible()
    page.get_by_role("link", name=code).click()
    expect(page.locator(".transcript")).to_contain_text("ik wil iemand spreken")
    page.get_by_role("button", name="Ik neem deze vraag op").click()
    expect(page.locator("#ticket-status")).to_have_attribute("data-status", "claimed")
    expect(page.get_by_role("heading", name=re.compile(f"Vraag {code}"))).to_contain_text("genomen")
    page.goto(served.url + "/console")
    expect(page.locator("#refused-reason")).to_contain_text("kan deze pagina niet openen")
