"""The owner in Chromium: reads today's figures on the merchant home, sees the bank's offer at their
store on the campaigns page, edits the store's details, then disables a cashier (who can no longer
sign in), enables them again and gives them a new password, which the cashier signs in with.

The shop, a paid sale and the bank's campaign are set up through the API; everything the owner and
the cashier do goes through the pages, with names and values a person knows (no ids). Each page is
checked with axe and at 375 px.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from finlife.kit.auth import Role
from tests.accounts.support import Bank
from tests.cashier.support import Till, add_terminal, goods, new_order
from tests.catalog.support import variation
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations  # noqa: F401 (a fixture)
from tests.factories import PASSWORD, add_store, approved_merchant, headers, staff_token
from tests.payments.support import order_qr, shift_of

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
TABLET = {"width": 1024, "height": 768}
CASHIER = "xiaohong"
CASHIER_NAME = "李小红"


def _shop(api: TestClient, live_server: LiveServer) -> str:
    """A café with a store, a terminal, a cashier, a latte sold and paid today, and a bank campaign
    over every store; the owner's username."""
    db, settings = live_server.db, live_server.settings
    logins = approved_merchant(api, db, settings, legal_name="上海晨光咖啡有限公司")
    store_id = add_store(api, logins.owner, logins.merchant_id, name="徐家汇店", category="cafe")
    terminal_id = add_terminal(api, logins.owner, store_id)
    body = {"username": CASHIER, "password": PASSWORD, "name": CASHIER_NAME, "store_ids": [store_id]}
    added = api.post(f"/v1/merchants/{logins.merchant_id}/staff", json=body, headers=headers(logins.owner))
    assert added.status_code == 201, added.text
    cashier = api.post(
        "/v1/auth/token",
        data={"grant_type": "password", "username": CASHIER, "password": PASSWORD},
        headers={"X-Channel": "pos"},
    ).json()["access_token"]
    till = Till(logins.merchant_id, logins.owner, cashier, store_id, terminal_id)
    goods(api, till, variation(name="中杯", price=3_600))
    shift_of(api, till)
    order_id = new_order(api, till, [{"name": "拿铁咖啡", "amount": 3_600}])["id"]
    bank = Bank(api, db, settings)
    person = bank.customer()
    account_id = bank.funded(person, 100_000)
    paid = api.post(
        "/v1/qr/payments",
        json={"payload": order_qr(api, till, order_id), "account_id": account_id},
        headers=headers(person.token, channel="mobile", **{"Idempotency-Key": f"owner-{order_id}"}),
    )
    assert paid.status_code == 201, paid.text
    author = staff_token(api, db, settings, Role.HQ_MARKETING)
    campaign = {
        "name": "银行周末满减",
        "kind": "threshold",
        "value": 1_000,
        "min_spend": 5_000,
        "funding": {"hq": 100},
        "budget": {"hq": 100_000},
        "stock": 500,
        "valid_to": "2099-12-31T16:00:00Z",
        # Only this merchant's stores: the browser tests share one server, and a bank offer at every
        # store would show on the other tests' store cards.
        "merchant_ids": [logins.merchant_id],
    }
    created = api.post("/v1/campaigns", json=campaign, headers=headers(author))
    assert created.status_code == 201, created.text
    campaign_id = created.json()["id"]
    assert api.post(f"/v1/campaigns/{campaign_id}/submit", headers=headers(author)).status_code == 200
    approver = staff_token(api, db, settings, Role.HQ_MARKETING)
    approved = api.post(f"/v1/campaigns/{campaign_id}/approve", headers=headers(approver))
    assert approved.json()["status"] == "live", approved.text
    return logins.owner_username


def _axe(page: Page, axe_source: str) -> None:  # noqa: F811
    """axe on the page as it stands (a refusal, a password shown once: states no address reopens)."""
    found = violations(page, axe_source)
    assert not found, f"axe on {page.url}:\n{report(found)}"


def _fits(page: Page) -> None:
    """Also at 375 px, nothing scrolls sideways; then back to the tablet."""
    page.set_viewport_size(PHONE_WIDTH)
    # The elements past the edge, leaving out those inside a box that scrolls (the console's menu).
    wide = page.evaluate(
        "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w"
        " && !e.parentElement.closest('.sidenav, .table-wrap'))"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className)",
        PHONE_WIDTH["width"],
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"], (page.url, wide)
    page.set_viewport_size(TABLET)


