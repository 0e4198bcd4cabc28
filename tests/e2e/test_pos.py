"""The POS in Chromium on a counter tablet: a cashier opens a shift, rings up two goods, takes the
coupon the customer reads out from their wallet and shows the order's QR code, the cart changing
without reloads; the customer on a 375 px phone (another browser context) pays it in the app; the till
shows the receipt. Then a cash sale with a quick-cash button, a refund reviewed before it is made, and
the shift closed with its report.

The shop, the goods and the paying customer are set up through the API against the live server's
database; everything the cashier and the customer do goes through the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect

from finlife.app import create_app
from tests.accounts.support import Bank, Person
from tests.cashier.support import Till, add_terminal, goods
from tests.catalog.support import variation
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, add_store, approved_merchant, headers
from tests.marketing.support import campaign_body
from tests.web.shops import add_cashier

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
CAMPAIGN = "到店立减5元"
TABLET = {"width": 1024, "height": 768}  # a counter tablet, landscape


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[TestClient]:
    """The API of the live server's database, for setting the shop and the customer up."""
    with TestClient(create_app(live_server.settings, check_schema=False)) as client:
        yield client


def _shop(api: TestClient, live_server: LiveServer) -> tuple[str, str, str]:
    """A merchant with a store, a terminal, a cashier, two goods and a live coupon campaign; the
    cashier's username, the terminal and the campaign (for the customer's claim, set up by the API)."""
    logins = approved_merchant(api, live_server.db, live_server.settings, legal_name="上海晨光咖啡有限公司")
    store_id = add_store(api, logins.owner, logins.merchant_id, name="徐家汇店", category="cafe")
    terminal_id = add_terminal(api, logins.owner, store_id)
    till = Till(logins.merchant_id, logins.owner, "", store_id, terminal_id)
    goods(api, till, variation(name="中杯", price=1850, stock=40), variation(name="大杯", price=2100))
    goods(api, till, variation(price=2800, stock=12), name="芝士蛋糕")
    campaign_id = _campaign(api, logins.owner)
    return add_cashier(api, logins.owner, logins.merchant_id, [store_id]), terminal_id, campaign_id


def _campaign(api: TestClient, owner: str) -> str:
    """The shop's own ¥5-off coupon, live at once (the merchant alone pays for it)."""
    created = api.post("/v1/campaigns", json=campaign_body(name=CAMPAIGN), headers=headers(owner))
    assert created.status_code == 201, created.text
    submitted = api.post(f"/v1/campaigns/{created.json()['id']}/submit", headers=headers(owner))
    assert submitted.json()["status"] == "live", submitted.text
    campaign_id: str = created.json()["id"]
    return campaign_id


def _customer(api: TestClient, live_server: LiveServer, campaign_id: str) -> Person:
    """A customer with money who has claimed the shop's coupon (through the API: the claiming itself
    is walked in test_o2o_loop)."""
    bank = Bank(api, live_server.db, live_server.settings)
    person = bank.customer()
    bank.funded(person, 200_000)
    claim = headers(person.token, channel="mobile", **{"Idempotency-Key": f"claim-{campaign_id}"})
    claimed = api.post(f"/v1/life/campaigns/{campaign_id}/claim", json={}, headers=claim)
    assert claimed.status_code == 201, claimed.text
    return person


