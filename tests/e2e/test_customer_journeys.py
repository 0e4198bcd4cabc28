"""The customer's journeys in Chromium on a 375 px phone, typing only what a person knows — their
phone and password, a friend's card number and name, the shop's QR code as the camera reads it —
never an id read from the API: pay and see the result, review from the order list, transfer by card
number with the name checked and the payment password, change both passwords. Each step is
photographed (test-results/screenshots/<test>/); the shops and money are set up through the API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from tests.accounts.support import Bank
from tests.cashier.support import Till, add_terminal, new_order
from tests.e2e.conftest import LiveServer
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, add_cashier, add_store, approved_merchant
from tests.payments.support import order_qr, payer, tender

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
STORE = "南京西路面馆"


def _fits_the_phone(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{page.url} is {width}px wide"


def _me(page: Page, link: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的").click()
    page.get_by_role("link", name=link).first.click()


def test_pay_see_the_result_and_review_from_the_order_list(
    phone_page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    logins = approved_merchant(
        api, live_server.db, live_server.settings, legal_name="上海南京西路面馆有限公司"
    )
    store_id = add_store(api, logins.owner, logins.merchant_id, name=STORE, opening_hours="00:00-24:00")
    terminal_id = add_terminal(api, logins.owner, store_id)
    cashier = add_cashier(api, logins.owner, logins.merchant_id, [store_id])
    till = Till(logins.merchant_id, logins.owner, cashier, store_id, terminal_id)
    customer = payer(Bank(api, live_server.db, live_server.settings), 100_000)
    order = new_order(api, till, [{"name": "葱油拌面", "amount": 2_850}])["id"]
    scanned = order_qr(api, till, order)  # what the phone's camera reads off the till's screen

    page = phone_page
    sign_in(page, "app", customer.person.phone, PASSWORD)
    page.goto("/app/pay")
    page.get_by_label("二维码内容").fill(scanned)
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="确认付款 ¥28.50").click()
    result = page.locator("[data-result=paid]")
    expect(result).to_contain_text("¥28.50")
    expect(page.locator("[data-payee]")).to_contain_text(STORE)
    expect(page.locator("[data-reference]")).to_have_text(re.compile(r"^[0-9A-Z]{4}( [0-9A-Z]{4}){4}$"))
    _fits_the_phone(page)
    shot("paid-result")

    _me(page, "我的订单")
    expect(page.locator("[data-order-line]").first).to_contain_text(STORE)
    page.get_by_role("link", name="待评价", exact=True).click()
    line = page.locator("[data-order-line]").filter(has_text=STORE)
    expect(line).to_contain_text("¥28.50")
    _fits_the_phone(page)
    shot("orders-to-review")
    line.get_by_role("link", name="去评价").click()
    expect(page.locator(".hero__sub")).to_contain_text(f"{STORE} · ¥28.50")
    page.get_by_label("5 星").check()
    page.get_by_label("说说您的体验（选填）").fill("面条筋道，汤头鲜")
    shot("review-form")
    page.get_by_role("button", name="发表评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    expect(page.locator(".reviews")).to_contain_text("面条筋道")
    page.goto("/app/orders?show=to_review")
    expect(page.get_by_text("没有待评价的订单")).to_be_visible()

    page.get_by_role("link", name="EN").click()
    page.get_by_role("link", name="All", exact=True).click()
    expect(page.locator("[data-order-line]").first).to_contain_text("Reviewed")
    shot("orders-in-english")


def test_the_payment_code_page_shows_the_result_once_a_cashier_took_the_code(
    phone_page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    logins = approved_merchant(
        api, live_server.db, live_server.settings, legal_name="上海南京西路茶饮有限公司"
    )
    store_id = add_store(
        api, logins.owner, logins.merchant_id, name="南京西路茶饮", opening_hours="00:00-24:00"
    )
    terminal_id = add_terminal(api, logins.owner, store_id)
    cashier = add_cashier(api, logins.owner, logins.merchant_id, [store_id])
    till = Till(logins.merchant_id, logins.owner, cashier, store_id, terminal_id)
    customer = payer(Bank(api, live_server.db, live_server.settings), 100_000)

    page = phone_page
    sign_in(page, "app", customer.person.phone, PASSWORD)
    page.locator(".quick-action").filter(has_text="付款码").click()
    page.get_by_role("button", name="显示付款码").click()
    code = page.locator("[data-code]").get_attribute("data-code")  # what the till's scanner reads
    assert code
    shot("payment-code-shown")
    order = new_order(api, till, [{"name": "杨枝甘露", "amount": 1_600}])["id"]
    taken = tender(api, till, order, {"method": "payment_code", "amount": 1_600, "code": code})
    assert taken.status_code == 201, taken.text
    # No tap: the page learns the code was taken and opens the payment's result.
    expect(page.locator("[data-result=paid]")).to_contain_text("¥16.00", timeout=10_000)
    expect(page.locator("[data-payee]")).to_contain_text("南京西路茶饮")
    _fits_the_phone(page)
    shot("payment-code-result")


def test_transfer_by_card_number_with_the_name_checked_and_the_payment_password(
    phone_page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    bank = Bank(api, live_server.db, live_server.settings)
    me, friend = payer(bank, 1_000_000), payer(bank, 0)
    printed_card = " ".join(friend.pan[i : i + 4] for i in range(0, len(friend.pan), 4))
    masked = "*" * (len(friend.person.name) - 1) + friend.person.name[-1]

    page = phone_page
    sign_in(page, "app", me.person.phone, PASSWORD)
    _me(page, "支付密码")
    page.get_by_label("登录密码").fill(PASSWORD)
    page.get_by_label("新支付密码").fill("258036")
    page.get_by_label("再次输入").fill("258036")
    shot("payment-password-set")
    page.get_by_role("button", name="设置支付密码").click()
    expect(page.get_by_role("status")).to_contain_text("支付密码已保存")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页").click()
    page.locator(".quick-action").filter(has_text="转账").click()
    expect(page.locator("[data-limits]").first).to_be_visible()  # the limits, before typing
    page.get_by_label("收款账号或卡号").fill(printed_card)
    page.get_by_label("收款人姓名").fill("王五")
    page.get_by_label("金额（元）").fill("6,000")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#f-payee_name-error")).to_contain_text("收款人户名与账户不符")
    _fits_the_phone(page)
    shot("transfer-name-mismatch")
    page.get_by_label("收款人姓名").fill(friend.person.name)
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("[data-payee]")).to_have_text(f"{masked} · 尾号 {friend.pan[-4:]}")
    expect(page.locator("[data-fee]")).to_have_text("¥0.00")
    expect(page.get_by_text("实时到账")).to_be_visible()
    page.get_by_label("支付密码").fill("147025")
    page.get_by_role("button", name="确认转账").click()
    expect(page.locator("#f-payment_password-error")).to_contain_text("支付密码错误，还可尝试 4 次")
    shot("transfer-wrong-payment-password")
    page.get_by_label("支付密码").fill("258036")
    _fits_the_phone(page)
    shot("transfer-confirm")
    page.get_by_role("button", name="确认转账").click()
    expect(page.get_by_role("status")).to_contain_text("转账成功")
    expect(page.locator("[data-amount]")).to_have_text("-¥6,000.00")
    expect(page.locator("[data-counterparty]")).to_have_text(friend.person.name)
    _fits_the_phone(page)
    shot("transfer-result")
    assert bank.balance(friend.account_id) == 600_000


def test_change_both_passwords_with_the_old_ones(
    phone_page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    person = Bank(api, live_server.db, live_server.settings).customer()
    page = phone_page
    sign_in(page, "app", person.phone, PASSWORD)
    _me(page, "登录密码")
    page.get_by_label("原登录密码").fill("not-my-password")
    page.get_by_label("新登录密码").fill("a-new-password-7")
    page.get_by_label("再次输入").fill("a-new-password-7")
    page.get_by_role("button", name="修改登录密码").click()
    expect(page.locator("#f-old_password-error")).to_contain_text("登录密码错误")
    shot("password-old-wrong")
    page.get_by_label("原登录密码").fill(PASSWORD)
    page.get_by_label("新登录密码").fill("a-new-password-7")
    page.get_by_label("再次输入").fill("a-new-password-7")
    page.get_by_role("button", name="修改登录密码").click()
    expect(page.get_by_role("status")).to_contain_text("登录密码已修改")

    _me(page, "支付密码")
    page.get_by_label("登录密码").fill("a-new-password-7")
    page.get_by_label("新支付密码").fill("258036")
    page.get_by_label("再次输入").fill("258036")
    page.get_by_role("button", name="设置支付密码").click()
    _me(page, "支付密码")
    page.get_by_label("原支付密码").fill("258036")
    page.get_by_label("新支付密码").fill("147025")
    page.get_by_label("再次输入").fill("147025")
    shot("payment-password-change")
    page.get_by_role("button", name="修改支付密码").click()
    expect(page.get_by_role("status")).to_contain_text("支付密码已保存")

    page.get_by_role("button", name="退出登录").click()
    sign_in(page, "app", person.phone, "a-new-password-7")
    shot("signed-in-with-the-new-password")
