"""Staff-supplied content cannot cost the server: YAML aliases are refused in every editor and in `content import`
(a few hundred bytes of nested aliases used to cost seconds of CPU), content files have a size cap
(CONTENT_MAX_BYTES), opening-hours expressions at most 500 characters, closures at most 366 days."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.cli import main
from bot.console.guide_editing import apply_step_texts
from bot.console.places_editing import load_document
from bot.content_base.yamlio import ContentError, parse_yaml
from bot.runtime import Deps
from bot.settings import Settings
from handoff.organisations import OrganisationError, parse_organisations
from places.hours import hours_problem
from places.loader import read_closures
from storage.models import ContentRevision
from tests.console.conftest import csrf_token

FIRST_ALIAS = ":4:"  # the line of the bomb's first alias


def alias_bomb(levels: int = 6) -> str:
    """A guide-shaped document whose aliases nest `levels` deep, nine wide (9**levels leaves when expanded)."""
    lines = ["spec_version: 1", 'id: "bomb"', 'l0: &l0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for n in range(1, levels + 1):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    lines.append(f"steps: *l{levels}")
    return "\n".join(lines) + "\n"


def test_the_bomb_is_small() -> None:
    assert len(alias_bomb().encode()) < 600


def test_guide_editor_refuses_aliases_at_once(staff_client: TestClient) -> None:
    token = csrf_token(staff_client, "/console/guides/wifree/yaml")
    response = staff_client.post("/console/guides/wifree/yaml", data={"body": alias_bomb(), "csrf_token": token})
    assert response.status_code == 422
    # refused at the first alias (line 4), before anything is expanded (speed: benchmarks/README.md)
    assert "regel 4: not valid YAML: YAML aliases" in response.text


def test_content_import_refuses_aliases_at_once(
    live_deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    (tmp_path / "in" / "guides").mkdir(parents=True)
    (tmp_path / "in" / "guides" / "bomb.yaml").write_text(alias_bomb(), encoding="utf-8")
    (tmp_path / "in" / "organisations.yaml").write_text(
        "organisations:\n  - &org {id: x, name: X}\n  - *org\n", encoding="utf-8"
    )
    assert main(["content", "import", str(tmp_path / "in")]) == 1
    err = capsys.readouterr().err
    assert f"bomb.yaml{FIRST_ALIAS}" in err and "aliases" in err  # at the first alias, before any expansion
    with Session(live_deps.db) as session:
        assert list(session.exec(select(ContentRevision))) == []


def test_every_staff_document_reader_refuses_aliases() -> None:
    with pytest.raises(ContentError, match="aliases"):
        parse_yaml("a: &a [1]\nb: *a\n", "texts/nl.yaml")
    with pytest.raises(OrganisationError, match="aliases"):
        parse_organisations("organisations:\n  - &o {id: x, name: X}\n  - *o\n")
    with pytest.raises(Exception, match="aliases"):
        load_document("places: &p []\nother: *p\n")
    with pytest.raises(Exception, match="aliases"):
        apply_step_texts("steps: &s []\nagain: *s\n", {("a", "nl"): "x"})


def test_content_files_have_a_size_cap(
    live_deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("CONTENT_MAX_BYTES", "50000")
    (tmp_path / "in" / "guides").mkdir(parents=True)
    (tmp_path / "in" / "guides" / "huge.yaml").write_text("# filler\n" * 10_000, encoding="utf-8")
    assert main(["content", "import", str(tmp_path / "in")]) == 1
    assert "CONTENT_MAX_BYTES" in capsys.readouterr().err
    assert Settings.from_env({}).content_max_bytes == 1_000_000


def test_the_guide_editor_applies_the_size_cap(settings: Settings, live_deps: Deps) -> None:
    from bot.app import create_app
    from tests.console.conftest import add_user, login

    live_deps.settings = replace(live_deps.settings, content_max_bytes=2_000)
    small = replace(settings, content_max_bytes=2_000)
    add_user(live_deps, "staff@gent.be", "staff")
    with TestClient(create_app(small, live_deps, scheduler=False), follow_redirects=False) as client:
        assert login(client, "staff@gent.be").status_code == 303
        token = csrf_token(client, "/console/guides/wifree/yaml")
        body = "spec_version: 1\n" + "# filler line\n" * 300
        response = client.post("/console/guides/wifree/yaml", data={"body": body, "csrf_token": token})
    assert response.status_code == 422 and "CONTENT_MAX_BYTES" in response.text


def test_opening_hours_are_capped_at_500_characters() -> None:
    reasonable = "Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-12:00; PH off"
    assert hours_problem(reasonable) is None
    endless = "; ".join(f"Mo 09:{minute:02d}-09:{minute + 1:02d}" for minute in range(0, 58)) + "; PH off"
    assert len(endless) > 500
    assert "500" in (hours_problem(endless) or "")
    with pytest.raises(OrganisationError, match="500"):
        parse_organisations(f'organisations:\n  - {{id: x, name: X, hours: "{endless}"}}\n')


def test_closures_last_at_most_366_days(tmp_path: Path) -> None:
    (tmp_path / "closures.yaml").write_text(
        "spec_version: 1\nclosures:\n"
        "  - {place_id: de-krook, start: '2026-01-01', end: '2026-12-31', reason: {nl: jaar, en: year, fr: an}}\n"
        "  - {place_id: de-krook, start: '2026-01-01', end: '2099-12-31', reason: {nl: nooit, en: never, fr: x}}\n",
        encoding="utf-8",
    )
    problems: list[str] = []
    closures = read_closures(tmp_path, problems)
    assert len(closures) == 1 and closures[0].end.year == 2026
    assert any("366 days" in problem and "closures[1]" in problem for problem in problems)
