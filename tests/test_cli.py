"""The finlife command: migrations, the first admin, staff logins and the demo world."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from finlife import cli
from finlife.identity import service as identity
from finlife.kit.db import Database
from finlife.settings import Settings, get_settings

runner = CliRunner()


@pytest.fixture
def database_file(tmp_path, monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("FINLIFE_DATABASE_URL", url)
    monkeypatch.setenv("FINLIFE_FAST_PASSWORD_HASHING", "true")
    monkeypatch.delenv("FINLIFE_ADMIN_PASSWORD", raising=False)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def _sign_in(url: str, username: str, password: str) -> bool:
    database = Database(url)
    settings = Settings(database_url=url, fast_password_hashing=True)
    with database.unit_of_work() as session:
        outcome = identity.sign_in(session, settings, username=username, password=password)
    database.dispose()
    return not isinstance(outcome, Exception)


def test_db_upgrade_then_a_generated_admin_password_shown_once(database_file: str) -> None:
    assert runner.invoke(cli.app, ["db", "upgrade"]).exit_code == 0
    output = []
    with cli.console.capture() as captured:
        cli._ensure_admin()
    output.append(captured.get())
    with cli.console.capture() as captured:
        cli._ensure_admin()
    output.append(captured.get())
    assert "Created bank admin 'admin' with password:" in output[0]
    password = output[0].split("password:")[1].split()[0]
    assert _sign_in(database_file, "admin", password)
    assert output[1] == ""  # never shown again


def test_users_create_makes_a_staff_login(database_file: str) -> None:
    runner.invoke(cli.app, ["db", "upgrade"])
    result = runner.invoke(
        cli.app,
        ["users", "create", "wang.teller", "--role", "teller"],
        input="branch-pass-1\nbranch-pass-1\n",
    )
    assert result.exit_code == 0, result.output
    assert "created wang.teller (teller)" in result.output
    assert _sign_in(database_file, "wang.teller", "branch-pass-1")


def test_users_create_refuses_an_unknown_role(database_file: str) -> None:
    runner.invoke(cli.app, ["db", "upgrade"])
    result = runner.invoke(
        cli.app, ["users", "create", "x", "--role", "wizard"], input="long-pass-1\nlong-pass-1\n"
    )
    assert result.exit_code != 0


def test_demo_seeds_once_and_refuses_an_old_schema(database_file: str) -> None:
    assert runner.invoke(cli.app, ["demo", "--customers", "3", "--days", "2"]).exit_code == 1  # no schema yet
    runner.invoke(cli.app, ["db", "upgrade"])
    first = runner.invoke(
        cli.app, ["demo", "--customers", "3", "--merchants", "1", "--days", "2", "--if-empty"]
    )
    assert first.exit_code == 0, first.output
    assert "demo world: customers 3, merchants 1 (stores" in first.output
    assert "sign in as 13900000001 / finlife-demo-1 (owner)" in first.output
    again = runner.invoke(cli.app, ["demo", "--if-empty"])
    assert "already there" in again.output
    assert _sign_in(database_file, "13800000000", "finlife-demo-1")
