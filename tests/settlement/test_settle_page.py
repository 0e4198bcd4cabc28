"""The net positions page's settle action as a job: the day's merchants one by one with progress,
then the other banks' positions; the progress page leads to the day's page saying what the run did
(``finlife settle``'s work, through the pages)."""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import threading
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from finlife.kit import jobs
from finlife.kit.auth import Actor, Role
from finlife.kit.db import Database
from finlife.kit.jobs import Job, runner
from finlife.settings import Settings
from finlife.settlement import service as settlement
from finlife.settlement.service import run as settlement_run
from tests.accounts.support import Bank
from tests.factories import headers, make_user
from tests.settlement.support import D, Shop, deposit_balance, fee, open_shop, shanghai, trade_on_d
from tests.web.forms import signed_in, submit

DAY = D.isoformat()


def _register_a_bank(client: TestClient, admin_token: str) -> None:
    """Another bank in the directory (nobody listens at its address: settling it asks it nothing)."""
    body = {"code": "NBK", "name": "宁波测试银行", "bins": ["621700"], "iso8583_endpoints": ["127.0.0.1:9"]}
    answer = client.post("/v1/banks", json=body, headers=headers(admin_token))
    assert answer.status_code == 201, answer.text


def test_settling_a_day_shows_each_merchant_done_then_what_the_run_did(
    client: TestClient,
    db: Database,
    settings: Settings,
    bank: Bank,
    shop: Shop,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = open_shop(client, db, settings, name="另一家餐饮有限公司")
    trade_on_d(client, bank, shop, other)
    shop.at(shanghai(D + timedelta(days=1), 9))
    _register_a_bank(client, shop.admin())
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))

    # Every report written (no throttle), and what the job's row said as each merchant began.
    monkeypatch.setattr(runner, "WRITES_PER_SECOND", math.inf)
    seen: list[tuple[int, int, str]] = []
    settle_merchant = settlement.settle_merchant

    def watched(session, actor, merchant_id, through):  # type: ignore[no-untyped-def]
        assert known.wait(30)  # the run may reach here before the test has read the job's id
        with db.unit_of_work() as reading:
            job = jobs.get_job(reading, Actor.system(), job_ids[0], "en")
        seen.append((job.done, job.total, job.stage.key))
        return settle_merchant(session, actor, merchant_id, through)

    job_ids: list[str] = []
    known = threading.Event()
    monkeypatch.setattr(settlement_run, "settle_merchant", watched)  # where the run calls it
    assert "结算 2 家商户，清算 1 家银行的净额" in admin.get(f"/bank/interbank?date={DAY}").text
    started = submit(admin, f"/bank/interbank?date={DAY}", "/bank/interbank/settle", {"date": DAY})
    assert started.status_code == 303, started.text
    progress_page = started.headers["location"]
    assert re.fullmatch(r"/bank/jobs/job_\w+", progress_page)
    job_ids.append(progress_page.rsplit("/", 1)[1])
    known.set()
    jobs.wait(job_ids[0])

    assert seen == [(0, 2, "ui.jobs.settle.merchants"), (1, 2, "ui.jobs.settle.merchants")]
    result = admin.get(progress_page)
    assert result.status_code == 303
    assert result.headers["location"] == f"/bank/interbank?date={DAY}&job={job_ids[0]}"
    page = admin.get(result.headers["location"])
    assert page.status_code == 200, page.text
    summary = page.text[page.text.index("data-summary") :]
    assert "本次清算 1 家，此前已清算 0 家" in summary
    net = 3_000 - fee(settings, 1_000) - fee(settings, 2_000)
    assert (
        'data-merchants-settled="2"' in summary and "2 张结算单" in summary and f"¥{net / 100:.2f}" in summary
    )
    assert 'data-position="NBK" data-settled="yes"' in page.text
    assert deposit_balance(db, shop.settlement_account_id) == 1_000 - fee(settings, 1_000)
    assert deposit_balance(db, other.settlement_account_id) == 2_000 - fee(settings, 2_000)

    ended = jobs.get_job
    with db.unit_of_work() as session:
        job = ended(session, Actor.system(), job_ids[0], "en")
    assert (job.status, job.done, job.total, job.stage.key) == ("succeeded", 2, 2, "ui.jobs.settle.interbank")


def test_a_day_still_open_or_a_teller_is_refused_on_the_page_and_nothing_starts(
    client: TestClient, db: Database, settings: Settings, shop: Shop
) -> None:
    shop.at(shanghai(D + timedelta(days=1), 9))
    _register_a_bank(client, shop.admin())
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    today = (D + timedelta(days=1)).isoformat()
    too_early = submit(admin, f"/bank/interbank?date={today}", "/bank/interbank/settle", {"date": today})
    assert too_early.status_code == 422 and "data-summary" not in too_early.text
    assert "data-job" not in too_early.text

    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    assert "/bank/interbank/settle" not in teller.get(f"/bank/interbank?date={DAY}").text
    # A forged form post (the right CSRF token for the teller's session) is refused by role.
    seed = f"{teller.cookies['finlife_token']}|/bank/interbank/settle".encode()
    token = hmac.new(settings.secret_key.encode(), seed, hashlib.sha256).hexdigest()
    refused = teller.post("/bank/interbank/settle", data={"csrf_token": token, "date": DAY})
    assert refused.status_code == 403 and "data-job" not in refused.text
    assert "无权执行此操作" in refused.text  # the role, not the CSRF check
    with db.unit_of_work() as session:
        assert session.execute(select(func.count()).select_from(Job)).scalar_one() == 0


def test_without_other_banks_the_page_settles_the_merchants_of_a_day(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    other = open_shop(client, db, settings, name="另一家餐饮有限公司")
    trade_on_d(client, bank, shop, other)
    shop.at(shanghai(D + timedelta(days=1), 9))
    admin = signed_in(client, "bank", make_user(db, settings, roles=(Role.BANK_ADMIN,)))
    before = admin.get(f"/bank/interbank?date={DAY}")
    assert "尚未接入其他银行" in before.text and "结算 2 家商户" in before.text
    today = (D + timedelta(days=1)).isoformat()
    assert "/bank/interbank/settle" not in admin.get(f"/bank/interbank?date={today}").text  # still open

    started = submit(admin, f"/bank/interbank?date={DAY}", "/bank/interbank/settle", {"date": DAY})
    assert started.status_code == 303, started.text
    jobs.wait(started.headers["location"].rsplit("/", 1)[1])
    page = admin.get(admin.get(started.headers["location"]).headers["location"])
    summary = page.text[page.text.index("data-summary") :]
    assert f"{DAY} 日终结算完成" in summary and 'data-merchants-settled="2"' in summary
    assert "本次清算" not in summary  # no bank figures without banks
    assert deposit_balance(db, shop.settlement_account_id) == 1_000 - fee(settings, 1_000)
    assert deposit_balance(db, other.settlement_account_id) == 2_000 - fee(settings, 2_000)
    assert "/bank/interbank/settle" not in page.text  # nothing left to settle that day
