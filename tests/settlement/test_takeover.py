"""A settlement run whose node dies (``kill -9``) mid-run is finished by another node, exactly once:
the second ``finlife settle`` waits for the dead one's lease to expire, takes it over and settles
the merchants the first did not reach (PostgreSQL: two processes on one database)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from finlife.kit import leases
from finlife.kit.db import Database
from finlife.ledger.models import JournalEntry
from finlife.settings import Settings
from finlife.settlement import service as settlement
from finlife.settlement.models import Settlement
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

FINLIFE = str(Path(sys.executable).parent / "finlife")


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _statements_of(db: Database, merchant_id: str) -> int:
    with db.unit_of_work() as session:
        query = select(func.count()).select_from(Settlement).where(Settlement.merchant_id == merchant_id)
        return session.execute(query).scalar_one()


def _settle(settings: Settings, tmp_path: Path, *, lease_seconds: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "FINLIFE_DATABASE_URL": settings.database_url,
        "FINLIFE_LEASE_SECONDS": str(lease_seconds),
        "COLUMNS": "200",  # rich would wrap the lines this test reads
        "PYTHONUNBUFFERED": "1",  # each line as it is printed
    }
    command = [FINLIFE, "settle", "--date", D.isoformat(), "--out", str(tmp_path)]
    return subprocess.Popen(  # noqa: S603 (our own command)
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


@pytest.mark.postgres_only
def test_a_run_killed_mid_way_is_finished_by_another_node_settling_each_merchant_once(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop, tmp_path: Path
) -> None:
    shops = [shop, *(open_shop(client, db, settings, name=f"第{n}家餐饮有限公司") for n in range(2))]
    trade_on_d(client, bank, *shops)
    shop.at(shanghai(D + timedelta(days=1), 2))
    with db.unit_of_work() as session:
        _, order = settlement.merchants_to_settle(session, settings, D)
    assert sorted(order) == sorted(s.merchant_id for s in shops)
    first, second = order[0], order[1]

    # The second merchant's cursor row, inserted and not committed: the run settles the first
    # merchant, then waits on this row, so it is killed in the middle of the run, deterministically.
    blocker = db.engine.connect()
    try:
        blocker.execute(
            text(
                "INSERT INTO settlement_cursors (merchant_id, settled_through, carried_pending, carried_fees)"
                " VALUES (:m, NULL, 0, 0)"
            ),
            {"m": second},
        )
        # A lease far longer than the test: the test ends it itself, once the second node waits on it.
        dying = _settle(settings, tmp_path, lease_seconds=600)
        try:
            _wait_for(lambda: _statements_of(db, first) == 1, "the first node to settle the first merchant")
            dying.send_signal(signal.SIGKILL)
            assert dying.wait(timeout=60) == -signal.SIGKILL
        finally:
            if dying.poll() is None:
                dying.kill()
                dying.wait()
        held = leases.current(db, settlement.SETTLEMENT_LEASE)
        assert held is not None and f":{dying.pid}:" in held[0]  # the dead node's lease, not released
    finally:
        blocker.rollback()
        blocker.close()

    taking_over = _settle(settings, tmp_path, lease_seconds=2)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(taking_over.stdout or ()), daemon=True)
    reader.start()
    try:
        # It finds the dead node's lease running and waits for it, settling nobody meanwhile ...
        _wait_for(lambda: any("waiting" in line for line in lines), "the second node to wait for the lease")
        assert f":{dying.pid}:" in "".join(lines)
        assert [_statements_of(db, merchant) for merchant in order] == [1, 0, 0]
        # ... until the lease runs out (moved, not waited for: the dead node renews nothing any more).
        with db.engine.begin() as conn:
            conn.execute(
                text("UPDATE leases SET expires_at = :past"),
                {"past": datetime.now(UTC) - timedelta(seconds=1)},
            )
        assert taking_over.wait(timeout=120) == 0, "".join(lines)
    finally:
        if taking_over.poll() is None:
            taking_over.kill()
            taking_over.wait()
    reader.join(60)
    output = "".join(lines)
    assert f"settled {D.isoformat()}: 2 merchants, 2 statements" in output  # only those not reached

    assert [_statements_of(db, s.merchant_id) for s in shops] == [1, 1, 1]
    with db.unit_of_work() as session:
        entries = (
            select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "merchant_settlement")
        )
        assert session.execute(entries).scalar_one() == 3
    for amount, each in enumerate(shops, start=1):
        assert deposit_balance(db, each.settlement_account_id) == amount * 1_000 - fee(
            settings, amount * 1_000
        )
    assert fee_income(db) == fee(settings, 1_000, 2_000, 3_000)
    assert trial_balance_total(db) == 0
    assert leases.current(db, settlement.SETTLEMENT_LEASE) is None  # released by the node that finished
    with db.unit_of_work() as session:  # and nothing is left to settle
        assert settlement.merchants_awaiting(session, settings, D) == 0
