"""Announcements in a real Chromium: compose per language, see the SMS lint and the preview (recipients per
channel, SMS segments paid), save, and have a second staff member approve."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.browser.conftest import NOW, STAFF, Served, log_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser
SECOND = ("bert@gent.be", "second staff password")


def test_compose_preview_and_second_staff_approval(page: Any, served: Served) -> None:
    from bot.console.passwords import create_user
    from storage.db import transaction
    from tests.outbound.conftest import add_subscribers

    add_subscribers(served.deps.db, 4, NOW)
    add_subscribers(served.deps.db, 2, NOW, channel="telegram", start=10)
    with transaction(served.deps.db) as session:
        create_user(session, SECOND[0], SECOND[1], "staff")
    served.deps.settings = replace(served.deps.settings, broadcast_approval_above=3)
    log_in(page, served, STAFF, start="/console/broadcasts")
    expect(page.get_by_role("heading", name="Berichten aan bewoners")).to_be_visible()
    page.locator("#audience").fill("news")
    page.locator("#text_nl").fill("Het Digicafé in De Krook start weer op donderdag om 14 uur.")
    page.locator("#text_uk").fill("Дуже довгий текст. " * 12)
    page.locator("#preview").click()
    expect(page.locator("#lint-uk")).to_contain_text("SMS segments")
    expect(page.locator("#create")).to_have_count(0)  # nothing can be saved over the SMS budget
    page.locator("#text_uk").fill("")
    page.locator("#preview").click()
    expect(page.locator("#recipients")).to_have_text("6")
    expect(page.locator("#channel-sms")).to_have_text("sms 4")
    expect(page.locator("#channel-telegram")).to_have_text("telegram 2")
    expect(page.locator("#sms-segments")).to_have_text("4")
    expect(page.locator("#needs-approval")).to_be_visible()
    page.locator("#create").click()
    row = page.locator("#broadcast-1")
    expect(row.locator(".status")).to_have_text("awaiting_approval")
    row.locator("button.approve").click()
    expect(page.locator("#broadcast-error")).to_contain_text("tweede medewerker")
    page.get_by_role("button", name="Afmelden").click()
    log_in(page, served, SECOND, start="/console/broadcasts")
    page.locator("#broadcast-1 button.approve").click()
    expect(page.locator("#broadcast-1 .status")).to_have_text("scheduled")
