"""A job started from a page resumes on another node when the node running it dies: two ``finlife
serve`` processes on one PostgreSQL database; the settle action is posted to node A, A is killed
(``kill -9``) in the middle of the run, and node B's claimer takes the job over and finishes it,
each merchant settled once. Short heartbeat, staleness and lease settings keep it quick."""

from __future__ import annotations

import re
import signal
import subprocess
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.ledger.models import JournalEntry
from finlife.settings import Settings
from finlife.settlement import service as settlement
from finlife.settlement.models import Settlement
from tests.accounts.support import Bank
from tests.factories import PASSWORD, make_user
from tests.nodes import nodes, wait_for
from tests.payments.support import trial_balance_total
from tests.settlement.support import D, Shop, open_shop, shanghai, trade_on_d
from tests.web.conftest import csrf_of
from tests.web.forms import hidden_fields

pytestmark = pytest.mark.postgres_only

QUICK = {
    "FINLIFE_JOB_HEARTBEAT_SECONDS": "0.2",
    "FINLIFE_JOB_STALE_SECONDS": "2",
    "FINLIFE_JOB_CLAIM_SECONDS": "0.3",
    "FINLIFE_LEASE_SECONDS": "2",
}


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Shop:
    clock.freeze(shanghai(D, 9))
    return open_shop(client, db, settings)


def _statements_of(db: Database, merchant_id: str) -> int:
    with db.unit_of_work() as session:
        query = select(func.count()).select_from(Settlement).where(Settlement.merchant_id == merchant_id)
        return session.execute(query).scalar_one()


def test_a_settle_job_whose_node_is_killed_is_finished_by_the_other_node_once(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop, tmp_path: Path
) -> None:
    shops = [shop, open_shop(client, db, settings, name="第二家餐饮有限公司")]
    trade_on_d(client, bank, *shops)
    shop.at(shanghai(D + timedelta(days=1), 2))
    with db.unit_of_work() as session:
        _, order = settlement.merchants_to_settle(session, settings, D)
    first, second = order
    admin = make_user(db, settings, roles=(Role.BANK_ADMIN,))
    processes: list[subprocess.Popen[bytes]] = []
    # The second merchant's cursor row, inserted and not committed: node A settles the first
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
        with nodes(settings, tmp_path, processes=processes, **QUICK) as (a, b), httpx.Client() as browser:
            form = browser.get(f"{b}/bank/login")
            browser.post(
                f"{b}/bank/login",
                data={"username": admin, "password": PASSWORD, "csrf_token": csrf_of(form.text)},
            )
            page = browser.get(f"{b}/bank/interbank?date={D.isoformat()}").text
            fields = hidden_fields(page, "/bank/interbank/settle")
            started = browser.post(
                f"{a}/bank/interbank/settle", data={**fields, "date": D.isoformat()}, follow_redirects=False
            )
            assert started.status_code == 303, started.text
            match = re.fullmatch(r"/bank/jobs/(job_\w+)", started.headers["location"])
            assert match, started.headers["location"]
            job = f"{b}/v1/jobs/{match.group(1)}"
            wait_for(lambda: _statements_of(db, first) == 1, "node A to settle the first merchant")

            processes[0].send_signal(signal.SIGKILL)
            assert processes[0].wait(timeout=60) == -signal.SIGKILL
            blocker.rollback()  # node A's transaction on the second merchant dies with its connection

            wait_for(lambda: browser.get(job).json()["status"] != "running", "node B to finish the job")
            ended = browser.get(job).json()
            assert ended["status"] == "succeeded", ended
            assert (ended["attempts"], ended["resumed"]) == (2, True)
            # The run again settled only the merchant node A did not reach.
            assert ended["result"]["merchants"]["merchants"] == 1
            progress_page = browser.get(f"{b}/bank/jobs/{match.group(1)}", follow_redirects=False)
            assert progress_page.status_code == 303
    finally:
        blocker.rollback()
        blocker.close()

    assert [_statements_of(db, s.merchant_id) for s in shops] == [1, 1]
    with db.unit_of_work() as session:
        entries = (
            select(func.count()).select_from(JournalEntry).where(JournalEntry.kind == "merchant_settlement")
        )
        assert session.execute(entries).scalar_one() == 2
        assert settlement.merchants_awaiting(session, settings, D) == 0
    assert trial_balance_total(db) == 0
