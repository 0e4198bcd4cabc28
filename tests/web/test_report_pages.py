"""The merchant console's money pages: the daily report (figures, hourly SVG chart, tenders, items,
CSV) and the settlement statements, for the owner; bank staff read a report; cashiers are refused.

The day is traded through the cashier and payments APIs with their tests' helpers: a card sale, a QR
sale paid in the app's API, a cash sale and a refund on the card sale, on business day D.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from finlife.kit.auth import Role
from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.kit.i18n import format_money
from finlife.settings import Settings
from finlife.settlement import pages
from finlife.web.render import LANG_COOKIE
from tests.accounts.support import Bank
from tests.cashier.support import goods, new_order
from tests.catalog.support import variation
from tests.factories import headers, make_user
from tests.life.support import review
from tests.payments.support import (
    card,
    cash,
    order_of,
    order_qr,
    pay_qr,
    payer,
    refund,
    shift_of,
    signed_in_again,
    tender,
)
from tests.settlement.support import D, Shop, open_shop, settle, shanghai
from tests.web.forms import signed_in

REPORTS = "/merchant/reports"


@pytest.fixture
def bank(client: TestClient, db: Database, settings: Settings) -> Bank:
    return Bank(client, db, settings)


@pytest.fixture
def shop(client: TestClient, db: Database, settings: Settings) -> Shop:
    clock.freeze(shanghai(D, 9))
    return open_shop(client, db, settings)


def _trade_day_d(client: TestClient, bank: Bank, shop: Shop) -> None:
    """10:15 two lattes and a muffin by card; 12:30 a latte by QR; 14:40 a latte and a typed ¥30.00
    line in cash; 15:05 the card order gives the muffin (¥12.00) back."""
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 10, 15))
    latte, muffin = goods(
        client, shop.till, variation(name="大杯", price=1_800), variation(name="松饼", price=1_200)
    )
    shift_of(client, shop.till)
    first = new_order(
        client, shop.till, [{"variation_id": latte, "quantity": 2}, {"variation_id": muffin, "quantity": 1}]
    )
    assert tender(client, shop.till, first["id"], card(who, 4_800)).status_code == 201
    shop.at(shanghai(D, 12, 30))
    second = new_order(client, shop.till, [{"variation_id": latte, "quantity": 1}])
    paid = pay_qr(client, signed_in_again(bank, who), order_qr(client, shop.till, second["id"]))
    assert paid.status_code == 201, paid.text
    shop.at(shanghai(D, 14, 40))
    third = new_order(
        client, shop.till, [{"variation_id": latte, "quantity": 1}, {"name": "包间费", "amount": 3_000}]
    )
    assert tender(client, shop.till, third["id"], cash(4_800, 5_000)).status_code == 201
    shop.at(shanghai(D, 15, 5))
    assert refund(client, shop.till, first["id"], 1_200).status_code == 201


def _next_morning(shop: Shop) -> None:
    """D + 1 at 10:00: the owner's and cashier's logins renewed (they live 15 minutes)."""
    shop.at(shanghai(D + timedelta(days=1), 10))


def _report_json(client: TestClient, shop: Shop) -> dict:  # type: ignore[type-arg]
    response = client.get(
        f"/v1/merchants/{shop.merchant_id}/reports/daily",
        params={"date": D.isoformat()},
        headers=headers(shop.owner),
    )
    assert response.status_code == 200, response.text
    report: dict = response.json()  # type: ignore[type-arg]
    return report


def _yuan(amount: int) -> str:
    return format_money(amount, "CNY", "zh-CN")


def _stat(page: str, label: str) -> str:
    match = re.search(
        rf'<span class="stat__label">{re.escape(label)}</span><span class="stat__value">([^<]+)</span>', page
    )
    assert match, f"no figure {label}"
    return html.unescape(match.group(1))


def _row(page: str, attribute: str, value: str) -> list[str]:
    """The cells of the table row ``<tr data-attribute="value">``, as text."""
    match = re.search(rf'<tr {attribute}="{re.escape(value)}">(.*?)</tr>', page, re.DOTALL)
    assert match, f"no row {attribute}={value}"
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match.group(1), re.DOTALL)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def test_the_report_shows_the_services_figures(client: TestClient, bank: Bank, shop: Shop) -> None:
    _trade_day_d(client, bank, shop)
    _next_morning(shop)
    report = _report_json(client, shop)
    totals = report["totals"]
    assert (totals["gross"], totals["refunds"], totals["payments"]) == (11_400, 1_200, 3)

    owner = signed_in(client, "merchant", shop.owner_username)
    response = owner.get(REPORTS, params={"date": D.isoformat()})
    assert response.status_code == 200
    page = response.text
    assert "上海好味餐饮有限公司" in page and "2026-03-02" in page and "星期一" in page
    assert _stat(page, "交易额") == _yuan(totals["gross"])
    assert _stat(page, "退款") == _yuan(totals["refunds"])
    assert _stat(page, "手续费") == _yuan(totals["fees"])
    assert _stat(page, "净收入") == _yuan(totals["net"])
    assert _stat(page, "收款笔数") == "3"
    assert _stat(page, "优惠券抵扣") == _yuan(0)

    for line in report["by_tender"]:
        name = {"cash": "现金", "card": "银行卡", "qr_merchant": "扫码支付"}[line["method"]]
        amounts = [_yuan(line[k]) for k in ("gross", "refunds", "fees", "net")]
        assert _row(page, "data-tender", line["method"]) == [name, str(line["count"]), *amounts]
    assert [t["method"] for t in report["by_tender"]] == ["cash", "card", "qr_merchant"]

    for rank, item in enumerate(report["by_item"], start=1):
        cells = _row(page, "data-item", item["variation_id"] or "")
        assert cells[0] == str(rank) and cells[1].startswith(item["name"])
        assert cells[2:] == [str(item["quantity"]), _yuan(item["amount"])]

    owner.cookies.set(LANG_COOKIE, "en")
    english = owner.get(REPORTS, params={"date": D.isoformat()}).text
    assert "Daily report" in english and "Sales by hour" in english and "Monday" in english
    assert _stat(english, "Net") == format_money(totals["net"], "CNY", "en")
    assert "ui." not in re.sub(r"<(script|link)[^>]*>", "", english)  # every word has its English


def test_the_hourly_chart_is_an_accessible_svg_of_24_bars(client: TestClient, bank: Bank, shop: Shop) -> None:
    _trade_day_d(client, bank, shop)
    _next_morning(shop)
    report = _report_json(client, shop)
    page = (
        signed_in(client, "merchant", shop.owner_username).get(REPORTS, params={"date": D.isoformat()}).text
    )

    svg = re.search(r"<svg class=\"chart\"[^>]*>.*?</svg>", page, re.DOTALL)
    assert svg, "no chart"
    chart = svg.group(0)
    assert 'role="img"' in chart and "<title>分时段交易额</title>" in chart
    label = html.unescape(re.search(r'aria-label="([^"]+)"', chart).group(1))  # type: ignore[union-attr]
    assert label == "全天交易额 ¥114.00；最忙的是 10:00 起的一小时：1 笔，¥48.00"
    bars = re.findall(
        r'<rect class="chart__bar[^"]*" data-hour="(\d+)" x="\d+" y="\d+" width="18" height="(\d+)"', chart
    )
    assert [int(hour) for hour, _ in bars] == list(range(24))
    heights = {int(hour): int(height) for hour, height in bars}
    # A ¥48.00 peak is read on an axis of ¥20 steps up to ¥60, 200 units high.
    assert re.findall(r'<text class="chart__tick"[^>]*>([^<]+)</text>', chart) == ["¥0", "¥20", "¥40", "¥60"]
    assert heights[10] == heights[14] == 160 and heights[12] == 60
    assert all(heights[h] == 2 for h in range(24) if h not in (10, 12, 14))  # empty slots: a stub
    assert chart.count("chart__bar--peak") == 1

    # The numbers again, as a table for screen readers.
    for hour in report["by_hour"]:
        if hour["count"]:
            assert _row(page, "data-hour-row", str(hour["hour"]))[1:] == [
                str(hour["count"]),
                _yuan(hour["gross"]),
            ]
        else:
            assert f'data-hour-row="{hour["hour"]}"' not in page


def test_the_axis_steps_read_at_a_glance() -> None:
    assert [pages.axis_step(peak) for peak in (0, 400, 401, 4_800, 11_400, 3_000_000)] == [
        100,
        100,
        200,
        2_000,
        5_000,
        1_000_000,
    ]


def test_the_csv_download_is_the_apis_report_for_people(client: TestClient, bank: Bank, shop: Shop) -> None:
    _trade_day_d(client, bank, shop)
    _next_morning(shop)
    owner = signed_in(client, "merchant", shop.owner_username)
    page = owner.get(REPORTS, params={"date": D.isoformat()}).text
    link = f'href="/merchant/reports/export?date={D.isoformat()}"'
    assert link in page
    download = owner.get("/merchant/reports/export", params={"date": D.isoformat()})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert (
        download.headers["content-disposition"] == f'attachment; filename="{shop.merchant_id}-2026-03-02.csv"'
    )
    api = client.get(
        f"/v1/merchants/{shop.merchant_id}/reports/daily",
        params={"date": D.isoformat(), "format": "csv"},
        headers=headers(shop.owner),
    )
    # The same report as the API's, for a person: a BOM, headers in the page's language, yuan not fen.
    assert "totals,2026-03-02,gross,3,,11400,1200," in api.text
    assert download.text.startswith("\ufeff部分,代码,名称,笔数,数量,收款（元）,退款（元）")
    assert "合计,2026-03-02,收款,3,,114.00,12.00," in download.text
    assert len(download.text.splitlines()) == len(api.text.splitlines())
    owner.cookies.set("lang", "en")
    english = owner.get("/merchant/reports/export", params={"date": D.isoformat()}).text
    assert english.startswith("\ufeffPart,Code,Name,Payments,Quantity,Takings (yuan)")
    assert "Totals,2026-03-02,Takings,3,,114.00,12.00," in english


def test_an_empty_day_is_friendly_and_the_day_can_be_walked(client: TestClient, shop: Shop) -> None:
    _next_morning(shop)
    owner = signed_in(client, "merchant", shop.owner_username)
    page = owner.get(REPORTS).text  # today, in Asia/Shanghai
    assert 'value="2026-03-03"' in page and "今天" in page
    assert "这一天没有交易" in page and '<svg class="chart"' not in page
    assert f'href="{REPORTS}?date=2026-03-02"' in page  # the previous day
    assert "?date=2026-03-04" not in page  # no next day past today
    earlier = owner.get(REPORTS, params={"date": "2026-03-01"}).text
    assert f'href="{REPORTS}?date=2026-03-02"' in earlier and 'rel="next"' in earlier
    assert owner.get(REPORTS, params={"date": "not-a-day"}).status_code == 422


def test_cashiers_get_the_403_page(client: TestClient, shop: Shop) -> None:
    cashier = signed_in(client, "merchant", shop.cashier_username)
    for path in (REPORTS, f"{REPORTS}/export", "/merchant/settlements"):
        response = cashier.get(path)
        assert response.status_code == 403, path
        assert response.headers["content-type"].startswith("text/html")
        assert "无权执行此操作" in response.text


def test_another_merchant_sees_only_its_own_day_and_bank_staff_read_any(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    _trade_day_d(client, bank, shop)
    _next_morning(shop)
    other = open_shop(client, db, settings, name="另一家餐饮有限公司")
    other_owner = signed_in(client, "merchant", other.owner_username)
    page = other_owner.get(REPORTS, params={"date": D.isoformat()}).text
    assert "另一家餐饮有限公司" in page and "这一天没有交易" in page and "¥114.00" not in page
    assert other_owner.get(f"/bank/merchants/{shop.merchant_id}/reports").status_code == 403

    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    read = teller.get(f"/bank/merchants/{shop.merchant_id}/reports", params={"date": D.isoformat()})
    assert read.status_code == 200
    assert _stat(read.text, "交易额") == "¥114.00"
    assert 'href="/merchant/settlements"' not in read.text  # the merchant's tabs are the merchant's
    export = teller.get(f"/bank/merchants/{shop.merchant_id}/reports/export", params={"date": D.isoformat()})
    assert export.status_code == 200 and ",114.00," in export.text  # yuan, as the owner's file
    missing = teller.get("/bank/merchants/mer_00000000000000000000/reports")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")


def test_settlement_statements_newest_first_and_paged(
    client: TestClient, bank: Bank, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = signed_in(client, "merchant", shop.owner_username)
    assert "还没有结算单" in owner.get("/merchant/settlements").text

    who = payer(bank, 50_000)
    _trade_day_d(client, bank, shop)
    _next_morning(shop)  # D + 1: one more card sale
    order = new_order(client, shop.till, [{"name": "餐费", "amount": 2_500}])
    assert tender(client, shop.till, order["id"], card(who, 2_500)).status_code == 201
    shop.at(shanghai(D + timedelta(days=2), 9))
    assert settle(client, shop.admin(), D + timedelta(days=1)).status_code == 201
    statements = client.get(
        f"/v1/merchants/{shop.merchant_id}/settlements", headers=headers(shop.owner)
    ).json()["data"]
    assert [s["business_date"] for s in statements] == ["2026-03-03", "2026-03-02"]

    owner = signed_in(client, "merchant", shop.owner_username)
    page = owner.get("/merchant/settlements").text
    assert re.findall(r'<tr data-statement="(stl_\w+)">', page) == [s["id"] for s in statements]
    day_d = statements[1]
    cells = _row(page, "data-statement", day_d["id"])
    assert cells[0] == "2026-03-02"
    assert cells[1:5] == [_yuan(day_d[k]) for k in ("gross", "refunds", "fees")] + [_yuan(day_d["net"])]
    assert "银行卡 ¥48.00" in cells[5] and "扫码支付 ¥18.00" in cells[5] and "现金 ¥48.00" in cells[5]
    assert "现金 ¥48.00 留存门店" in cells[5]
    assert 'href="/merchant/reports?date=2026-03-02"' in page

    monkeypatch.setattr(pages, "PER_PAGE", 1)
    first = owner.get("/merchant/settlements").text
    assert re.findall(r'data-statement="(stl_\w+)"', first) == [statements[0]["id"]]
    older = re.search(r'href="(/merchant/settlements\?starting_after=stl_\w+)"', first)
    assert older, "no link to older statements"
    second = owner.get(older.group(1)).text
    assert re.findall(r'data-statement="(stl_\w+)"', second) == [statements[1]["id"]]
    assert "更早的结算单" not in second and 'href="/merchant/settlements">最新' in second


def test_the_console_and_the_app_link_to_the_new_pages(client: TestClient, bank: Bank, shop: Shop) -> None:
    owner = signed_in(client, "merchant", shop.owner_username)
    home = owner.get("/merchant").text
    assert 'href="/merchant/reports"' in home  # the "资金" item of the navigation
    person = bank.customer()
    app = signed_in(client, "app", person.phone)
    me = app.get("/app/me").text
    assert 'href="/app/pay"' in me and 'href="/app/merchant-application"' in me
    assert 'href="/app/pay"' in app.get("/app").text  # "扫一扫" on the home screen


def test_the_report_shows_the_reviews_written_that_day(
    client: TestClient, db: Database, settings: Settings, bank: Bank, shop: Shop
) -> None:
    who = payer(bank, 100_000)
    shop.at(shanghai(D, 11))
    lunch, dinner = order_of(client, shop.till, 3_800), order_of(client, shop.till, 5_600)
    for order_id, amount in ((lunch, 3_800), (dinner, 5_600)):
        assert tender(client, shop.till, order_id, card(who, amount)).status_code == 201
    shop.at(shanghai(D, 13))
    who = signed_in_again(bank, who)
    assert review(client, who.token, shop.store_id, lunch, rating=4, text="汤很鲜").status_code == 201
    shop.at(shanghai(D + timedelta(days=1), 9))
    who = signed_in_again(bank, who)
    assert review(client, who.token, shop.store_id, dinner, rating=1, text="第二天写的").status_code == 201

    owner = signed_in(client, "merchant", shop.owner_username)
    page = owner.get(REPORTS, params={"date": D.isoformat()}).text
    section = page[page.index('class="card report-reviews"') :]
    assert "当日顾客评价" in section and "评价 1 条 · 平均 4.0 星" in section and "汤很鲜" in section
    assert "第二天写的" not in page  # written on D + 1: that day's report shows it
    next_day = owner.get(REPORTS, params={"date": (D + timedelta(days=1)).isoformat()}).text
    assert "评价 1 条 · 平均 1.0 星" in next_day and "第二天写的" in next_day
    earlier = owner.get(REPORTS, params={"date": (D - timedelta(days=1)).isoformat()}).text
    assert "这一天没有新的评价" in earlier

    teller = signed_in(client, "bank", make_user(db, settings, roles=(Role.TELLER,)))
    read = teller.get(f"/bank/merchants/{shop.merchant_id}/reports", params={"date": D.isoformat()}).text
    assert "汤很鲜" in read and "/merchant/reviews" not in read
    owner.cookies.set(LANG_COOKIE, "en")
    english = owner.get(REPORTS, params={"date": D.isoformat()}).text
    assert "Reviews of the day" in english and "Reviews: 1 · average 4.0 stars" in english
