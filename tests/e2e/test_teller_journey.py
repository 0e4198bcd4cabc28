"""The teller in Chromium, typing only what the person at the counter hands over — their bank card,
read off as printed, in fours — finds the customer, takes cash and prints the voucher the customer
signs. Each step is photographed (test-results/screenshots/<test>/); the customer and the card are
set up through the API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.kit.auth import Role
from tests.accounts.support import Bank
from tests.e2e.conftest import LiveServer
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, make_user
from tests.payments.support import payer

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 800}


def test_the_teller_finds_a_customer_by_card_number_and_takes_cash_with_a_voucher(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    bank = Bank(api, live_server.db, live_server.settings)
    holder = payer(bank, 0)
    printed_card = " ".join(holder.pan[i : i + 4] for i in range(0, len(holder.pan), 4))
    teller = make_user(live_server.db, live_server.settings, roles=(Role.TELLER,))

    page.set_viewport_size(DESKTOP)
    sign_in(page, "bank", teller, PASSWORD)
    page.goto("/bank/customers")
    page.get_by_label("查找客户").fill(printed_card)
    page.get_by_role("button", name="搜索").click()
    found = page.get_by_role("link", name=holder.person.name)
    expect(found).to_have_count(1)
    shot("teller-found-by-card")
    found.click()
    expect(page.get_by_role("heading", level=2, name=holder.person.name)).to_be_visible()
    # The ID number is masked; the whole one only on a stated reason (audited).
    expect(page.get_by_role("button", name="显示完整证件号")).to_be_visible()
    shot("teller-customer-page")

    account = page.locator(".teller-account").first
    account.get_by_label("存入金额（元）").fill("500.00")
    account.get_by_role("button", name="存入").click()
    expect(page.get_by_role("status")).to_contain_text("现金已存入")
    voucher = page.locator(".voucher")
    expect(voucher).to_contain_text("人民币 伍佰元整")
    expect(voucher).to_contain_text(holder.person.name)
    shot("teller-cash-voucher")
    page.locator(".back-link").click()
    expect(page.locator(".teller-account").first).to_contain_text("¥500.00")
    shot("teller-customer-deposited")
