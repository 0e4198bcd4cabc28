"""P&L, cash flow and takings: the identities, Shanghai days, and the exports."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from finlife.kit.clock import clock
from finlife.settings import Settings
from tests.accounts.support import Bank
from tests.books.support import book, drain, emit, get
from tests.payments.support import card, cash, order_of, payer, shift_of, tender
from tests.settlement.support import Shop, fee, settle, shanghai

MARCH_30, MARCH_31, APRIL_1 = date(2026, 3, 30), date(2026, 3, 31), date(2026, 4, 1)
COLUMNS = ("revenue", "fees", "coupon_cost", "expenses", "other_income", "profit")


def _sell(client, bank: Bank, shop: Shop, when: datetime, amount: int) -> None:  # type: ignore[no-untyped-def]
    who = payer(bank, amount)  # before the clock moves on: the teller's login is the clock's
    shop.at(when)
    bank._teller = None
    assert (
        tender(client, shop.till, order_of(client, shop.till, amount), card(who, amount)).status_code == 201
    )


def _trade_across_the_month_end(client, db, bank: Bank, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    _sell(client, bank, shop, shanghai(MARCH_30, 12), 10_000)
    assert (
        book(
            client,
            shop.owner,
            shop.merchant_id,
            kind="income",
            category="other",
            amount=1_000,
            date=MARCH_30,
            via="bank",
        ).status_code
        == 201
    )
    _sell(client, bank, shop, shanghai(MARCH_31, 23, 30), 7_000)  # 15:30 UTC: still March in Shanghai
    emit(
        db,
        "marketing.coupon_redeemed",
        {
            "coupon_id": "cpn_1",
            "merchant_id": shop.merchant_id,
            "campaign_id": "cmp_1",
            "order_id": "ord_1",
            "discount": 800,
            "merchant_share": 500,
            "bank_share": 300,
            "order_paid": 7_000,
        },
    )
    _sell(client, bank, shop, shanghai(APRIL_1, 0, 30), 3_000)  # 16:30 UTC on March 31: April in Shanghai
    assert (
        book(client, shop.owner, shop.merchant_id, category="rent", amount=50_000, date=APRIL_1).status_code
        == 201
    )
    drain(db)


def test_daily_pnl_adds_up_to_the_monthly_one_exactly_in_shanghai_days(
    client, db, settings: Settings, bank: Bank, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    _trade_across_the_month_end(client, db, bank, shop)
    daily = get(client, shop.owner, shop.merchant_id, "pnl", from_=MARCH_30, to=APRIL_1, by="day").json()
    monthly = get(client, shop.owner, shop.merchant_id, "pnl", from_=MARCH_30, to=APRIL_1, by="month").json()
    assert [row["period"] for row in daily["rows"]] == ["2026-03-30", "2026-03-31", "2026-04-01"]
    assert [row["period"] for row in monthly["rows"]] == ["2026-03", "2026-04"]
    assert daily["rows"][1] == {
        "period": "2026-03-31",
        "revenue": 7_800,  # what the customer paid and what the coupon paid for
        "fees": fee(settings, 7_000),
        "coupon_cost": 500,
        "expenses": 0,
        "other_income": 0,
        "profit": 7_800 - fee(settings, 7_000) - 500,
    }
    assert daily["rows"][2]["revenue"] == 3_000 and daily["rows"][2]["expenses"] == 50_000
    for month in monthly["rows"]:
        days = [row for row in daily["rows"] if row["period"].startswith(month["period"])]
        assert {column: sum(row[column] for row in days) for column in COLUMNS} == {
            column: month[column] for column in COLUMNS
        }
    assert daily["total"] | {"period": ""} == monthly["total"] | {"period": ""}
    for row in [*daily["rows"], daily["total"]]:
        assert (
            row["profit"]
            == row["revenue"] + row["other_income"] - row["fees"] - row["coupon_cost"] - row["expenses"]
        )
    assert daily["total"]["revenue"] == 20_800 and daily["total"]["other_income"] == 1_000


def test_cash_flow_opening_plus_inflows_less_outflows_is_closing(
    client, db, settings: Settings, bank: Bank, shop: Shop
) -> None:  # type: ignore[no-untyped-def]
    _sell(client, bank, shop, shanghai(MARCH_30, 12), 10_000)
    shift_of(client, shop.till)
    assert tender(client, shop.till, order_of(client, shop.till, 2_500), cash(2_500)).status_code == 201
    assert (
        book(
            client, shop.owner, shop.merchant_id, category="stock", amount=700, date=MARCH_30, via="drawer"
        ).status_code
        == 201
    )
    shop.at(shanghai(MARCH_31, 10))
    assert settle(client, shop.admin(), MARCH_30).status_code == 201
    assert (
        book(
            client, shop.owner, shop.merchant_id, category="utilities", amount=1_200, date=APRIL_1, via="bank"
        ).status_code
        == 201
    )
    drain(db)
    net = 10_000 - fee(settings, 10_000)
    first = get(client, shop.owner, shop.merchant_id, "cashflow", from_=MARCH_30, to=MARCH_31).json()
    assert first["accounts"] == [
        {"account": "settlement_account", "opening": 0, "inflows": net, "outflows": 0, "closing": net},
        {"account": "cash_drawer", "opening": 0, "inflows": 2_500, "outflows": 700, "closing": 1_800},
    ]
    later = get(client, shop.owner, shop.merchant_id, "cashflow", from_=APRIL_1, to=APRIL_1).json()
    assert later["accounts"][0] == {
        "account": "settlement_account",
        "opening": net,
        "inflows": 0,
        "outflows": 1_200,
        "closing": net - 1_200,
    }
    assert later["accounts"][1]["opening"] == first["accounts"][1]["closing"]
    for account in [*first["accounts"], *later["accounts"]]:
        assert account["opening"] + account["inflows"] - account["outflows"] == account["closing"]


def test_takings_by_tender_store_and_shanghai_hour(client, db, bank: Bank, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    _sell(client, bank, shop, shanghai(MARCH_30, 12, 10), 10_000)
    shift_of(client, shop.till)
    assert tender(client, shop.till, order_of(client, shop.till, 2_500), cash(2_500)).status_code == 201
    _sell(client, bank, shop, shanghai(MARCH_30, 23, 50), 4_000)
    drain(db)
    takings = get(client, shop.owner, shop.merchant_id, "takings", from_=MARCH_30, to=MARCH_30).json()
    assert takings["total"] == 16_500
    assert takings["by_tender"] == [
        {"tender": "card", "takings": 14_000},
        {"tender": "cash", "takings": 2_500},
    ]
    assert takings["by_store"] == [{"store_id": shop.store_id, "store_name": "徐家汇店", "takings": 16_500}]
    hours = {row["hour"]: row["takings"] for row in takings["by_hour"] if row["takings"]}
    assert hours == {12: 12_500, 23: 4_000}


def test_exports_are_numbers_with_headers_in_the_request_language(client, db, bank: Bank, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    _trade_across_the_month_end(client, db, bank, shop)
    english = get(
        client,
        shop.owner,
        shop.merchant_id,
        "pnl",
        "en",
        from_=MARCH_30,
        to=APRIL_1,
        by="month",
        format="csv",
    )
    assert english.status_code == 200 and english.headers["content-type"].startswith("text/csv")
    text = english.content.decode("utf-8")
    assert text.startswith("\ufeffPeriod,Revenue,Fees,Coupon cost,Expenses,Other income,Profit")
    assert text.splitlines()[2].startswith("2026-04,30.00,")
    chinese = get(
        client, shop.owner, shop.merchant_id, "pnl", from_=MARCH_30, to=APRIL_1, by="month", format="xlsx"
    )
    assert chinese.status_code == 200
    sheet = load_workbook(io.BytesIO(chinese.content)).active
    assert [cell.value for cell in sheet[1]] == [
        "期间",
        "营业收入",
        "手续费",
        "优惠券成本",
        "费用",
        "其他收入",
        "利润",
    ]
    assert (
        sheet["A3"].value == "2026-04"
        and sheet["B3"].value == 30
        and isinstance(sheet["E3"].value, (int, float))
    )
    assert sheet["E3"].value == 500 and sheet["E3"].number_format == "#,##0.00"
    cashflow = get(
        client, shop.owner, shop.merchant_id, "cashflow", "en", from_=MARCH_30, to=APRIL_1, format="csv"
    )
    assert cashflow.content.decode().startswith("\ufeffAccount,Opening,Inflows,Outflows,Closing")


def test_a_reversed_or_too_long_range_is_refused(client, shop: Shop) -> None:  # type: ignore[no-untyped-def]
    reversed_range = get(client, shop.owner, shop.merchant_id, "pnl", from_=APRIL_1, to=MARCH_30)
    assert reversed_range.status_code == 422 and reversed_range.json()["code"] == "books_range_invalid"
    too_long = get(client, shop.owner, shop.merchant_id, "cashflow", from_=date(2020, 1, 1), to=APRIL_1)
    assert too_long.status_code == 422
    default = get(client, shop.owner, shop.merchant_id, "pnl").json()
    today = clock.business_day()
    assert default["from"] == today.replace(day=1).isoformat() and default["to"] == today.isoformat()
    assert len(default["rows"]) == (today - today.replace(day=1)).days + 1
