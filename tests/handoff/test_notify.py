"""Announcing tickets to helper organisations, telling the claiming helper, and claiming from Telegram."""

from __future__ import annotations

from sqlmodel import select

from bot.runtime import Deps
from handoff import inbox
from handoff.notify import announce_hook, announce_hook_for, message_hook
from handoff.telegram_claims import handle_claim
from storage.db import transaction
from storage.models import Contact, ContentRevision, Ticket
from tests.conftest import Clock
from tests.handoff.conftest import ORGS_WITH_HOURS, make_user, open_ticket_by_chat, outbox, ticket
from tests.transcript import say

BEEGO_GROUP = -100111  # notify_target of beego in ORGS_WITH_HOURS

def test_a_new_ticket_is_announced_in_the_telegram_group_with_a_claim_button(hours_deps: Deps) -> None:
    hours_deps.on_ticket_opened.append(announce_hook_for(hours_deps.organisations))
    code = open_ticket_by_chat(hours_deps)
    rows = outbox(hours_deps, "ticket_announcement")
    assert len(rows) == 1
    row = rows[0]
    assert (row.channel, row.address) == ("telegram", "-100111")
    assert row.body["inline_buttons"] == [[{"text": "Ik neem het op", "callback_data": f"claim:{code}"}]]
    assert code in row.body["text"] and "zo snel mogelijk" in row.body["text"]
    assert "470" not in row.body["text"]  # no phone number in a group
    assert ticket(hours_deps, code).announce_count == 1


def test_a_second_request_is_not_announced_again(hours_deps: Deps) -> None:
    hours_deps.on_ticket_opened.append(announce_hook_for(hours_deps.organisations))
    open_ticket_by_chat(hours_deps)
    open_ticket_by_chat(hours_deps)
    assert len(outbox(hours_deps, "ticket_announcement")) == 1


def test_the_plain_hook_reads_the_organisations_staff_saved(deps: Deps) -> None:
    deps.on_ticket_opened.append(announce_hook)
    with transaction(deps.db) as session:
        session.add(
            ContentRevision(
                kind="organisations",
                key="organisations.yaml",
                body=ORGS_WITH_HOURS.replace(
                    '    notify: telegram\n    notify_target: "-100111"',
                    '    notify: sms\n    notify_target: "0470 11 22 33"',
                ).replace("id: digidak", "id: digidak\n    active: false"),
            )
        )
    code = open_ticket_by_chat(deps)
    rows = outbox(deps, "ticket_announcement")
    assert [(r.channel, r.address) for r in rows] == [("sms", "+32470112233")]
    assert rows[0].body["inline_buttons"] == []
    assert code in rows[0].body["text"]


def test_inbox_only_organisations_get_no_message_but_are_marked_announced(deps: Deps) -> None:
    deps.on_ticket_opened.append(announce_hook_for(deps.organisations))
    code = open_ticket_by_chat(deps)
    assert outbox(deps, "ticket_announcement") == []
    assert ticket(deps, code).announced_at is not None


def test_resident_messages_reach_the_helper_privately_or_as_a_notice(hours_deps: Deps, clock: Clock) -> None:
    hours_deps.on_ticket_message.append(message_hook)
    code = open_ticket_by_chat(hours_deps)
    linked = make_user(hours_deps, "sara@beego.be", organisation="beego", name="Sara", telegram_user_id=4242)
    with transaction(hours_deps.db) as session:
        assert inbox.claim(session, linked, code, clock.now)
    with transaction(hours_deps.db) as session:
        session.add(ContentRevision(kind="organisations", key="organisations.yaml", body=ORGS_WITH_HOURS))
    say(hours_deps, "sms", "+32470123456", "het lukt nog altijd niet")
    rows = outbox(hours_deps, "ticket_message")
    assert [(r.channel, r.address) for r in rows] == [("telegram", "4242")]
    assert "het lukt nog altijd niet" in rows[0].body["text"]


def test_telegram_claim_by_a_linked_helper(hours_deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(hours_deps)
    make_user(hours_deps, "sara@beego.be", organisation="beego", name="Sara Peeters", telegram_user_id=77)
    make_user(hours_deps, "tom@beego.be", organisation="beego", name="Tom", telegram_user_id=78)
    answer = handle_claim(hours_deps, code, 77, "sara_p", clock.now, chat_id=BEEGO_GROUP)
    assert answer.startswith(f"Sara Peeters heeft vraag {code}.")
    assert "+32" not in answer
    row = ticket(hours_deps, code)
    assert row.status == "claimed" and row.claimed_by is not None
    second = handle_claim(hours_deps, code, 78, "Tom", clock.now, chat_id=BEEGO_GROUP)
    assert second == f"Vraag {code} is al genomen door Sara Peeters."
    notice = outbox(hours_deps, "ticket_claimed")
    assert len(notice) == 1 and notice[0].body["text"].startswith("Goed nieuws: Sara van BEEGO")


def test_no_claim_notice_to_a_resident_who_sent_stop(hours_deps: Deps, clock: Clock) -> None:
    code = open_ticket_by_chat(hours_deps)
    say(hours_deps, "sms", "+32470123456", "stop")
    make_user(hours_deps, "bob@beego.be", organisation="beego", name="Bob", telegram_user_id=9)
    handle_claim(hours_deps, code, 9, "Bob", clock.now, chat_id=BEEGO_GROUP)
    assert ticket(hours_deps, code).status == "claimed"
    assert outbox(hours_deps, "ticket_claimed") == []
    with transaction(hours_deps.db) as session:
        contact = session.exec(select(Contact)).one()
        assert contact.opted_out
        assert session.exec(select(Ticket)).one().contact_id == contact.id
