"""The daily report in Chromium: a day of POS sales (card, QR, cash, a refund) over several hours, then
the owner opens "资金", walks back to that day, reads the chart and the tables, downloads the CSV,
and finds the day's settlement statement. The customer app's "me" page leads to pay and to apply.

The sales go through the POS API against the live server's database, on the day before yesterday
(Asia/Shanghai), so every frozen moment lies in the past and logins stay valid; the bank settles
that day yesterday morning, when the owner looks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.i18n import format_money
from tests.accounts.support import Bank
from tests.cashier.support import goods, new_order
from tests.catalog.support import variation
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.factories import PASSWORD, headers, staff_token
from tests.payments.support import (
    card,
    cash,
    order_qr,
    pay_qr,
    payer,
    refund,
    shift_of,
    signed_in_again,
    tender,
)
from tests.settlement.support import Shop, open_shop, settle, shanghai

pytestmark = pytest.mark.browser

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 900}


def _trade(api: TestClient, live_server: LiveServer) -> tuple[Shop, Bank]:
    """Sales through the day: card at 08:20 and 11:45, QR at 12:10 and 12:40, cash at 18:30, and a
    refund on the first card sale at 19:05."""
    day = clock.business_day() - timedelta(days=2)
    clock.freeze(shanghai(day, 8))
    bank = Bank(api, live_server.db, live_server.settings)
    shop = open_shop(api, live_server.db, live_server.settings, name="上海晨光咖啡有限公司")
    who = payer(bank, 500_000)
    latte, cake = goods(
        api, shop.till, variation(name="大杯拿铁", price=2_100), variation(name="芝士蛋糕", price=2_800)
    )
    (tea,) = goods(api, shop.till, variation(name="冷泡茶", price=1_600), name="茶饮")
    shift_of(api, shop.till)

    def sell(hour: int, minute: int, lines: list[dict[str, object]], pay: str) -> str:
        shop.at(shanghai(day, hour, minute))
        order = new_order(api, shop.till, lines)
        if pay == "qr":
            response = pay_qr(api, signed_in_again(bank, who), order_qr(api, shop.till, order["id"]))
        else:
            body = card(who, order["total"]) if pay == "card" else cash(order["total"], order["total"])
            response = tender(api, shop.till, order["id"], body)
        assert response.status_code == 201, response.text
        order_id: str = order["id"]
        return order_id

    first = sell(
        8, 20, [{"variation_id": latte, "quantity": 2}, {"variation_id": cake, "quantity": 1}], "card"
    )
    sell(11, 45, [{"variation_id": latte, "quantity": 3}], "card")
    sell(12, 10, [{"variation_id": tea, "quantity": 2}, {"variation_id": cake, "quantity": 2}], "qr")
    sell(12, 40, [{"variation_id": latte, "quantity": 1}], "qr")
    sell(18, 30, [{"variation_id": tea, "quantity": 4}, {"name": "包间费", "amount": 5_000}], "cash")
    shop.at(shanghai(day, 19, 5))
    assert refund(api, shop.till, first, 2_800).status_code == 201
    # Yesterday morning: the bank settles the day (T+1); the owner looks at 10:00.
    clock.freeze(shanghai(day + timedelta(days=1), 9))
    admin = staff_token(api, live_server.db, live_server.settings, Role.BANK_ADMIN)
    assert settle(api, admin, day).status_code == 201
    shop.at(shanghai(day + timedelta(days=1), 10))
    return shop, bank


def test_the_owner_reads_the_days_report_and_its_statement(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    shop, _ = _trade(api, live_server)
    day = clock.business_day() - timedelta(days=1)
    report = api.get(
        f"/v1/merchants/{shop.merchant_id}/reports/daily",
        params={"date": day.isoformat()},
        headers=headers(shop.owner),
    ).json()
    assert (
        report["totals"]["gross"]
        == 2 * 2_100 + 2_800 + 3 * 2_100 + 2 * 1_600 + 2 * 2_800 + 2_100 + 4 * 1_600 + 5_000
    )

    page.set_viewport_size(DESKTOP)
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, "merchant", shop.owner_username, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="资金").click()
    expect(page).to_have_url(re.compile(r"/merchant/reports$"))
    expect(page.get_by_text("这一天没有交易")).to_be_visible()  # this morning: nothing sold yet
    shot("today-empty")

    page.get_by_role("link", name="前一天").click()
    expect(page).to_have_url(re.compile(rf"/merchant/reports\?date={day.isoformat()}$"))
    chart = page.get_by_role("img", name=re.compile("全天交易额"))
    expect(chart).to_be_visible()
    expect(page.locator("rect.chart__bar")).to_have_count(24)
    net = format_money(report["totals"]["net"], "CNY", "zh-CN")
    expect(page.locator(".report-stat--net .stat__value")).to_have_text(net)
    expect(page.locator("tr[data-tender]")).to_have_count(3)
    expect(page.locator("tr[data-item]").first).to_contain_text("拿铁咖啡")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 500
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]
    shot("report")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 CSV").click()
    saved = download.value
    assert saved.suggested_filename == f"{shop.merchant_id}-{day.isoformat()}.csv"
    assert Path(saved.path()).read_text(encoding="utf-8").startswith("\ufeff部分,代码,名称")

    page.get_by_role("link", name="结算单").click()
    statement = page.locator("tr[data-statement]")
    expect(statement).to_have_count(1)
    expect(statement).to_contain_text(day.isoformat())
    expect(statement).to_contain_text("留存门店")
    shot("settlements")

    # The narrow console (a tablet held upright): the chart keeps its 24 bars inside the card.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.goto(f"/merchant/reports?date={day.isoformat()}")
    shot("report-narrow")
    # (The console shell itself is a fraction of a pixel wider than a 768 px window.)
    for part in (".chart", ".report-head", ".report-grid"):
        edge = page.locator(part).bounding_box()
        assert edge is not None and edge["x"] + edge["width"] <= 768, part


def test_the_apps_me_page_leads_to_pay_and_to_apply(
    page: Page, api: TestClient, live_server: LiveServer, shot: Shot
) -> None:
    person = Bank(api, live_server.db, live_server.settings).customer()
    page.set_viewport_size(PHONE_WIDTH)
    sign_in(page, "app", person.phone, PASSWORD)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的").click()
    shot("me")
    page.get_by_role("link", name=re.compile("商户入驻申请")).click()
    expect(page).to_have_url(re.compile(r"/app/merchant-application$"))
    page.go_back()
    page.get_by_role("link", name=re.compile("扫码付款")).click()
    expect(page).to_have_url(re.compile(r"/app/pay$"))
    page.goto("/app")
    expect(page.get_by_role("link", name="扫一扫")).to_have_attribute("href", "/app/pay")
