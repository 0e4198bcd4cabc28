"""The O2O loop across the three apps in one test, each person in their own browser:

a bank officer approves a merchant; the owner opens a store, adds goods and draws up a campaign the
branch co-funds; the officer approves it; a customer signs up on a 375 px phone, is verified and given
money at the branch, finds the store nearby and claims the coupon; the cashier rings up an order with
the coupon's code at the POS and shows the QR; the customer pastes the QR into the app and pays; the
customer reviews the visit; the owner sees the sale, the discount and the review in the daily report;
the officer sees the coupon, its discount, the payment and the review on the customer page.

Only the merchant's application (a customer with a Class I account applying through the API) is set
up before the browsers start; every later step is a person on a page. Each step is photographed, in
order, under test-results/screenshots/<this test>/.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from finlife.app import create_app
from finlife.kit.auth import Role
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, applicant, headers, make_user, merchant_body, resident_id

pytestmark = pytest.mark.browser

Snap = Callable[[Page, str], None]
DESKTOP = {"width": 1280, "height": 900}
LEGAL_NAME = "上海外滩小笼馆有限公司"
STORE = "外滩小笼馆"
DISH = "蟹粉小笼"
CAMPAIGN = "小笼尝鲜立减8元"
CUSTOMER_NAME = "陈思远"
CUSTOMER_PHONE = "13700137600"
CUSTOMER_PASSWORD = "a-good-password-6"


@pytest.fixture
def snap(screenshots: Path, request: pytest.FixtureRequest) -> Snap:
    """A whole-page picture of any of the test's pages, numbered in the order of the loop."""
    folder = screenshots / re.sub(r"[^\w.-]+", "_", request.node.name)
    taken = itertools.count(1)

    def take(page: Page, step: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        assert size is not None
        height = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
        try:
            page.screenshot(path=str(folder / f"{next(taken):02d}-{step}.png"), full_page=True)
        finally:
            page.set_viewport_size(size)

    return take


@pytest.fixture
def people(browser: Browser, live_server: LiveServer) -> Iterator[Callable[..., Page]]:
    """``person(phone=True)``: a new browser of its own (cookies, screen, position) for one person."""
    contexts = []

    def open_browser(*, phone: bool = False) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE_WIDTH if phone else DESKTOP,
            # The phone stands at the Bund, a few hundred metres from the store.
            geolocation={"latitude": 31.2400, "longitude": 121.4900} if phone else None,
            permissions=["geolocation"] if phone else [],
        )
        contexts.append(context)
        page = context.new_page()
        page.emulate_media(reduced_motion="reduce")
        return page

    yield open_browser
    for context in contexts:
        context.close()


def _application(live_server: LiveServer) -> str:
    """A customer with a Class I account applies to be a merchant (the app's form has its own test)."""
    with TestClient(create_app(live_server.settings, check_schema=False)) as api:
        person = applicant(api, live_server.db, live_server.settings, name="周老板")
        body = merchant_body(person.account_id, legal_name=LEGAL_NAME)
        applied = api.post("/v1/merchants", json=body, headers=headers(person.token))
        assert applied.status_code == 201, applied.text
    return person.username


def _fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]


def _nav(page: Page, label: str) -> None:
    page.get_by_role("navigation", name="主导航").get_by_role("link", name=label).click()


def _officer_approves_the_merchant(bank: Page, officer: str, snap: Snap) -> None:
    sign_in(bank, "bank", officer, PASSWORD)
    _nav(bank, "商户")
    bank.get_by_role("link", name=LEGAL_NAME).click()
    bank.get_by_role("button", name="审批通过").click()
    expect(bank.get_by_role("status")).to_contain_text("商户已开通")
    snap(bank, "bank-merchant-approved")


