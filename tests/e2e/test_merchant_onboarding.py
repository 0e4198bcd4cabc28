"""Becoming a merchant in Chromium: a customer applies on the phone, the bank approves, the owner sets
up a store, a terminal, a cashier and goods in the merchant console, and the cashier reads the goods."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.customers.support import id_number
from tests.e2e.conftest import ADMIN_PASSWORD, PHONE_WIDTH
from tests.e2e.support import sign_in
from tests.factories import credit_code

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 800}
PHONE = "13700137100"
NAME = "王建华"
ID_NUMBER = id_number(region="310104", birth="19800315", sequence="271")
PASSWORD = "a-good-password-3"
CASHIER = "xiaoli"
CASHIER_PASSWORD = "cashier-password-4"
LEGAL_NAME = "上海建华咖啡有限公司"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="退出登录").click()
    expect(page.get_by_role("status")).to_contain_text("您已安全退出")


def _fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]


def _customer_gets_a_class_i_account(page: Page) -> None:
    page.set_viewport_size(PHONE_WIDTH)
    page.goto("/app/signup")
    page.get_by_label("姓名").fill(NAME)
    page.get_by_label("手机号").fill(PHONE)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="同意协议并注册").click()
    expect(page.get_by_role("status")).to_contain_text("注册成功")

    page.set_viewport_size(DESKTOP)
    sign_in(page, "bank", "admin", ADMIN_PASSWORD)
    page.goto(f"/bank/customers?q={PHONE}")
    page.get_by_role("link", name=NAME).click()
    verify = page.locator(".verify-card")
    verify.get_by_label("姓名").fill(NAME)
    verify.get_by_label("身份证号").fill(ID_NUMBER)
    verify.get_by_role("button", name="确认核验").click()
    expect(page.get_by_role("status")).to_contain_text("身份核验成功")
    page.get_by_role("button", name="开立账户").click()
    expect(page.get_by_role("status")).to_contain_text("开户成功")
    _sign_out(page)


def test_a_customer_becomes_a_merchant_and_sets_up_shop(page: Page, shot: Shot) -> None:
    _customer_gets_a_class_i_account(page)

    # On the phone: the application, refused once for a mistyped credit code, then waiting.
    page.set_viewport_size(PHONE_WIDTH)
    sign_in(page, "app", PHONE, PASSWORD)
    page.goto("/app/merchant-application")
    expect(page.get_by_label("结算账户")).to_contain_text("Ⅰ类账户")
    page.get_by_label("营业执照名称").fill(LEGAL_NAME)
    page.get_by_label("统一社会信用代码").fill("91310000000000000X")
    page.get_by_label("商户类别码（MCC）").select_option("5814")
    page.get_by_label("经营类别").select_option("cafe")
    page.get_by_label("联系人（选填）").fill("王经理")
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#f-credit_code-error")).to_have_text("统一社会信用代码校验失败")
    _fits_the_phone(page)
    shot("app-application-bad-credit-code")
    page.get_by_label("统一社会信用代码").fill(credit_code())
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_role("status")).to_contain_text("申请已提交")
    expect(page.get_by_role("heading", name="等待银行审核")).to_be_visible()
    _fits_the_phone(page)
    shot("app-application-waiting")
    page.goto("/app/me")
    _sign_out(page)

    # At the bank: the pending application comes first; the admin approves it.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "bank", "admin", ADMIN_PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="商户").click()
    expect(page.locator(".tabs__item[aria-current=page]")).to_contain_text("待审核")
    shot("bank-merchants-pending")
    page.get_by_role("link", name=LEGAL_NAME).click()
    expect(page.get_by_role("heading", level=2, name=LEGAL_NAME)).to_be_visible()
    shot("bank-merchant-application")
    page.get_by_role("button", name="拒绝申请").click()
    expect(page.locator("#f-reason-error")).to_have_text("请填写拒绝原因")
    page.get_by_role("button", name="审批通过").click()
    expect(page.get_by_role("status")).to_contain_text("商户已开通")
    expect(page.locator(".entity-head")).to_contain_text("已开通")
    shot("bank-merchant-approved")
    _sign_out(page)

    # Back on the phone: approved, and sent to the merchant console's sign-in for the owner's role.
    page.set_viewport_size(PHONE_WIDTH)
    sign_in(page, "app", PHONE, PASSWORD)
    page.goto("/app/merchant-application")
    expect(page.get_by_role("heading", name="审核通过，商户已开通")).to_be_visible()
    _fits_the_phone(page)
    shot("app-application-approved")
    page.get_by_role("link", name="进入商户中心").click()
    expect(page).to_have_url(re.compile(r"/merchant/login\?next="))

    # The owner's console: home, a store, a terminal, a cashier and two goods.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "merchant", PHONE, PASSWORD, landing="/merchant")
    expect(page.locator(".entity-head")).to_contain_text(LEGAL_NAME)
    expect(page.locator(".entity-head")).to_contain_text("店主")
    shot("merchant-home-new")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="门店").click()
    form = page.locator(".new-store")
    form.get_by_label("门店名称").fill("徐家汇店")
    form.get_by_label("地址").fill("上海市徐汇区虹桥路1号")
    form.get_by_label("区域").fill("徐汇区")
    form.get_by_label("纬度").fill("31.1945")
    form.get_by_label("经度").fill("121.437")
    form.get_by_label("门店类别").select_option("cafe")
    form.get_by_label("营业时间").fill("8点到10点")
    form.get_by_role("button", name="创建门店").click()
    expect(page.locator("#f-opening_hours-error")).to_have_text("营业时间格式应为 10:00-22:00")
    shot("merchant-store-bad-hours")
    page.locator(".new-store").get_by_label("营业时间").fill("08:00-22:00")
    page.locator(".new-store").get_by_role("button", name="创建门店").click()
    expect(page.get_by_role("status")).to_contain_text("门店已创建")
    page.locator(".add-terminal").get_by_role("button", name="绑定终端").click()
    expect(page.get_by_role("status")).to_contain_text("终端已绑定")
    terminal = page.locator("[data-terminal]").first.get_attribute("data-terminal")
    assert terminal is not None
    expect(page.get_by_role("cell", name=terminal)).to_be_visible()
    shot("merchant-store-with-terminal")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="员工").click()
    form = page.locator(".add-cashier")
    form.get_by_label("姓名").fill("李小丽")
    form.get_by_label("用户名").fill(CASHIER)
    form.get_by_label("初始密码").fill(CASHIER_PASSWORD)
    form.get_by_label("徐家汇店").check()
    form.get_by_role("button", name="添加收银员").click()
    expect(page.get_by_role("status")).to_contain_text("收银员已添加")
    expect(page.get_by_role("cell", name="李小丽", exact=True)).to_be_visible()  # its actions name it too
    shot("merchant-staff")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="商品").click()
    form = page.locator(".new-item")
    form.get_by_label("商品名称").fill("拿铁咖啡")
    form.get_by_label("分类").fill("咖啡")
    page.locator("#f-variation_name_0").fill("中杯")
    page.locator("#f-variation_sku_0").fill("LATTE-M")
    page.locator("#f-variation_price_0").fill("18.5")
    page.locator("#f-variation_stock_0").fill("40")
    page.locator("#f-variation_name_1").fill("大杯")
    page.locator("#f-variation_sku_1").fill("LATTE-L")
    page.locator("#f-variation_price_1").fill("21")
    shot("merchant-new-item-form")
    form.get_by_role("button", name="创建商品").click()
    expect(page.get_by_role("status")).to_contain_text("商品已创建")
    expect(page.locator("#f-variation_price_0")).to_have_value("18.50")
    shot("merchant-item-page")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="商品").click()
    page.locator(".new-item__summary").click()  # folded away once the merchant has goods
    form = page.locator(".new-item")
    form.get_by_label("商品名称").fill("芝士蛋糕")
    form.get_by_label("分类").fill("甜点")
    page.locator("#f-variation_name_0").fill("标准")
    page.locator("#f-variation_sku_0").fill("LATTE-M")
    page.locator("#f-variation_price_0").fill("28")
    form.get_by_role("button", name="创建商品").click()
    expect(page.locator("#f-variation_sku_0-error")).to_have_text("商品编码 LATTE-M 已被使用")
    page.locator("#f-variation_sku_0").fill("CAKE-1")
    page.locator(".new-item").get_by_role("button", name="创建商品").click()
    expect(page.get_by_role("status")).to_contain_text("商品已创建")
    page.goto("/merchant/goods")
    expect(page.locator("tr[data-item]")).to_have_count(2)
    shot("merchant-goods")
    page.goto("/merchant")
    expect(page.locator(".stat-link").filter(has_text="商品")).to_contain_text("2")
    shot("merchant-home-set-up")
    _sign_out(page)

    # The cashier: their store, the goods read-only, no staff page.
    sign_in(page, "merchant", CASHIER, CASHIER_PASSWORD)
    expect(page.locator(".entity-head")).to_contain_text("收银员")
    shot("cashier-home")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="商品").click()
    expect(page.locator("tr[data-item]")).to_have_count(2)
    expect(page.locator(".new-item")).to_have_count(0)
    shot("cashier-goods")
    page.get_by_role("link", name="拿铁咖啡").click()
    expect(page.get_by_text("收银员可查看商品，修改请联系店主")).to_be_visible()
    expect(page.get_by_role("button", name="保存修改")).to_have_count(0)
    shot("cashier-item-read-only")
    page.goto("/merchant/staff")
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()
