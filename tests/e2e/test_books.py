"""The merchant's books in Chromium, in both languages: a card sale booked by itself (the live
server's relay delivers it to the books), the owner opens 账本 / Books, reads the month's P&L and its
chart, books the rent with a receipt picture, reverses nothing, reads the cash flow, downloads the
XLSX; the pages pass the axe check and fit a 375 px phone.

The sale is on the day before yesterday (Asia/Shanghai), so every frozen moment lies in the past.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from PIL import Image
from playwright.sync_api import Page, expect

from finlife.kit.clock import clock
from tests.accounts.support import Bank
from tests.e2e.conftest import PHONE_WIDTH, LiveServer
from tests.e2e.support import sign_in
from tests.e2e.test_accessibility import axe_source, report, violations
from tests.factories import PASSWORD
from tests.payments.support import card, order_of, payer, tender
from tests.settlement.support import Shop, open_shop, shanghai

pytestmark = pytest.mark.browser
__all__ = ["axe_source"]  # the accessibility test's fixture

Shot = Callable[[str], Path]
DESKTOP = {"width": 1280, "height": 900}
WORDS = {
    "zh-CN": {
        "nav": "账本",
        "main": "主导航",
        "entries": "记一笔",
        "category": "类别",
        "rent": "支出 · 房租",
        "amount": "金额",
        "note": "备注",
        "receipt": "票据照片（可选）",
        "save": "记账",
        "cashflow": "现金流与对账",
        "chart": "利润合计",
        "settlement_account": "结算账户",
    },
    "en": {
        "nav": "Books",
        "main": "Main navigation",
        "entries": "Expenses and income",
        "category": "Category",
        "rent": "Expense · Rent",
        "amount": "Amount",
        "note": "Note",
        "receipt": "Receipt picture (optional)",
        "save": "Book it",
        "cashflow": "Cash flow and reconciliation",
        "chart": "profit",
        "settlement_account": "Settlement account",
    },
}


def _sale(api: TestClient, live_server: LiveServer) -> Shop:
    day = clock.business_day() - timedelta(days=2)
    clock.freeze(shanghai(day, 9))
    bank = Bank(api, live_server.db, live_server.settings)
    shop = open_shop(api, live_server.db, live_server.settings, name="上海晨光面馆有限公司")
    who = payer(bank, 100_000)
    shop.at(shanghai(day, 12))
    assert tender(api, shop.till, order_of(api, shop.till, 8_800), card(who, 8_800)).status_code == 201
    shop.at(shanghai(day + timedelta(days=1), 10))
    return shop


def _png(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (230, 230, 230)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_owner_keeps_the_books(
    page: Page,
    api: TestClient,
    live_server: LiveServer,
    shot: Shot,
    axe_source: str,
    lang: str,
    tmp_path: Path,
) -> None:
    words = WORDS[lang]
    shop = _sale(api, live_server)
    month = (clock.business_day() - timedelta(days=2)).strftime("%Y-%m")
    page.set_viewport_size(DESKTOP)
    page.emulate_media(reduced_motion="reduce")
    sign_in(page, "merchant", shop.owner_username, PASSWORD)  # the sign-in page's words are Chinese
    page.context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page.reload()
    page.get_by_role("navigation", name=words["main"]).get_by_role("link", name=words["nav"]).click()
    expect(page).to_have_url(re.compile(r"/merchant/books$"))
    page.goto(f"/merchant/books?month={month}")
    # The relay books the sale within a second or so of its commit: read the page again until it shows.
    for _ in range(20):
        if page.locator("tr[data-tender='card']").count():
            break
        page.wait_for_timeout(250)
        page.reload()
    expect(page.locator("tr[data-tender='card']")).to_contain_text("88.00")
    expect(page.get_by_role("img", name=re.compile(words["chart"]))).to_be_visible()
    assert report(violations(page, axe_source)) == ""
    shot(f"books-{lang}")

    page.get_by_role("link", name=words["entries"]).click()
    page.get_by_label(words["category"]).select_option(label=words["rent"])
    page.get_by_label(words["amount"]).fill("3,000")
    page.get_by_label(words["note"]).fill("店面租金")
    page.get_by_label(words["receipt"]).set_input_files(_png(tmp_path / "receipt.png"))
    page.get_by_role("button", name=words["save"]).click()
    row = page.locator("tr[data-entry]").first
    expect(row).to_contain_text("店面租金")
    expect(row).to_contain_text("3,000.00")
    assert report(violations(page, axe_source)) == ""
    shot(f"entries-{lang}")

    page.goto(f"/merchant/books?month={page.locator('#books-month').input_value()}")
    expect(page.locator(".report-stat--net [data-profit]")).to_have_attribute(
        "data-profit", re.compile(r"^-")
    )
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"XLSX")).first.click()
    assert download.value.suggested_filename == f"pnl-{month}.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    assert sheet is not None and isinstance(sheet["B2"].value, (int, float))

    page.get_by_role("link", name=words["cashflow"]).click()
    expect(page.locator("tr[data-account='settlement_account']")).to_contain_text(words["settlement_account"])
    assert report(violations(page, axe_source)) == ""
    shot(f"cashflow-{lang}")

    page.set_viewport_size(PHONE_WIDTH)
    for path in ("/merchant/books", "/merchant/books/entries", "/merchant/books/cashflow"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH["width"], path
    shot(f"books-phone-{lang}")