def _owner_sets_up_shop(shop: Page, owner: str, snap: Snap) -> str:
    """The store, its terminal (the bank assigns its id, returned) and the dish."""
    sign_in(shop, "merchant", owner, PASSWORD)
    _nav(shop, "门店")
    form = shop.locator(".new-store")
    form.get_by_label("门店名称").fill(STORE)
    form.get_by_label("地址").fill("上海市黄浦区中山东一路18号")
    form.get_by_label("区域").fill("黄浦区")
    form.get_by_label("纬度").fill("31.2385")
    form.get_by_label("经度").fill("121.4880")
    form.get_by_label("门店类别").select_option("restaurant")
    form.get_by_label("营业时间").fill("00:00-24:00")
    form.get_by_role("button", name="创建门店").click()
    expect(shop.get_by_role("status")).to_contain_text("门店已创建")
    shop.locator(".add-terminal").get_by_role("button", name="绑定终端").click()
    expect(shop.get_by_role("status")).to_contain_text("终端已绑定")
    terminal = shop.locator("[data-terminal]").first.get_attribute("data-terminal")
    assert terminal is not None

    _nav(shop, "商品")
    form = shop.locator(".new-item")
    form.get_by_label("商品名称").fill(DISH)
    form.get_by_label("分类").fill("点心")
    shop.locator("#f-variation_name_0").fill("一笼六只")
    shop.locator("#f-variation_sku_0").fill("XLB-6")
    shop.locator("#f-variation_price_0").fill("38")
    form.get_by_role("button", name="创建商品").click()
    expect(shop.get_by_role("status")).to_contain_text("商品已创建")
    snap(shop, "merchant-goods-added")
    return terminal


def _owner_draws_up_a_campaign(shop: Page, snap: Snap) -> None:
    _nav(shop, "营销活动")
    shop.get_by_role("link", name="新建活动").first.click()
    shop.get_by_label("活动名称").fill(CAMPAIGN)
    shop.get_by_label("券种").select_option("fixed")
    shop.get_by_label("优惠额度").fill("8")
    shop.get_by_label("商户出资（%）").fill("50")
    shop.get_by_label("分行出资（%）").fill("50")
    shop.get_by_label("商户预算（元）").fill("800")
    shop.get_by_label("分行预算（元）").fill("800")
    shop.get_by_label("发行数量（张）").fill("100")
    shop.get_by_label("领取后有效天数").fill("30")
    shop.get_by_role("button", name="保存草稿").click()
    expect(shop.get_by_role("status")).to_contain_text("活动草稿已保存")
    shop.get_by_role("button", name="提交").click()
    expect(shop.locator(".entity-head [data-status]")).to_have_text("待审批")
    snap(shop, "merchant-campaign-submitted")


def _officer_approves_the_campaign(bank: Page, snap: Snap) -> None:
    _nav(bank, "营销活动")
    bank.get_by_role("link", name=CAMPAIGN).click()
    bank.get_by_role("button", name="批准").click()
    expect(bank.get_by_role("status")).to_contain_text("活动已批准")
    expect(bank.locator(".entity-head [data-status]")).to_have_text("进行中")
    snap(bank, "bank-campaign-approved")


def _customer_signs_up(phone: Page, snap: Snap) -> None:
    phone.goto("/app/signup")
    phone.get_by_label("姓名").fill(CUSTOMER_NAME)
    phone.get_by_label("手机号").fill(CUSTOMER_PHONE)
    phone.get_by_label("密码", exact=True).fill(CUSTOMER_PASSWORD)
    phone.get_by_role("button", name="同意协议并注册").click()
    expect(phone.get_by_role("status")).to_contain_text("注册成功")
    snap(phone, "app-signed-up")


def _officer_verifies_and_funds_the_customer(bank: Page, snap: Snap) -> str:
    """At the branch: the ID card checked, a Class I account opened, ¥200 in cash; the customer's id."""
    bank.goto(f"/bank/customers?q={CUSTOMER_PHONE}")
    bank.get_by_role("link", name=CUSTOMER_NAME).click()
    verify = bank.locator(".verify-card")
    verify.get_by_label("姓名").fill(CUSTOMER_NAME)
    verify.get_by_label("身份证号").fill(resident_id())
    verify.get_by_role("button", name="确认核验").click()
    expect(bank.get_by_role("status")).to_contain_text("身份核验成功")
    bank.get_by_role("button", name="开立账户").click()
    expect(bank.get_by_role("status")).to_contain_text("开户成功")
    account = bank.locator(".teller-account").first
    account.get_by_label("存入金额（元）").fill("200")
    account.get_by_role("button", name="存入").click()
    expect(bank.get_by_role("status")).to_contain_text("现金已存入")
    bank.locator(".back-link").click()
    snap(bank, "bank-customer-funded")
    match = re.search(r"/bank/customers/(cus_\w+)", bank.url)
    assert match, bank.url
    return match.group(1)


