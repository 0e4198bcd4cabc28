"""Long work in Chromium: a bank admin settles a past day from the net positions page, watches the
progress bar of the run, then reads what it did.

The settlement waits at its first merchant until the test lets it go (the live server runs in this
process, so the test holds a gate in the settlement service): the bar is seen for certain, with no
sleeping. The shop's sales and the other bank are set up through the API against the live server's
database, three days ago (Asia/Shanghai), so every frozen moment lies in the past.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.settlement import service as settlement
from finlife.settlement.service import run as settlement_run
from tests.accounts.support import Bank
from tests.e2e.conftest import LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import AXE, report, violations
from tests.factories import PASSWORD, headers, make_user, staff_token
from tests.payments.support import card, order_of, payer, tender
from tests.settlement.support import open_shop, shanghai

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 900}


def _no_serious_findings(page: Page) -> None:
    if AXE.is_file():  # the accessibility suite says loudly when axe-core is missing
        found = violations(page, AXE.read_text(encoding="utf-8"))
        assert not found, f"axe on {page.url}:\n{report(found)}"


def test_an_admin_settles_a_day_and_watches_its_progress(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, settings = live_server.db, live_server.settings
    day = clock.business_day() - timedelta(days=3)
    clock.freeze(shanghai(day, 10))
    shop = open_shop(api, db, settings, name="上海进度条面包有限公司")
    shop.at(shanghai(day, 12))
    order_id = order_of(api, shop.till, 4_200)
    assert (
        tender(api, shop.till, order_id, card(payer(Bank(api, db, settings), 100_000), 4_200)).status_code
        == 201
    )
    clock.freeze(shanghai(day + timedelta(days=1), 9))
    bank = {"code": "PGB", "name": "进度测试银行", "bins": ["623501"], "iso8583_endpoints": ["127.0.0.1:9"]}
    added = api.post("/v1/banks", json=bank, headers=headers(staff_token(api, db, settings, Role.BANK_ADMIN)))
    assert added.status_code == 201, added.text
    officer = make_user(db, settings, roles=(Role.BANK_ADMIN,))

    gate = threading.Event()
    settle_merchant = settlement.settle_merchant

    def held(*args, **kwargs):  # type: ignore[no-untyped-def]
        gate.wait(60)
        return settle_merchant(*args, **kwargs)

    monkeypatch.setattr(settlement_run, "settle_merchant", held)  # where the run calls it
    try:
        page.set_viewport_size(DESKTOP)
        sign_in(page, "bank", officer, PASSWORD)
        page.goto(f"/bank/interbank?date={day.isoformat()}")
        expect(page.locator('tr[data-position="PGB"]')).to_contain_text("未清算")
        page.get_by_role("button", name=re.compile(r"清算 \d+ 家银行的净额")).click()

        expect(page).to_have_url(re.compile(r"/bank/jobs/job_\w+$"))
        bar = page.get_by_role("progressbar", name="进度")
        expect(bar).to_be_visible()
        expect(page.locator("[data-job-text]")).to_have_text(re.compile(r"^0 / \d+ — 正在逐户结算商户…$"))
        expect(bar).to_have_attribute("value", "0")
        expect(page.locator("[data-job-refresh]")).to_be_hidden()  # the script refreshes it
        _no_serious_findings(page)
        shot("progress")
    finally:
        gate.set()

    expect(page).to_have_url(
        re.compile(rf"/bank/interbank\?date={day.isoformat()}&job=job_\w+$"), timeout=20_000
    )
    summary = page.locator("[data-summary]")
    expect(summary).to_contain_text(f"{day.isoformat()} 清算完成")
    expect(summary.locator("[data-merchants-settled]")).to_contain_text("商户结算")
    expect(page.locator('tr[data-position="PGB"]')).to_have_attribute("data-settled", "yes")
    _no_serious_findings(page)
    shot("settled")
