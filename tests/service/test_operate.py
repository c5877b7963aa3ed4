"""Ready to operate: /metrics without personal data, /healthz saying what is wrong, JSON logs without numbers."""

from __future__ import annotations

import json
import logging

from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from bot.app import create_app
from bot.logs import JsonFormatter
from bot.messages import Address, Inbound
from bot.runtime import Deps
from bot.service import handle


def test_metrics_count_messages_without_personal_data(deps: Deps) -> None:
    number = "+32470123987"
    handle(Inbound(Address("sms", number), "menu", deps.clock()), deps)
    handle(Inbound(Address("sms", number), "xqzzy vlorp", deps.clock()), deps)
    with TestClient(create_app(deps.settings, deps, scheduler=False)) as client:
        body = client.get("/metrics").text
    assert 'digibuur_messages_total{channel="sms",direction="in"} 2.0' in body
    assert "digibuur_unmatched_share 0.5" in body
    assert "470123987" not in body and "xqzzy" not in body


def test_healthz_ok_then_names_the_database(deps: Deps) -> None:
    with TestClient(create_app(deps.settings, deps, scheduler=False)) as client:
        ok = client.get("/healthz")
        assert ok.status_code == 200 and ok.json()["checks"]["database"] == "ok"
        deps.db = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", pool_pre_ping=False)
        client.app.state.deps.db = deps.db  # type: ignore[attr-defined]
    broken = TestClient(create_app(deps.settings, deps, scheduler=False)).get("/healthz")
    assert broken.status_code == 503
    assert any("database" in problem for problem in broken.json()["problems"])


def test_info_logs_carry_no_number_or_text(deps: Deps, caplog: object) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    root = logging.getLogger()
    handler = Keep(level=logging.INFO)
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    try:
        for text in ("hallo", "STOP", "START", "I am out of office until Monday, thanks"):
            handle(Inbound(Address("sms", "+32470777888"), text, deps.clock()), deps)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    formatter = JsonFormatter()
    for record in records:
        line = formatter.format(record)
        json.loads(line)
        assert "470777888" not in line and "out of office" not in line
