"""The customer's payment code and scan-to-pay by uploading a picture, and the bank admin's audit log and
channel activity, in Chromium.

A customer on a 375 px phone shows a payment code (barcode, digits, QR, the lifetime counting down),
and a cashier at the till types it in as a scanner would: the order is paid. The code runs out on the
phone (its clock moved on), and a new one replaces it. Then the customer uploads a picture of a till's
QR code, drawn by segno from a real order's payload, and pays it. The bank admin reads all of it in the
audit log and in the channel activity chart. Shops and customers are set up through the API.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import segno
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, Page, expect

from finlife.kit.i18n import translate
from tests.accounts.support import Bank, Person
from tests.cashier.support import Till, add_terminal, new_order
from tests.e2e.conftest import ADMIN_PASSWORD, PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations
from tests.factories import PASSWORD, add_store, approved_merchant, headers
from tests.factories import sign_in as token_of
from tests.payments.support import order_qr, shift_of
from tests.web.shops import add_cashier

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 900}
__all__ = ["axe_source"]  # the accessibility test's fixture, used here on the pages only a form reaches


def _shop(api: TestClient, live_server: LiveServer, name: str) -> tuple[Till, str]:
    """A shop with a store, a terminal and an open shift; the till (with its cashier's token) and the
    cashier's username."""
    logins = approved_merchant(api, live_server.db, live_server.settings, legal_name=name)
    store_id = add_store(api, logins.owner, logins.merchant_id, name="五角场店", opening_hours="00:00-24:00")
    terminal_id = add_terminal(api, logins.owner, store_id)
    username = add_cashier(api, logins.owner, logins.merchant_id, [store_id])
    till = replace(
        Till(logins.merchant_id, logins.owner, "", store_id, terminal_id),
        cashier=token_of(api, username=username, channel="pos"),
    )
    shift_of(api, till)
    return till, username


def _customer(api: TestClient, live_server: LiveServer, funds: int) -> tuple[Person, str]:
    bank = Bank(api, live_server.db, live_server.settings)
    person = bank.customer()
    return person, bank.funded(person, funds)


def _phone(browser: Browser, live_server: LiveServer) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live_server.url, viewport=PHONE_WIDTH)
    phone = context.new_page()
    phone.emulate_media(reduced_motion="reduce")
    return context, phone


def _photo(page: Page, path: Path) -> None:
    """A whole-page picture with the phone's tab bar at the bottom, where a person sees it."""
    size = page.viewport_size
    assert size is not None
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)


def _balance(api: TestClient, person: Person, account_id: str) -> int:
    response = api.get(f"/v1/accounts/{account_id}", headers=headers(person.token, channel="mobile"))
    assert response.status_code == 200, response.text
    available: int = response.json()["balance"]["available"]
    return available


def test_a_payment_code_shown_on_the_phone_is_taken_at_the_till(
    page: Page,
    browser: Browser,
    api: TestClient,
    live_server: LiveServer,
    shot: Shot,
    screenshots: Path,
    axe_source: str,
) -> None:
    till, cashier = _shop(api, live_server, "上海五角场小笼有限公司")
    person, account_id = _customer(api, live_server, 100_000)
    order_id = new_order(api, till, [{"name": "小笼包", "amount": 2_600}])["id"]

    context, phone = _phone(browser, live_server)
    phone.clock.install()  # the phone's own clock, to let the code run out without waiting a minute
    sign_in(phone, "app", person.phone, PASSWORD)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
    folder = screenshots / "payment-code"
    folder.mkdir(parents=True, exist_ok=True)
    _photo(phone, folder / "app-0-home.png")
    phone.locator(".quick-actions").get_by_role("link", name="付款码").click()
    expect(phone).to_have_url(re.compile(r"/app/pay/code$"))
    phone.get_by_role("button", name="显示付款码").click()
    digits = phone.locator("[data-code]")
    expect(digits).to_be_visible()
    code = digits.get_attribute("data-code")
    assert code and re.fullmatch(r"28\d{16}", code)
    expect(phone.locator("[data-countdown]")).to_have_text(re.compile(r"^\d+ 秒后失效$"))
    assert phone.locator(".paycode__barcode svg rect").count() > 20
    assert phone.locator(".paycode__qr svg").bounding_box()["width"] >= 180  # type: ignore[index]
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"]
    found = violations(phone, axe_source)
    assert not found, report(found)
    _photo(phone, folder / "app-1-shown.png")

    # The cashier's scanner types the 18 digits into the code field and presses Enter.
    page.set_viewport_size(DESKTOP)
    sign_in(page, "merchant", cashier, PASSWORD)
    page.goto("/merchant/pos/terminal")
    page.get_by_label(till.terminal_id).check()
    page.get_by_role("button", name="开始收银").click()
    page.goto(f"/merchant/pos/orders/{order_id}?tender=code")
    page.locator("#f-code").press_sequentially(code)
    page.locator("#f-code").press("Enter")
    expect(page.get_by_role("heading", name="收款完成")).to_be_visible()
    expect(page.frame_locator("#pos-receipt").locator("body")).to_contain_text("付款码")
    shot("paid-by-payment-code")
    assert _balance(api, person, account_id) == 100_000 - 2_600

    # The phone notices the code was taken and opens the payment's result.
    phone.clock.fast_forward(3_000)
    expect(phone.locator("[data-result=paid]")).to_contain_text("¥26.00")

    # A new code that nobody takes runs out: it greys out and says so; "new code" shows another one.
    phone.goto("/app/pay/code")
    phone.get_by_role("button", name="显示付款码").click()
    expect(phone.locator("[data-code]")).not_to_have_attribute("data-code", code)
    phone.clock.fast_forward((live_server.settings.payment_code_ttl_seconds + 1) * 1000)
    expect(phone.get_by_role("status").filter(has_text=translate("ui.paycode.expired"))).to_be_visible()
    expect(phone.locator(".paycode--expired")).to_be_visible()
    _photo(phone, folder / "app-2-expired.png")
    phone.get_by_role("button", name="刷新付款码").click()
    expect(phone.locator("[data-code]")).not_to_have_attribute("data-code", code)
    expect(phone.locator(".paycode--expired")).to_have_count(0)
    context.close()


