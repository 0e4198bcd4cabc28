"""Wealth in Chromium: a customer buys into the fund, sees the yield chart and switches the sweep on,
on a 375 px phone, in both languages; a merchant's owner sweeps the settlement account."""

from __future__ import annotations

import itertools
import re

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.accounts.support import Bank
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, approved_merchant
from tests.wealth.support import Wealth

pytestmark = pytest.mark.browser
_codes = itertools.count(1)


def _fund(api: TestClient, live_server: LiveServer) -> tuple[Bank, Wealth, str]:
    bank = Bank(api, live_server.db, live_server.settings)
    wealth = Wealth(bank)
    fund_id = wealth.fund(f"E2E{next(_codes)}", "好收益货币基金")
    assert wealth.publish(fund_id, "2026-12-03", "0.5012", "1.7010").status_code == 201
    assert wealth.publish(fund_id, "2026-12-04", "0.5234", "1.7420").status_code == 201
    return bank, wealth, fund_id


def test_a_customer_buys_in_and_sweeps_on_the_phone(
    page: Page, api: TestClient, live_server: LiveServer
) -> None:
    bank, _, _ = _fund(api, live_server)
    person = bank.customer()
    bank.funded(person, 500_000)
    page.set_viewport_size(PHONE_WIDTH)
    sign_in(page, "app", person.phone, PASSWORD)
    page.goto("/app/wealth")
    expect(page.get_by_role("heading", name="理财", level=1)).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("从 1.7010% 到 1.7420%"))).to_be_visible()
    page.locator("#s-amount").fill("1,000.50")
    page.get_by_role("button", name="买入").click()
    expect(page).to_have_url(re.compile(r"/app/wealth$"))
    expect(page.get_by_text("¥1,000.50").first).to_be_visible()
    page.locator("#r-amount").fill("2000")
    page.get_by_role("button", name="赎回").click()
    expect(page.locator("#r-amount-error")).to_contain_text("持有份额不足，当前持有 ¥1,000.50")
    expect(page.locator("#s-amount-error")).to_have_count(0)  # beside the form that was sent only
    page.locator("#r-amount").fill("500")
    page.get_by_role("button", name="赎回").click()
    expect(page.get_by_text("¥500.50").first).to_be_visible()
    page.locator("#w-keep-1").fill("200")
    page.get_by_role("button", name="开启").click()
    expect(page.get_by_text(re.compile("已开启：保留 ¥200.00"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
    page.get_by_role("link", name="EN").first.click()
    expect(page.get_by_role("heading", name="Wealth", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile("On: keeps ¥200.00"))).to_be_visible()
    page.get_by_role("button", name="Switch off").click()
    expect(page.get_by_text("Off", exact=True)).to_be_visible()
    page.get_by_role("link", name="中文").first.click()


def test_a_merchants_owner_sweeps_the_settlement_account(
    page: Page, api: TestClient, live_server: LiveServer
) -> None:
    _fund(api, live_server)
    merchant = approved_merchant(api, live_server.db, live_server.settings)
    sign_in(page, "merchant", merchant.owner_username, PASSWORD)
    page.goto("/merchant/wealth")
    expect(page.get_by_text("未开启")).to_be_visible()
    page.locator("#w-keep-1").fill("1000")
    page.get_by_role("button", name="开启").click()
    expect(page.get_by_text(re.compile("已开启：保留 ¥1,000.00"))).to_be_visible()
