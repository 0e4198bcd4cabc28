"""Coupons in the books, through the real checkout: the discount counted as coupon sales, the
merchant's share as coupon cost, the bank's shares as owed by the bank; a refund gives back its part."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from finlife.kit.clock import clock
from finlife.kit.db import Database
from finlife.settings import Settings
from tests.books.support import drain, entries, get
from tests.marketing.support import market
from tests.payments.support import cash, refund, shift_of, tender


def test_a_coupon_split_between_merchant_and_bank_and_half_refunded(
    client: TestClient, db: Database, settings: Settings
) -> None:
    shop = market(client, db, settings)
    campaign_id = shop.live(
        value=2_000,
        funding={"merchant": 50, "branch": 30, "hq": 20},
        budget={"merchant": 100_000, "branch": 100_000, "hq": 100_000},
    )
    person, _ = shop.customer()
    code = shop.coupon(person, campaign_id)["code"]
    order = shop.order(shop.lattes(3), [code]).json()
    shift_of(client, shop.till)
    assert tender(client, shop.till, order["id"], cash(3_400)).status_code == 201
    assert refund(client, shop.till, order["id"], 1_700).status_code == 201
    drain(db)
    merchant_id = shop.till.merchant_id
    booked = dict(entries(db, merchant_id))  # one entry of each kind here
    assert booked == {
        "sale": {"asset:drawer": 3_400, "revenue:sales:cash": -3_400},
        "coupon": {"expense:coupon_cost": 1_000, "asset:pending": 1_000, "revenue:sales:coupon": -2_000},
        "refund": {"revenue:refunds:cash": 1_700, "asset:drawer": -1_700},
        "coupon_refund": {
            "revenue:refunds:coupon": 1_000,
            "expense:coupon_cost": -500,
            "asset:pending": -500,
        },
    }
    today: date = clock.business_day()
    total = get(client, shop.till.owner, merchant_id, "pnl", from_=today, to=today).json()["total"]
    assert (total["revenue"], total["coupon_cost"], total["profit"]) == (2_700, 500, 2_200)
    returns = get(client, shop.till.owner, merchant_id, "returns", from_=today, to=today).json()
    assert returns["coupon_cost"] == 500 and returns["coupon_subsidies"] == 500
    assert returns["coupon_order_takings"] == 3_400 and returns["coupon_return"] == "5.80"
    takings = get(client, shop.till.owner, merchant_id, "takings", from_=today, to=today).json()
    assert takings["by_tender"] == [{"tender": "cash", "takings": 1_700}]  # a coupon is not takings
