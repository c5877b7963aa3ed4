"""Whole phone calls as transcripts (tests/channels/voice_calls/*.yaml) in all seven languages: every step is a signed
Twilio webhook, every answer parsed TwiML; what is heard, what the keypad waits for, tickets and SMS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlmodel import Session, col, select

from bot.runtime import Deps
from storage import queries
from storage.models import Outbox, Ticket
from tests.channels.voice_call import Call, Twiml

CALLS = Path(__file__).parent / "voice_calls"


def _outbox(deps: Deps) -> list[Outbox]:
    with Session(deps.db) as session:
        return list(session.exec(select(Outbox).order_by(col(Outbox.id))))


def _check(step: dict[str, Any], twiml: Twiml, script: dict[str, Any], deps: Deps, where: str) -> None:
    locale = script["locale"]
    spoken = twiml.spoken
    for phrase in step.get("hear", []):
        assert phrase in spoken, f"{where}: {phrase!r} not heard in {spoken!r}"
    for phrase in step.get("not_hear", []):
        assert phrase not in spoken, f"{where}: {phrase!r} heard in {spoken!r}"
    if step.get("hangup"):
        assert twiml.hangup and twiml.gather is None, f"{where}: the call should end"
        return
    assert twiml.gather is not None and not twiml.hangup, f"{where}: the call should wait for keys"
    expected_locale = step.get("locale", locale)
    assert twiml.says[0].language == expected_locale, f"{where}: first sentence in {twiml.says[0]}"
    if "keys" in step:
        expected = step["keys"]
        assert twiml.gather.get("numDigits") == (str(expected) if expected else None), f"{where}: {twiml.gather}"
    if "outbox" in step:
        wanted = step["outbox"]
        rows = [row for row in _outbox(deps) if (row.channel, row.address) == (wanted["channel"], wanted["to"])]
        assert any(wanted["contains"] in row.body.get("text", "") for row in rows), f"{where}: {rows}"
    if step.get("outbox_empty"):
        assert _outbox(deps) == [], f"{where}: something was queued"
    if "ticket" in step:
        with Session(deps.db) as session:
            tickets = list(session.exec(select(Ticket)))
        assert len(tickets) == 1, f"{where}: {tickets}"
        for name, value in step["ticket"].items():
            assert getattr(tickets[0], name) == value, f"{where}: ticket {name} = {getattr(tickets[0], name)}"
    if "sms_language" in step:
        with Session(deps.db) as session:
            sms = queries.find_contact(session, "sms", str(script["caller"]))
        assert sms is not None and sms.language == step["sms_language"], f"{where}: the SMS contact's language"


@pytest.mark.parametrize("name", sorted(path.stem for path in CALLS.glob("*.yaml")))
async def test_whole_call(name: str, client: httpx.AsyncClient, wired: Deps) -> None:
    script = yaml.safe_load((CALLS / f"{name}.yaml").read_text(encoding="utf-8"))
    call = Call(client, "CA" + name.encode().hex()[:32].ljust(32, "0"), caller=str(script["caller"]))
    for number, step in enumerate(script["steps"], start=1):
        where = f"{name} step {number}"
        if step.get("start"):
            twiml = await call.start()
        elif step.get("silence"):
            twiml = await call.silence()
        else:
            twiml = await call.press(str(step["press"]))
        _check(step, twiml, script, wired, where)


def test_every_call_script_has_steps() -> None:
    names = sorted(path.stem for path in CALLS.glob("*.yaml"))
    assert {"nl", "en", "fr"} <= {name.split("_")[0] for name in names}
    for name in names:
        script = yaml.safe_load((CALLS / f"{name}.yaml").read_text(encoding="utf-8"))
        assert script["steps"][0].get("start") and len(script["steps"]) >= 5