def test_a_cashier_sells_by_qr_and_cash_and_refunds(
    page: Page,
    browser: Browser,
    api: TestClient,
    live_server: LiveServer,
    shot: Shot,
    screenshots: Path,
    request: pytest.FixtureRequest,
) -> None:
    cashier, terminal_id, campaign_id = _shop(api, live_server)
    customer = _customer(api, live_server, campaign_id)

    # The customer opens their wallet on the phone, to read the coupon's code out at the counter.
    phone_context = browser.new_context(base_url=live_server.url, viewport=PHONE_WIDTH)
    phone = phone_context.new_page()
    phone.emulate_media(reduced_motion="reduce")
    sign_in(phone, "app", customer.phone, PASSWORD)
    phone.goto("/app/coupons")
    code = phone.locator(".wallet-coupon__code").first
    expect(code).to_have_text(re.compile(r"^\w{4} \w{4} \w{4}$"))
    coupon_code = code.inner_text()

    # The till: the terminal is chosen once, then the shift opens with a float.
    page.set_viewport_size(TABLET)
    sign_in(page, "merchant", cashier, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="收银台").click()
    expect(page).to_have_url(re.compile(r"/merchant/pos/terminal$"))
    page.get_by_label(terminal_id).check()
    shot("choose-terminal")
    page.get_by_role("button", name="开始收银").click()
    expect(page.get_by_role("status")).to_contain_text("已切换收银终端")
    shot("till-no-shift")
    page.get_by_label("备用金（元）").fill("500")
    page.get_by_role("button", name="开班").click()
    expect(page.get_by_role("status")).to_contain_text("已开班")
    expect(page.locator(".pos-bar")).to_contain_text("¥500.00")

    # Two lattes and a cake, priced by the server as they are tapped — without reloading the page.
    page.evaluate("window.sameDocument = true")
    latte = page.locator(".pos-tile").filter(has_text="中杯")
    latte.click()
    expect(page.locator(".pos-line")).to_have_count(1)
    page.locator(".pos-tile").filter(has_text="芝士蛋糕").click()
    expect(page.locator(".pos-line")).to_have_count(2)
    page.get_by_role("button", name="拿铁咖啡 中杯 加一").click()
    expect(page.locator(".pos-charge__btn")).to_have_text("收款 ¥65.00")
    # The coupon the customer reads out, typed as shown in their wallet (groups of four).
    page.get_by_label("券码").fill(coupon_code)
    page.get_by_role("button", name="使用优惠券").click()
    expect(page.get_by_role("status")).to_contain_text("优惠券已使用")
    expect(page.locator(".pos-totals")).to_contain_text("-¥5.00")
    expect(page.locator(".pos-charge__btn")).to_have_text("收款 ¥60.00")
    assert page.evaluate("window.sameDocument === true"), "the till reloaded while the cart changed"
    shot("cart-with-coupon")
    # On a phone-sized screen the till still fits: no sideways scrolling.
    page.set_viewport_size({"width": 375, "height": 812})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.set_viewport_size(TABLET)

    # Charge, and show the order's QR code.
    page.locator(".pos-charge__btn").click()
    expect(page.get_by_role("status")).to_contain_text("订单已创建")
    page.get_by_role("link", name="收款码").click()
    expect(page.locator(".pos-qr__image")).to_be_visible()
    # The PNG arrives in its own request after the page: wait until it has loaded (and has pixels).
    page.wait_for_function(
        "() => { const image = document.querySelector('.pos-qr__image');"
        " return image !== null && image.complete && image.naturalWidth > 0; }"
    )
    payload = page.locator("[data-payload]").input_value()
    shot("order-qr")

    # The customer, on their phone, pays the code in the app.
    phone.goto("/app/pay")
    phone.get_by_label("二维码内容").fill(payload)
    phone.get_by_role("button", name="下一步").click()
    expect(phone.locator(".pay-merchant__amount")).to_have_text("¥60.00")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
    folder = screenshots / re.sub(r"[^\w.-]+", "_", request.node.name)
    phone.screenshot(path=str(folder / "app-1-confirm.png"), full_page=True)
    phone.get_by_role("button", name="确认付款 ¥60.00").click()
    expect(phone.get_by_role("status")).to_contain_text("付款成功")
    phone.screenshot(path=str(folder / "app-2-paid.png"), full_page=True)
    phone_context.close()

    # The till notices by itself and shows the receipt.
    expect(page.get_by_role("heading", name="收款完成")).to_be_visible(timeout=10_000)
    receipt = page.frame_locator("#pos-receipt")
    expect(receipt.locator("body")).to_contain_text("扫码支付")
    expect(receipt.locator("body")).to_contain_text("¥60.00")
    shot("paid-receipt")

    # Next sale: cash, ¥50 handed over for ¥18.50, change shown big.
    page.get_by_role("link", name="下一单").click()
    latte.click()
    page.locator(".pos-charge__btn").click()
    page.get_by_label("实收现金（元）").fill("50")
    expect(page.locator("[data-change-preview]")).to_contain_text("¥31.50")
    expect(page.get_by_role("group", name="快捷收现").get_by_role("button")).to_have_text(
        ["整收 ¥18.50", "¥20.00", "¥50.00", "¥100.00"]
    )
    page.get_by_role("group", name="快捷收现").get_by_role("button", name="¥50.00").click()
    expect(page.locator(".pos-change__amount")).to_have_text("¥31.50")
    shot("cash-change")

    # Refund part of it: nothing is pre-filled, and the refund is reviewed before the money moves.
    expect(page.get_by_label("退款金额（元）")).to_have_value("")
    page.get_by_label("退款金额（元）").fill("5")
    page.get_by_role("button", name="下一步：核对").click()
    expect(page.locator("#f-reason-error")).to_be_visible()
    page.get_by_label("退款原因").fill("顾客退货")
    page.get_by_role("button", name="下一步：核对").click()
    expect(page.get_by_role("heading", name="确认退款")).to_be_visible()
    shot("refund-review")
    page.get_by_role("button", name="确认退款 ¥5.00").click()
    expect(page.get_by_role("status")).to_contain_text("退款成功")
    expect(page.locator(".pos-order__head")).to_contain_text("部分退款")
    expect(page.locator(".pos-order__head")).to_contain_text("¥5.00")
    shot("refunded")

    # The recent orders, then the shift's close: 500 + 18.50 − 5 expected, counted even.
    page.goto("/merchant/pos")
    expect(page.locator("tr[data-order]")).to_have_count(2)
    shot("till-recent-orders")
    page.get_by_role("link", name="钱箱与交班").click()
    page.get_by_label("清点现金（元）").fill("513.50")
    page.get_by_role("button", name="交班").click()
    expect(page.get_by_role("status")).to_contain_text("已交班")
    expect(page.locator(".pos-report")).to_contain_text("账实相符")
    shot("shift-report")