def test_the_customer_uploads_a_picture_of_the_tills_qr_and_pays_it(
    browser: Browser, api: TestClient, live_server: LiveServer, tmp_path: Path, screenshots: Path
) -> None:
    till, _ = _shop(api, live_server, "上海五角场咖啡有限公司")
    person, account_id = _customer(api, live_server, 50_000)
    order_id = new_order(api, till, [{"name": "拿铁", "amount": 1_850}])["id"]
    picture = tmp_path / "till-qr.png"
    segno.make_qr(order_qr(api, till, order_id), error="m", mode="byte", encoding="utf-8").save(
        str(picture), scale=8
    )

    context, phone = _phone(browser, live_server)
    sign_in(phone, "app", person.phone, PASSWORD)
    phone.goto("/app/pay")
    folder = screenshots / "upload-qr"
    folder.mkdir(parents=True, exist_ok=True)
    _photo(phone, folder / "00-paste-or-upload.png")
    phone.get_by_label("二维码图片").set_input_files(str(picture))
    phone.get_by_role("button", name="识别图片").click()
    expect(phone.locator(".pay-merchant__amount")).to_have_text("¥18.50")
    _photo(phone, folder / "01-read-from-picture.png")
    phone.get_by_role("button", name="确认付款 ¥18.50").click()
    expect(phone.get_by_role("status")).to_contain_text("付款成功")
    _photo(phone, folder / "02-paid.png")
    assert _balance(api, person, account_id) == 50_000 - 1_850
    order = api.get(f"/v1/orders/{order_id}", headers=headers(till.cashier, channel="pos")).json()
    assert order["status"] == "paid"

    # Nothing chosen, or a file that is no picture: refused under the upload field, in the page's words.
    phone.goto("/app/pay")
    phone.get_by_role("button", name="识别图片").click()
    expect(phone.locator("#f-image-error")).to_have_text(translate("ui.pay.image_missing"))
    phone.get_by_label("二维码图片").set_input_files(
        files=[{"name": "note.txt", "mimeType": "text/plain", "buffer": b"no picture"}]
    )
    phone.get_by_role("button", name="识别图片").click()
    expect(phone.locator("#f-image-error")).to_have_text(translate("ui.pay.image_unreadable"))
    context.close()


def test_the_bank_admin_reads_the_audit_log_and_the_channel_activity(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    # Something to read: a customer signs up on the phone and gets a payment code there.
    person, account_id = _customer(api, live_server, 10_000)
    issued = api.post(
        "/v1/payment-codes", json={"account_id": account_id}, headers=headers(person.token, channel="mobile")
    )
    assert issued.status_code == 201, issued.text

    page.set_viewport_size(DESKTOP)
    sign_in(page, "bank", "admin", ADMIN_PASSWORD)
    nav = page.get_by_role("navigation", name="主导航")
    nav.get_by_role("link", name="审计").click()
    expect(page).to_have_url(re.compile(r"/bank/audit$"))
    page.get_by_label("操作", exact=True).select_option("payment_code.issued")
    page.get_by_role("button", name="筛选").click()
    rows = page.locator("tr[data-event]")
    expect(rows.first).to_contain_text("生成付款码")  # the event in words, not its code
    expect(rows.first).to_contain_text("手机银行")
    expect(rows.first).to_contain_text(account_id)
    assert all("生成付款码" in text for text in rows.all_inner_texts())
    shot("audit-log-filtered")

    nav.get_by_role("link", name="渠道活动").click()
    expect(page).to_have_url(re.compile(r"/bank/activity$"))
    expect(page.locator("svg.activity-chart rect[data-channel='mobile']").last).to_be_visible()
    expect(page.locator(".activity-legend")).to_contain_text("手机银行")
    shot("channel-activity")
    page.get_by_role("link", name="近 7 天").click()
    expect(page.locator("svg.activity-chart g[data-day]")).to_have_count(7)
