"""The simulator in a real Chromium: a staff-edited place name full of markup shows as text (no script runs), the
location picker (list and map), the moment field and the "new conversation" button."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from storage.db import transaction
from storage.models import ContentRevision, Conversation
from tests.browser.conftest import Served, log_in

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
MARKUP = "<img src=x onerror=window.__xss=1>"


def send(page: Any, text: str) -> str:
    before = page.locator(".msg.bot").count()
    page.locator("#text").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".msg.bot")).not_to_have_count(before)
    return "\n".join(page.locator(".msg.bot").all_inner_texts()[before:])


def share(page: Any) -> str:
    before = page.locator(".msg.bot").count()
    page.get_by_role("button", name="Share location").click()
    expect(page.locator(".msg.bot")).not_to_have_count(before)
    return "\n".join(page.locator(".msg.bot").all_inner_texts()[before:])


@pytest.mark.parametrize("where", ["/simulator", "/console/simulator"])
def test_a_place_named_with_markup_shows_as_text(page: Any, served: Served, where: str) -> None:
    body = (ROOT / "places" / "data" / "digipunten.yaml").read_text(encoding="utf-8")
    hostile = body.replace("name: Digipunt Bibliotheek De Krook", f'name: "{MARKUP}"')
    assert hostile != body
    with transaction(served.deps.db) as session:
        session.add(ContentRevision(kind="places", key="digipunten.yaml", body=hostile, author="staff@gent.be"))
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text))
    if where.startswith("/console"):
        log_in(page, served)
    page.goto(served.url + where)
    page.locator("#channel").select_option("whatsapp")
    send(page, "waar is een digipunt")
    send(page, "de krook")
    detail = send(page, "1")
    assert MARKUP in detail  # shown as the characters it is
    expect(page.locator(".meta", has_text=MARKUP).first).to_be_visible()
    assert page.locator("#log img").count() == 0
    assert page.evaluate("window.__xss") is None


def test_pick_a_place_from_the_list(page: Any, served: Served) -> None:
    page.goto(served.url + "/simulator")
    page.locator("#location-picker summary").click()
    expect(page.get_by_role("button", name="Share location")).to_be_disabled()
    page.locator("#place").select_option(label="Station Gent-Dampoort")
    expect(page.locator("#location-label")).to_contain_text("Station Gent-Dampoort (51.0563")
    answer = share(page)
    assert "Dichtbij" in answer and "Kongostraat" in answer  # Digipunten near Dampoort, not near De Krook
    assert "Miriam Makebaplein" not in answer.splitlines()[1]


def test_click_the_map_to_share_a_point(page: Any, served: Served) -> None:
    page.goto(served.url + "/simulator")
    page.locator("#location-picker summary").click()
    krook = (51.048604, 3.728687)
    x, y = page.evaluate(
        """([lat, lon]) => {
            const map = document.getElementById('map'); const d = map.dataset;
            const point = new DOMPoint((lon - Number(d.minLon)) * Number(d.xPerDegree),
                                       (Number(d.maxLat) - lat) * Number(d.yPerDegree));
            const screen = point.matrixTransform(map.getScreenCTM());
            return [screen.x, screen.y];
        }""",
        list(krook),
    )
    page.mouse.click(x, y)
    label = page.locator("#location-label")
    expect(label).to_contain_text("Binnenstad")
    found = re.search(r"\((\d+\.\d+), (\d+\.\d+)\)", label.inner_text())
    assert found and abs(float(found.group(1)) - krook[0]) < 0.002 and abs(float(found.group(2)) - krook[1]) < 0.002
    expect(page.locator("#marker")).not_to_have_attribute("cx", "-20")
    answer = share(page)
    assert "De Krook" in answer.splitlines()[1]


def test_the_moment_field_sets_the_time_of_the_answer(page: Any, served: Served) -> None:
    page.goto(served.url + "/simulator")
    page.locator("#moment").fill("2026-12-05 22:00")  # a Saturday night
    night = send(page, "digipunt de krook")
    assert "gesloten" in night.splitlines()[1]
    expect(page.locator(".msg.bot .meta").last).to_contain_text("at 2026-12-05T22:00+01:00")
    page.locator("#moment").fill("")  # the server's own moment: Thursday 10:30
    morning = send(page, "digipunt de krook")
    assert "gesloten" not in morning.splitlines()[1]
    page.locator("#moment").fill("morgen")
    send(page, "menu")
    expect(page.locator(".msg.bot").last).to_contain_text("Error 422")


def test_new_conversation_forgets_where_the_conversation_was(page: Any, served: Served) -> None:
    page.goto(served.url + "/simulator")
    asked = send(page, "waar is een digipunt")
    assert "Waar ben je" in asked
    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".msg.system")).to_contain_text("New conversation")
    expect(page.locator(".msg.bot")).to_have_count(0)
    with Session(served.deps.db) as session:
        assert [row.state for row in session.exec(select(Conversation))] == [{}]


def test_a_phone_call_with_the_keypad(page: Any, served: Served) -> None:
    page.goto(served.url + "/simulator")
    expect(page.locator("#phone")).to_be_hidden()
    page.locator("#channel").select_option("voice")
    expect(page.locator("#phone")).to_be_visible()
    expect(page.locator("#send")).to_be_hidden()
    expect(page.locator(".key").first).to_be_disabled()
    page.get_by_role("button", name="Call digibuur").click()
    expect(page.locator("#log")).to_contain_text("druk 1")
    expect(page.locator("#waiting")).to_have_text("Waiting for 1 key.")
    page.locator('.key[data-key="1"]').click()
    expect(page.locator("#waiting")).to_have_text("Waiting for 4 keys.")
    before = page.locator(".msg.spoken").count()
    for key in "900":
        page.locator(f'.key[data-key="{key}"]').click()
    expect(page.locator(".msg.spoken")).to_have_count(before)  # three keys of four: nothing sent yet
    page.locator('.key[data-key="0"]').click()
    expect(page.locator(".msg.me").last).to_have_text("9000")
    expect(page.locator("#log")).to_contain_text("Miriam Makebaplein")
    page.locator("details.twiml summary").last.click()
    expect(page.locator("details.twiml pre").last).to_contain_text("<Gather")
    page.get_by_role("button", name="Hang up").click()
    expect(page.locator(".msg.system").last).to_have_text("You hung up.")
    expect(page.locator(".key").first).to_be_disabled()
