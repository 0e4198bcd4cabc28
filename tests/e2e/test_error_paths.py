"""The refusals people meet, in Chromium, each in Chinese and then, after the language switch, in
English: a wrong password, a transfer over a Class II account's daily limit, an expired payment code
at the till, and a coupon that ran out while the customer looked at it.

Every expected text is the message catalogue's own (``finlife.kit.i18n.translate``), so a page that
wrote its own words, or the other language's, fails. The shops, customers and money are set up through
the API against the live server's database; the refusals happen on the pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.kit.clock import clock
from finlife.kit.i18n import format_money, translate
from tests.accounts.support import Bank
from tests.cashier.support import Till, add_terminal, goods, new_order
from tests.catalog.support import variation
from tests.e2e.conftest import LiveServer
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, add_store, approved_merchant, headers
from tests.factories import sign_in as token_of
from tests.life.campaigns import claim, live_campaign
from tests.payments.support import payer, shift_of
from tests.web.shops import add_cashier

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 900}
LANGUAGES = ("zh-CN", "en")


def _switch_to_english(page: Page) -> None:
    page.get_by_role("link", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _till(api: TestClient, live_server: LiveServer, name: str) -> tuple[Till, str]:
    """A shop with a store, a terminal, a cashier (their username) and one dish at ¥20."""
    logins = approved_merchant(api, live_server.db, live_server.settings, legal_name=name)
    store_id = add_store(api, logins.owner, logins.merchant_id, name="静安寺店", opening_hours="00:00-24:00")
    terminal_id = add_terminal(api, logins.owner, store_id)
    cashier = add_cashier(api, logins.owner, logins.merchant_id, [store_id])
    till = Till(logins.merchant_id, logins.owner, "", store_id, terminal_id)
    goods(api, till, variation(name="大碗", price=2_000), name="牛肉面")
    return till, cashier


def test_a_wrong_password_on_the_phone(phone_page: Page, shot: Shot) -> None:
    page = phone_page
    for language in LANGUAGES:
        page.goto("/app/login")
        page.locator("#f-username").fill("13700137999")
        page.locator("#f-password").fill("not-the-password")
        page.locator("form button[type=submit]").click()
        expect(page.get_by_role("alert")).to_have_text(translate("invalid_credentials", language))
        shot(f"wrong-password-{language}")
        if language == "zh-CN":
            _switch_to_english(page)


def test_a_transfer_over_the_daily_limit(
    phone_page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    bank = Bank(api, live_server.db, live_server.settings)
    person, payee = bank.customer(), bank.customer()
    class_i = bank.funded(person, 2_500_000)
    bound = {"account_id": class_i}
    class_ii = bank.open(person, "II", token=person.token, channel="mobile", bound=bound)["id"]
    assert bank.transfer(person.token, class_i, class_ii, 1_500_000).status_code == 201
    elsewhere = bank.funded(payee, 0)
    number = bank.account(elsewhere)["number"]
    paypass = {"new_password": "258036", "sign_in_password": PASSWORD}
    assert api.put("/v1/me/payment-password", json=paypass, headers=headers(person.token)).status_code == 204

    page = phone_page
    sign_in(page, "app", person.phone, PASSWORD)
    limit = format_money(live_server.settings.class_ii_daily_out, "CNY")
    for language in LANGUAGES:
        page.goto("/app/transfer")
        page.locator("#f-from_account_id").select_option(class_ii)
        page.locator("#f-payee_number").fill(number)
        page.locator("#f-payee_name").fill(payee.name)
        page.locator("#f-amount").fill("10,000.01")
        page.locator("form button[type=submit]").click()
        page.locator("#f-payment_password").fill("258036")
        page.locator("form button[type=submit]").click()
        expected = translate(
            "limit_exceeded", language, {"limit_name": "II.out.daily", "limit": limit, "remaining": limit}
        )
        expect(page.get_by_role("alert")).to_have_text(expected)
        expect(page.locator("#f-amount")).to_have_value("10,000.01")
        shot(f"over-the-limit-{language}")
        if language == "zh-CN":
            _switch_to_english(page)


def test_an_expired_payment_code_at_the_till(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    till, cashier = _till(api, live_server, "上海静安面馆有限公司")
    customer = payer(Bank(api, live_server.db, live_server.settings), 100_000)
    page.set_viewport_size(DESKTOP)
    sign_in(page, "merchant", cashier, PASSWORD)
    page.goto("/merchant/pos/terminal")
    page.get_by_label(till.terminal_id).check()
    page.get_by_role("button", name="开始收银").click()
    expect(page).to_have_url(re.compile(r"/merchant/pos$"))
    at_till = replace(till, cashier=token_of(api, username=cashier, channel="pos"))
    shift_of(api, at_till)
    orders = [new_order(api, at_till, [{"name": "餐费", "amount": 2_000}])["id"] for _ in LANGUAGES]
    codes = []
    for _ in LANGUAGES:
        issued = api.post(
            "/v1/payment-codes",
            json={"account_id": customer.account_id},
            headers=headers(customer.token, channel="mobile"),
        )
        assert issued.status_code == 201, issued.text
        codes.append(issued.json()["code"])
    # The customer showed the codes, then chatted past their lifetime before the cashier scanned them.
    clock.advance(timedelta(seconds=live_server.settings.payment_code_ttl_seconds + 1))
    try:
        for language, order_id, code in zip(LANGUAGES, orders, codes, strict=True):
            page.goto(f"/merchant/pos/orders/{order_id}?tender=code")
            page.locator("#f-code").fill(code)
            page.locator("form:has(#f-code) button[type=submit]").click()
            expect(page.get_by_text(translate("payment_code_expired", language))).to_be_visible()
            shot(f"payment-code-expired-{language}")
            if language == "zh-CN":
                _switch_to_english(page)
    finally:
        clock.reset()


def test_a_coupon_runs_out_while_the_customer_looks(
    phone_page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    till, _ = _till(api, live_server, "上海静安小吃有限公司")
    bank = Bank(api, live_server.db, live_server.settings)
    customer, quick = bank.customer(), bank.customer()
    campaigns = [live_campaign(api, till, name=f"最后一张{n}", stock=1, per_customer_limit=1) for n in (1, 2)]
    page = phone_page
    sign_in(page, "app", customer.phone, PASSWORD)
    page.goto(f"/app/life/stores/{till.store_id}")
    for language, campaign_id in zip(LANGUAGES, campaigns, strict=True):
        coupon = page.locator(f'[data-campaign="{campaign_id}"]')
        expect(coupon).to_be_visible()
        # Someone quicker takes the last one while this customer still reads the page.
        assert claim(api, quick.token, campaign_id).status_code == 201
        coupon.locator("form button[type=submit]").click()
        expect(page.get_by_role("alert")).to_have_text(translate("coupons_out_of_stock", language))
        shot(f"coupon-out-of-stock-{language}")
        if language == "zh-CN":
            _switch_to_english(page)
