"""`digibuur users ...` and `digibuur content export/import` against a real database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot.cli import main
from bot.console.passwords import verify_login
from bot.runtime import Deps
from storage.db import transaction
from storage.models import AuditLog, ContentRevision, User
from tests.console.conftest import add_user


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, db_url: str) -> str:
    monkeypatch.setenv("DATABASE_URL", db_url)
    return db_url


def run(monkeypatch: pytest.MonkeyPatch, argv: list[str], stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(argv)


def test_users_create_reads_the_password_from_stdin(
    cli_env: str, live_deps: Deps, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        monkeypatch,
        ["users", "create", "--email", "Anna@Beego.be", "--role", "helper", "--organisation", "beego"],
        "a long secret phrase\n",
    )
    assert code == 0, capsys.readouterr().err
    with transaction(live_deps.db) as session:
        user = verify_login(session, "anna@beego.be", "a long secret phrase")
        assert user is not None and (user.role, user.organisation) == ("helper", "beego")
        assert user.password_hash.startswith("$argon2")
        assert session.exec(select(AuditLog).where(AuditLog.action == "user.create")).one().actor == "cli"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["--role", "helper"], "a long secret phrase\n", "needs --organisation"),
        (["--role", "staff"], "short\n", "at least 12 characters"),
        (["--role", "staff"], "elf tekens!\n", "at least 12 characters"),  # 11 characters
        (["--role", "staff"], "Wachtwoord2024!\n", "common passwords"),
        (["--role", "staff"], "p@ssw0rd123456\n", "common passwords"),
        (["--role", "staff"], "qwertyuiop12\n", "common passwords"),
        (["--role", "helper", "--organisation", "nobody"], "a long secret phrase\n", "unknown organisation"),
    ],
)
def test_users_create_refuses_bad_input(
    cli_env: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: str,
    message: str,
) -> None:
    assert run(monkeypatch, ["users", "create", "--email", "x@gent.be", *argv], stdin) == 1
    assert message in capsys.readouterr().err


def test_users_deactivate_and_password(cli_env: str, live_deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(live_deps, "staff@gent.be", "staff")
    assert run(monkeypatch, ["users", "password", "--email", "staff@gent.be"], "another long phrase\n") == 0
    with transaction(live_deps.db) as session:
        assert verify_login(session, "staff@gent.be", "another long phrase") is not None
    assert run(monkeypatch, ["users", "deactivate", "--email", "staff@gent.be"]) == 0
    with Session(live_deps.db) as session:
        assert session.exec(select(User)).one().active is False


def test_content_export_then_import_round_trip(
    cli_env: str, live_deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shipped = live_deps.settings.content.guides / "wifree.yaml"
    edited = shipped.read_text(encoding="utf-8").replace("spec_version: 1", "spec_version: 1\n# edited", 1)
    with transaction(live_deps.db) as session:
        session.add(ContentRevision(kind="guide", key="wifree.yaml", body=edited, author="staff@gent.be"))
    out = tmp_path / "export"
    assert main(["content", "export", str(out)]) == 0
    assert (out / "guides" / "wifree.yaml").read_text(encoding="utf-8") == edited
    assert main(["content", "import", str(out)]) == 0
    assert "nothing to import" in capsys.readouterr().out
    changed = edited.replace("# edited", "# edited twice")
    (out / "guides" / "wifree.yaml").write_text(changed, encoding="utf-8")
    assert run(monkeypatch, ["content", "import", str(out), "--author", "anna"]) == 0
    with Session(live_deps.db) as session:
        newest = session.exec(select(ContentRevision).order_by(col(ContentRevision.id).desc())).first()
    assert newest is not None and (newest.body, newest.author) == (changed, "anna")


def test_content_import_refuses_invalid_files_and_stores_nothing(
    cli_env: str, live_deps: Deps, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all"
    assert main(["content", "export", "--all", str(out)]) == 0
    assert (out / "intents" / "greeting.yaml").is_file() and (out / "organisations.yaml").is_file()
    guide = out / "guides" / "hotspot.yaml"
    guide.write_text(
        guide.read_text(encoding="utf-8").replace("next: iphone-hotspot", "next: nowhere"), encoding="utf-8"
    )
    (out / "organisations.yaml").write_text("organisations: [{id: x}]\n", encoding="utf-8")
    assert main(["content", "import", str(out)]) == 1
    err = capsys.readouterr().err
    assert "nowhere" in err and "needs an id and a name" in err
    with Session(live_deps.db) as session:
        assert list(session.exec(select(ContentRevision))) == []
