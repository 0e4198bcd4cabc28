"""Accounts in Chromium: a teller serves a customer at the branch, the customer banks on the phone."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.customers.support import VALID_ID, id_number
from tests.e2e.conftest import ADMIN_PASSWORD, PHONE_WIDTH
from tests.e2e.support import sign_in

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 800}
PHONE = "13700137000"
NAME = "李秀英"  # the holder of VALID_ID (born 1949-12-31, female)
PASSWORD = "a-good-password-2"


def _fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]


def _sign_out(page: Page, app: str) -> None:
    page.goto("/app/me" if app == "app" else "/bank")
    page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(rf"/{app}/login$"))


def test_a_teller_serves_a_customer_who_then_banks_on_the_phone(page: Page, shot: Shot) -> None:
    # The customer signs up on the phone, and cannot open an account before being verified.
    page.set_viewport_size(PHONE_WIDTH)
    page.goto("/app/signup")
    page.get_by_label("姓名").fill(NAME)
    page.get_by_label("手机号").fill(PHONE)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="同意协议并注册").click()
    sign_in(page, "app", PHONE, PASSWORD)
    expect(page.get_by_text("还没有账户")).to_be_visible()
    shot("app-home-registered")
    page.get_by_role("link", name="开户").click()
    expect(page).to_have_url(re.compile(r"/app/accounts/open$"))
    page.get_by_label("开户行代码").fill("ICBC")
    page.get_by_label("他行账号").fill("6222020200112233")
    page.get_by_role("button", name="确认开户").click()
    expect(page.get_by_role("alert")).to_contain_text("客户身份核验等级不足：需要远程核验")
    expect(page.get_by_role("link", name="去完成实名认证")).to_be_visible()
    _fits_the_phone(page)
    shot("app-open-refused-not-verified")
    _sign_out(page, "app")

    # At the branch: the admin finds the customer, verifies the ID card, opens Class I, takes cash.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "bank", "admin", ADMIN_PASSWORD)
    page.goto(f"/bank/customers?q={PHONE}")
    page.get_by_role("link", name=NAME).click()
    expect(page.get_by_role("heading", level=2, name=NAME)).to_be_visible()
    shot("bank-customer-registered")
    verify = page.locator(".verify-card")
    verify.get_by_label("姓名").fill("李秀")
    verify.get_by_label("身份证号").fill(VALID_ID)
    verify.get_by_role("button", name="确认核验").click()
    expect(page.locator("#f-name-error")).to_have_text("姓名与客户记录不一致")
    shot("bank-verify-name-mismatch")
    page.locator(".verify-card").get_by_label("姓名").fill(NAME)
    page.locator(".verify-card").get_by_role("button", name="确认核验").click()
    expect(page.get_by_role("status")).to_contain_text("身份核验成功")
    expect(page.locator(".customer-head")).to_contain_text("面签核验")
    page.get_by_role("button", name="开立账户").click()
    expect(page.get_by_role("status")).to_contain_text("开户成功")
    account = page.locator(".teller-account").first
    account.get_by_label("存入金额（元）").fill("1,000.00")
    account.get_by_role("button", name="存入").click()
    expect(page.get_by_role("status")).to_contain_text("现金已存入")
    # The voucher the customer signs: the amount in figures and in capitals.
    expect(page.locator(".voucher")).to_contain_text("人民币 壹仟元整")
    shot("bank-cash-voucher")
    page.locator(".back-link").click()
    expect(page.locator(".teller-account").first).to_contain_text("¥1,000.00")
    shot("bank-customer-deposited")
    page.locator(".teller-account").first.get_by_role("link", name="交易明细").click()
    expect(page.get_by_role("cell", name="现金存入")).to_be_visible()
    shot("bank-account-statement")
    _sign_out(page, "bank")

    # Back on the phone: the balance, a Class II bound to the Class I, a transfer, both statements.
    page.set_viewport_size(PHONE_WIDTH)
    sign_in(page, "app", PHONE, PASSWORD)
    expect(page.locator(".account-tile")).to_contain_text("¥1,000.00")
    _fits_the_phone(page)
    shot("app-home-with-class-i")
    page.get_by_role("link", name="开户").click()
    expect(page.get_by_label("本人在本行的Ⅰ类账户", exact=True).first).to_be_checked()
    shot("app-open-form")
    page.get_by_role("button", name="确认开户").click()
    expect(page.get_by_role("status")).to_contain_text("开户成功")
    expect(page.get_by_text("转入及存现")).to_be_visible()
    _fits_the_phone(page)
    shot("app-class-ii-opened")

    page.get_by_role("link", name="转账", exact=True).click()
    page.get_by_label("付款账户").select_option(index=1)  # Class I (oldest first)
    page.get_by_label("转到本人账户").check()
    page.get_by_label("收款账户").select_option(index=2)  # the new Class II
    page.get_by_label("金额（元）").fill("100.00")
    page.get_by_label("附言（选填）").fill("零花钱")
    _fits_the_phone(page)
    shot("app-transfer-form")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("[data-fee]")).to_have_text("¥0.00")
    shot("app-transfer-confirm")
    page.get_by_role("button", name="确认转账").click()
    expect(page.get_by_role("status")).to_contain_text("转账成功")
    # The result: the amount, the payee by name, the time and a reference.
    expect(page.locator("[data-amount]")).to_have_text("-¥100.00")
    expect(page.locator("[data-counterparty]")).to_have_text(NAME)
    _fits_the_phone(page)
    shot("app-transfer-result")
    page.get_by_role("link", name="返回账户").click()
    expect(page.locator(".hero__amount")).to_have_text("¥900.00")
    expect(page.locator(".statement__line").first).to_contain_text("-¥100.00")
    _fits_the_phone(page)
    shot("app-class-i-statement")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="账户").click()
    page.locator(".account-tile").nth(1).click()
    expect(page.locator(".hero__amount")).to_have_text("¥100.00")
    expect(page.locator(".statement__line").first).to_contain_text("零花钱")
    expect(page.locator(".statement__line").first).to_contain_text("+¥100.00")
    _fits_the_phone(page)
    shot("app-class-ii-statement")

    # More than the Class II holds: refused inline, nothing moves.
    page.get_by_role("link", name="转账", exact=True).click()
    page.get_by_label("转到本人账户").check()
    page.get_by_label("收款账户").select_option(index=1)
    page.get_by_label("金额（元）").fill("500")
    page.get_by_role("button", name="下一步").click()
    page.get_by_role("button", name="确认转账").click()
    expect(page.get_by_role("alert")).to_have_text("可用余额不足")
    expect(page.get_by_label("金额（元）")).to_have_value("500")
    _fits_the_phone(page)
    shot("app-transfer-insufficient-funds")
    page.get_by_label("金额（元）").fill("12.345")
    page.get_by_role("button", name="下一步").click()
    expect(page.locator("#f-amount-error")).to_have_text("请输入大于 0 的金额，最多两位小数")
    shot("app-transfer-bad-amount")


def test_a_teller_registers_a_walk_in_customer_and_refuses_an_overdraft(page: Page, shot: Shot) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page, "bank", "admin", ADMIN_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="客户", exact=True).click()
    form = page.locator(".new-customer")
    form.get_by_label("姓名").fill("周建国")
    form.get_by_label("手机号").fill("1370013")
    form.get_by_role("button", name="创建客户").click()
    expect(page.locator("#f-phone-error")).to_have_text("手机号格式不正确")
    shot("bank-new-customer-bad-phone")
    form = page.locator(".new-customer")
    form.get_by_label("手机号").fill("13700137001")
    form.get_by_label("身份证号（选填）").fill(id_number(birth="19780502", sequence="317"))
    form.get_by_role("button", name="创建客户").click()
    expect(page.get_by_role("status")).to_contain_text("客户已创建")
    expect(page.locator(".customer-head")).to_contain_text("面签核验")
    shot("bank-walk-in-created")

    page.get_by_role("button", name="开立账户").click()
    account = page.locator(".teller-account").first
    account.get_by_label("存入金额（元）").fill("200")
    account.get_by_role("button", name="存入").click()
    expect(page.get_by_role("status")).to_contain_text("现金已存入")
    page.locator(".back-link").click()
    account = page.locator(".teller-account").first
    account.get_by_label("支取金额（元）").fill("250.00")
    account.get_by_role("button", name="支取").click()
    expect(page.locator(".teller-account").first.get_by_role("alert")).to_have_text("可用余额不足")
    expect(page.locator(".teller-account").first).to_contain_text("¥200.00")
    shot("bank-withdrawal-refused")
    page.locator(".teller-account").first.get_by_label("支取金额（元）").fill("50")
    page.locator(".teller-account").first.get_by_role("button", name="支取").click()
    expect(page.get_by_role("status")).to_contain_text("现金已支取")
    expect(page.locator(".voucher")).to_contain_text("现金取款凭证")
    page.locator(".back-link").click()
    expect(page.locator(".teller-account").first).to_contain_text("¥150.00")
    page.get_by_role("button", name="开立账户").click()  # Class II next, at the counter no binding needed
    expect(page.locator(".teller-account")).to_have_count(2)
    shot("bank-walk-in-two-accounts")