def _customer_claims_the_coupon(phone: Page, snap: Snap) -> str:
    sign_in(phone, "app", CUSTOMER_PHONE, CUSTOMER_PASSWORD)
    _nav(phone, "生活")
    phone.get_by_role("button", name="使用我的位置").click()
    expect(phone.get_by_text("按与您的距离排序")).to_be_visible()
    place = phone.locator(".place").filter(has_text=STORE)
    expect(place.locator(".place__distance")).to_have_text(re.compile(r"^\d+ 米$"))
    expect(place).to_contain_text("1 张券")
    _fits_the_phone(phone)
    snap(phone, "app-store-nearby")
    place.click()
    expect(phone.get_by_text(DISH)).to_be_visible()
    coupon = phone.locator(".coupon").filter(has_text=CAMPAIGN)
    expect(coupon).to_contain_text("立减 ¥8.00")
    coupon.get_by_role("button", name="免费领取").click()
    expect(phone.get_by_role("status")).to_contain_text("领取成功")
    code = phone.locator(".wallet-coupon__code").first
    expect(code).to_have_text(re.compile(r"^\w{4} \w{4} \w{4}$"))
    _fits_the_phone(phone)
    snap(phone, "app-coupon-claimed")
    return code.inner_text()


def _cashier_rings_up_with_the_coupon(shop: Page, code: str, terminal: str, snap: Snap) -> tuple[str, str]:
    """The owner at the till: the dish, the coupon as the customer reads it out, the QR; its payload
    and the order's id."""
    _nav(shop, "收银台")
    shop.get_by_label(terminal).check()
    shop.get_by_role("button", name="开始收银").click()
    shop.get_by_label("备用金（元）").fill("300")
    shop.get_by_role("button", name="开班").click()
    expect(shop.get_by_role("status")).to_contain_text("已开班")
    shop.locator(".pos-tile").filter(has_text=DISH).click()
    expect(shop.locator(".pos-charge__btn")).to_have_text("收款 ¥38.00")
    shop.get_by_label("券码").fill(code)  # as shown in the wallet, in groups of four
    shop.get_by_role("button", name="使用优惠券").click()
    expect(shop.get_by_role("status")).to_contain_text("优惠券已使用")
    expect(shop.locator(".pos-totals")).to_contain_text("-¥8.00")
    expect(shop.locator(".pos-charge__btn")).to_have_text("收款 ¥30.00")
    snap(shop, "pos-coupon-applied")
    shop.locator(".pos-charge__btn").click()
    expect(shop.get_by_role("status")).to_contain_text("订单已创建")
    shop.get_by_role("link", name="收款码").click()
    expect(shop.locator(".pos-qr__image")).to_be_visible()
    snap(shop, "pos-order-qr")
    match = re.search(r"/merchant/pos/orders/(ord_\w+)", shop.url)
    assert match, shop.url
    return shop.locator("[data-payload]").input_value(), match.group(1)


def _customer_pays(phone: Page, payload: str, snap: Snap) -> None:
    phone.goto("/app/pay")
    phone.get_by_label("二维码内容").fill(payload)
    phone.get_by_role("button", name="下一步").click()
    expect(phone.locator(".pay-merchant__amount")).to_have_text("¥30.00")
    _fits_the_phone(phone)
    snap(phone, "app-pay-confirm")
    phone.get_by_role("button", name="确认付款 ¥30.00").click()
    # The result: the amount, the store by name, the time and a reference.
    expect(phone.locator("[data-result=paid]")).to_contain_text("¥30.00")
    expect(phone.locator("[data-payee]")).to_contain_text(STORE)
    expect(phone.locator("[data-reference]")).not_to_be_empty()
    snap(phone, "app-paid")