def _nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=label).click()


def _cashier_signs_in(browser: Browser, live_server: LiveServer, password: str) -> Page:
    context = browser.new_context(base_url=live_server.url, viewport=TABLET)
    till = context.new_page()
    till.goto("/merchant/login")
    till.get_by_label("用户名").fill(CASHIER)
    till.get_by_label("密码", exact=True).fill(password)
    till.get_by_role("button", name="登录").click()
    return till


def test_the_owner_reads_the_day_and_edits_a_store_and_a_cashier(
    page: Page,
    browser: Browser,
    api: TestClient,
    live_server: LiveServer,
    shot: Shot,
    axe_source: str,  # noqa: F811
) -> None:
    owner = _shop(api, live_server)
    page.set_viewport_size(TABLET)
    sign_in(page, "merchant", owner, PASSWORD)

    # Today so far: the latte sold, one order, its price the average ticket.
    takings = page.locator(".home-takings")
    expect(takings.locator("[data-figure=takings]")).to_contain_text("¥36.00")
    expect(takings.locator("[data-figure=orders]")).to_contain_text("1")
    expect(takings.locator("[data-figure=ticket]")).to_contain_text("¥36.00")
    _fits(page)
    shot("home-today")

    # The bank's offer at the store, what the bank pays and until when, in words.
    _nav(page, "营销活动")
    offers = page.locator(".bank-campaigns")
    expect(offers).to_contain_text("银行周末满减")
    expect(offers).to_contain_text("银行全额承担")
    expect(offers).to_contain_text("适用门店：徐家汇店")
    expect(offers).to_contain_text("2100-01-01")
    _axe(page, axe_source)
    _fits(page)
    shot("bank-offers")

    # The store: new name and hours, a refusal first, then saved.
    _nav(page, "门店")
    page.get_by_role("link", name="徐家汇店").click()
    page.get_by_role("link", name="编辑门店").click()
    expect(page.get_by_label("门店名称")).to_have_value("徐家汇店")
    expect(page.get_by_label("门店名称")).to_have_attribute("aria-required", "true")
    expect(page.get_by_text("带 * 的为必填项")).to_be_visible()
    page.get_by_label("营业时间").fill("早上七点")
    page.get_by_role("button", name="保存修改").click()
    expect(page.locator("#f-opening_hours-error")).to_be_visible()
    _axe(page, axe_source)
    _fits(page)
    shot("store-edit-refused")
    page.get_by_label("门店名称").fill("徐家汇旗舰店")
    page.get_by_label("营业时间").fill("07:30-21:00")
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_role("status")).to_contain_text("门店信息已保存")
    expect(page.get_by_role("heading", name="徐家汇旗舰店", level=1)).to_be_visible()
    expect(page.locator(".dl")).to_contain_text("07:30-21:00")
    shot("store-saved")

    # The cashier: disabled, refused at sign-in, enabled again, then a new password handed over.
    _nav(page, "员工")
    row = page.locator("tr", has_text=CASHIER_NAME)
    row.get_by_role("button", name=f"停用 {CASHIER_NAME}").click()
    expect(page.get_by_role("status")).to_contain_text("已停用，该员工无法再登录")
    expect(page.locator("tr", has_text=CASHIER_NAME)).to_contain_text("已停用")
    shot("cashier-disabled")
    till = _cashier_signs_in(browser, live_server, PASSWORD)
    expect(till.get_by_role("alert")).to_contain_text("该账号已被停用")
    till.context.close()
    page.locator("tr", has_text=CASHIER_NAME).get_by_role("button", name=f"启用 {CASHIER_NAME}").click()
    expect(page.get_by_role("status")).to_contain_text("已启用")
    row = page.locator("tr", has_text=CASHIER_NAME)
    row.get_by_label(f"重置密码 {CASHIER_NAME}").click()
    row.get_by_role("button", name=f"确认重置 {CASHIER_NAME} 的密码").click()
    new_password = page.locator("[data-temporary-password]")
    expect(new_password).to_have_text(re.compile(r"^\w{12}$"))
    password = new_password.inner_text()
    _axe(page, axe_source)
    _fits(page)
    shot("cashier-new-password")
    till = _cashier_signs_in(browser, live_server, password)
    expect(till).to_have_url(re.compile(r"/merchant$"))
    expect(till.get_by_text("上海晨光咖啡有限公司").first).to_be_visible()
    till.context.close()
