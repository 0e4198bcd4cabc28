"""The ``finlife settle`` command, and concurrent runs of one day settling it once (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from finlife import cli
from finlife.kit.auth import Actor
from finlife.kit.db import Database
from finlife.settings import Settings, get_settings
from finlife.settlement import service as settlement
from finlife.settlement.models import Settlement
from finlife.settlement.schemas import SettlementRunOut
from tests.accounts.support import Bank
from tests.payments.support import trial_balance_total
from tests.settlement.support import (
    D,
    Shop,
    deposit_balance,
    fee,
    fee_income,
    open_shop,
    shanghai,
    trade_on_d,
)


def _statements(db: Database) -> int:
    with db.unit_of_work() as session:
        return session.execute(select(func.count()).select_from(Settlement)).scalar_one()


def test_the_settle_command_settles_each_merchant_once(
    client: TestClient,
    db: Database,
    settings: Settings,
    bank: Bank,
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = open_shop(client, db, settings, name="另一家餐饮有限公司")
    trade_on_d(client, bank, shop, other)
    shop.at(shanghai(D + timedelta(days=1), 2))
    monkeypatch.setenv("FINLIFE_DATABASE_URL", settings.database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(cli.app, ["settle", "--date", D.isoformat()])
        assert first.exit_code == 0, first.output
        assert "2 merchants, 2 statements" in first.output
        again = runner.invoke(cli.app, ["settle"])  # yesterday = D
        assert again.exit_code == 0, again.output
        assert "0 merchants, 0 statements" in again.output
        too_early = runner.invoke(cli.app, ["settle", "--date", (D + timedelta(days=1)).isoformat()])
        assert too_early.exit_code == 1
        assert "cannot be settled yet" in too_early.output
        assert runner.invoke(cli.app, ["settle", "--date", "2026-13-01"]).exit_code != 0
    finally:
        get_settings.cache_clear()
    assert _statements(db) == 2
    assert deposit_balance(db, shop.settlement_account_id) == 1_000 - fee(settings, 1_000)
    assert deposit_balance(db, other.settlement_account_id) == 2_000 - fee(settings, 2_000)
    assert fee_income(db) == fee(settings, 1_000, 2_000)


@pytest.mark.postgres_only
def test_two_runs_of_one_day_at_once_settle_it_once(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    others = [open_shop(client, db, settings, name=f"第{n}家餐饮有限公司") for n in range(2)]
    trade_on_d(client, bank, shop, *others)
    shop.at(shanghai(D + timedelta(days=1), 2))
    barrier = threading.Barrier(2)
    results: list[SettlementRunOut] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            with db.unit_of_work() as session:
                results.append(settlement.settle_day(session, settings, Actor.system(), D))
        except BaseException as exc:  # reported below: a thread's exception would vanish
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(result.statements for result in results) == [0, 3]
    assert _statements(db) == 3
    total_fees = fee(settings, 1_000, 2_000, 3_000)
    assert sum(result.net for result in results) == 6_000 - total_fees
    assert fee_income(db) == total_fees
    assert deposit_balance(db, shop.settlement_account_id) == 1_000 - fee(settings, 1_000)
    assert trial_balance_total(db) == 0