def _customer_reviews(phone: Page, snap: Snap) -> None:
    phone.goto("/app/coupons?status=redeemed")
    expect(phone.locator("[data-coupon]").filter(has_text=CAMPAIGN)).to_contain_text("已使用")
    snap(phone, "app-coupon-used")
    # From the store page to the orders waiting for a review: no order number to type.
    _nav(phone, "生活")
    phone.locator(".place").filter(has_text=STORE).click()
    phone.get_by_role("link", name="评价本次消费").click()
    line = phone.locator("[data-order-line]").filter(has_text=STORE)
    expect(line).to_contain_text("¥30.00")
    snap(phone, "app-orders-to-review")
    line.get_by_role("link", name="去评价").click()
    phone.get_by_label("5 星").check()
    phone.get_by_label("说说您的体验（选填）").fill("蟹粉很足，用券后30元，划算")
    phone.get_by_role("button", name="发表评价").click()
    expect(phone.get_by_role("status")).to_contain_text("感谢您的评价")
    expect(phone.locator(".reviews")).to_contain_text("蟹粉很足")
    _fits_the_phone(phone)
    snap(phone, "app-reviewed")


def _owner_reads_the_report(shop: Page, snap: Snap) -> None:
    expect(shop.get_by_role("heading", name="收款完成")).to_be_visible(timeout=10_000)
    snap(shop, "pos-paid")
    _nav(shop, "资金")
    report = shop.locator("main")
    expect(report).to_contain_text("¥30.00")  # the sale, after the coupon
    expect(shop.locator(".report-stat").filter(has_text="优惠券")).to_contain_text("¥8.00")
    day_reviews = shop.locator(".report-reviews")
    expect(day_reviews).to_contain_text("评价 1 条")
    expect(day_reviews).to_contain_text("蟹粉很足")
    snap(shop, "merchant-report")
    _nav(shop, "评价")
    review = shop.locator(".merchant-review").first
    expect(review).to_contain_text("蟹粉很足")
    expect(review).to_contain_text(STORE)
    review.get_by_label("回复顾客（仅一次）").fill("谢谢光临，欢迎再来")
    review.get_by_role("button", name="发送回复").click()
    expect(shop.get_by_role("status")).to_contain_text("回复已发布")
    expect(shop.locator(".merchant-review").first).to_contain_text("商家回复：谢谢光临，欢迎再来")
    snap(shop, "merchant-reviews")


def _officer_sees_it_all(bank: Page, customer_id: str, order_id: str, snap: Snap) -> None:
    bank.goto(f"/bank/customers/{customer_id}")
    expect(bank.locator(".teller-account").first).to_contain_text("¥170.00")
    coupon = bank.locator(".customer-coupons tr").filter(has_text=CAMPAIGN)
    expect(coupon).to_contain_text("已使用")
    expect(coupon).to_contain_text(order_id)
    expect(coupon).to_contain_text("-¥8.00")
    reviews = bank.locator(".customer-reviews")
    expect(reviews).to_contain_text(STORE)
    expect(reviews).to_contain_text("蟹粉很足")
    expect(reviews).to_contain_text("谢谢光临")
    snap(bank, "bank-customer-page")
    bank.locator(".teller-account").first.get_by_role("link", name="交易明细").click()
    expect(bank.locator("main")).to_contain_text("-¥30.00")
    snap(bank, "bank-customer-statement")


def test_the_o2o_loop_across_the_three_apps(
    people: Callable[..., Page], live_server: LiveServer, snap: Snap
) -> None:
    owner = _application(live_server)
    officer = make_user(live_server.db, live_server.settings, roles=(Role.TELLER, Role.BRANCH_MARKETING))
    bank, shop, phone = people(), people(), people(phone=True)

    _officer_approves_the_merchant(bank, officer, snap)
    terminal = _owner_sets_up_shop(shop, owner, snap)
    _owner_draws_up_a_campaign(shop, snap)
    _officer_approves_the_campaign(bank, snap)
    _customer_signs_up(phone, snap)
    customer_id = _officer_verifies_and_funds_the_customer(bank, snap)
    code = _customer_claims_the_coupon(phone, snap)
    payload, order_id = _cashier_rings_up_with_the_coupon(shop, code, terminal, snap)
    _customer_pays(phone, payload, snap)
    _customer_reviews(phone, snap)
    _owner_reads_the_report(shop, snap)
    _officer_sees_it_all(bank, customer_id, order_id, snap)
