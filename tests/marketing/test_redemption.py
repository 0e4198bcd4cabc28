"""Coupons at the cashier: the discount of every kind, the scope and time rules, one coupon per order,
holding and releasing, and the subsidy of every funder booked in the ledger to the fen."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from finlife.kit.clock import clock
from tests.accounts.support import trial_balance_total
from tests.factories import headers
from tests.marketing.support import Market
from tests.payments.support import cash, refund, shift_of, tender


def _discount(shop: Market, lines: list[dict[str, Any]], **campaign: Any) -> Any:
    campaign_id = shop.live(**campaign)
    person, _ = shop.customer()
    code = shop.coupon(person, campaign_id)["code"]
    return shop.order(lines, [code], calculate=True)


@pytest.mark.parametrize(
    ("campaign", "quantity", "discount"),
    [
        ({"kind": "fixed", "value": 500}, 1, 500),
        ({"kind": "fixed", "value": 5_000}, 1, 1_800),  # never more than the order
        ({"kind": "percent", "value": 20, "cap": 1_000}, 2, 720),
        ({"kind": "percent", "value": 50, "cap": 1_000}, 3, 1_000),  # capped
        ({"kind": "threshold", "value": 1_000, "min_spend": 5_000}, 3, 1_000),
    ],
)
def test_each_kind_takes_off_what_it_says(
    shop: Market, campaign: dict[str, Any], quantity: int, discount: int
) -> None:
    response = _discount(shop, shop.lattes(quantity), **campaign)
    assert response.status_code == 200, response.text
    assert response.json()["discount"] == discount
    assert response.json()["total"] == 1_800 * quantity - discount


def test_a_threshold_below_its_minimum_spend_is_refused(shop: Market) -> None:
    response = _discount(shop, shop.lattes(2), kind="threshold", value=1_000, min_spend=5_000)
    assert response.status_code == 422
    assert response.json()["code"] == "coupon_min_spend"
    assert "5000" in response.json()["detail"]


def test_a_free_item_and_a_category_scope(shop: Market) -> None:
    lines = [{"variation_id": shop.latte, "quantity": 1}, {"variation_id": shop.cake, "quantity": 1}]
    free = _discount(shop, lines, kind="free_item", value=0, free_variation_id=shop.cake)
    assert free.json()["discount"] == 2_500
    no_cake = _discount(shop, shop.lattes(1), kind="free_item", value=0, free_variation_id=shop.cake)
    assert no_cake.json()["code"] == "coupon_not_for_goods"
    cakes_only = _discount(shop, lines, kind="percent", value=10, cap=10_000, categories=["甜点"])
    assert cakes_only.json()["discount"] == 250


def test_a_coupon_applies_only_where_its_scope_says(shop: Market) -> None:
    from tests.cashier.support import open_till

    campaign_id = shop.live(by_bank=True, funding={"hq": 100}, budget={"hq": 10_000})
    other = open_till(shop.client, shop.db, shop.settings, name="上海别家餐饮有限公司")
    scoped = shop.live(by_bank=True, funding={"hq": 100}, budget={"hq": 10_000}, store_ids=[other.store_id])
    person, _ = shop.customer()
    anywhere = shop.coupon(person, campaign_id)["code"]
    elsewhere = shop.coupon(person, scoped)["code"]
    assert shop.order(shop.lattes(1), [anywhere], calculate=True).status_code == 200
    refused = shop.order(shop.lattes(1), [elsewhere], calculate=True)
    assert refused.json()["code"] == "coupon_not_for_store"


def test_days_and_hours(shop: Market) -> None:
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # Monday 10:00 in Shanghai
    try:
        lunch = _discount(shop, shop.lattes(1), hours="11:00-14:00")
        assert lunch.json()["code"] == "coupon_outside_hours"
        weekend = _discount(shop, shop.lattes(1), weekdays=[6, 7])
        assert weekend.json()["code"] == "coupon_outside_hours"
        monday_morning = _discount(shop, shop.lattes(1), weekdays=[1], hours="09:00-11:00")
        assert monday_morning.json()["discount"] == 500
    finally:
        clock.reset()


def test_one_coupon_per_order_unless_all_stack(shop: Market) -> None:
    person, _ = shop.customer()
    one = shop.coupon(person, shop.live())["code"]
    two = shop.coupon(person, shop.live())["code"]
    refused = shop.order(shop.lattes(2), [one, two], calculate=True)
    assert refused.json()["code"] == "coupons_not_stackable"
    three = shop.coupon(person, shop.live(stackable=True))["code"]
    four = shop.coupon(person, shop.live(stackable=True))["code"]
    assert shop.order(shop.lattes(2), [three, four], calculate=True).json()["discount"] == 1_000
    assert shop.order(shop.lattes(1), ["NOSUCHCODE12"], calculate=True).json()["code"] == "coupon_unknown"


def test_an_order_holds_its_coupon_until_it_is_cancelled(shop: Market) -> None:
    campaign_id = shop.live()
    person, _ = shop.customer()
    code = shop.coupon(person, campaign_id)["code"]
    first = shop.order(shop.lattes(1), [code])
    assert first.status_code == 201, first.text
    assert (first.json()["discount"], first.json()["total"]) == (500, 1_300)
    second = shop.order(shop.lattes(1), [code])
    assert second.json()["code"] == "coupon_used"
    shown = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    assert shown["spent"]["merchant"] == 500
    cancelled = shop.client.post(
        f"/v1/orders/{first.json()['id']}/cancel", headers=headers(shop.till.cashier, channel="pos")
    )
    assert cancelled.status_code == 200, cancelled.text
    shown = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    assert shown["spent"]["merchant"] == 0
    assert shop.order(shop.lattes(1), [code]).status_code == 201


def test_payment_books_each_funders_share_and_a_refund_gives_it_back(shop: Market) -> None:
    """¥20 off, split merchant 50 % / branch 30 % / HQ 20 % on a ¥54 order paid in cash."""
    campaign_id = shop.live(
        value=2_000,
        funding={"merchant": 50, "branch": 30, "hq": 20},
        budget={"merchant": 100_000, "branch": 100_000, "hq": 100_000},
    )
    person, _ = shop.customer()
    code = shop.coupon(person, campaign_id)["code"]
    before = shop.balances()
    order = shop.order(shop.lattes(3), [code]).json()
    assert (order["subtotal"], order["discount"], order["total"]) == (5_400, 2_000, 3_400)
    shift_of(shop.client, shop.till)
    paid = tender(shop.client, shop.till, order["id"], cash(3_400))
    assert paid.status_code == 201, paid.text
    after = shop.balances()
    # Cash goes to the merchant's drawer; the bank's 600 + 400 reach its pending settlement.
    assert after["branch"] - before["branch"] == 600
    assert after["hq"] - before["hq"] == 400
    assert after["merchant"] - before["merchant"] == 1_000
    assert trial_balance_total(shop.db) == 0
    stats = shop.client.get(f"/v1/campaigns/{campaign_id}/stats", headers=headers(shop.till.owner)).json()
    assert stats["redeemed"] == 1
    assert stats["subsidy"] == {"merchant": 1_000, "branch": 600, "hq": 400}
    assert (stats["orders"], stats["revenue"], stats["gross"]) == (1, 3_400, 5_400)
    wallet = shop.client.get("/v1/me/coupons", headers=headers(person.token)).json()
    assert wallet[0]["status"] == "redeemed"

    half = refund(shop.client, shop.till, order["id"], 1_700)
    assert half.status_code == 201, half.text
    mid = shop.balances()
    assert (mid["branch"] - before["branch"], mid["hq"] - before["hq"]) == (300, 200)
    stats = shop.client.get(f"/v1/campaigns/{campaign_id}/stats", headers=headers(shop.till.owner)).json()
    assert stats["subsidy"] == {"merchant": 500, "branch": 300, "hq": 200}
    rest = refund(shop.client, shop.till, order["id"], 1_700)
    assert rest.status_code == 201, rest.text
    assert shop.balances() == before
    assert trial_balance_total(shop.db) == 0
    wallet = shop.client.get("/v1/me/coupons", headers=headers(person.token)).json()
    assert wallet[0]["status"] == "available"  # restored: still within its 30 days
    shown = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    assert shown["spent"] == {"merchant": 0, "branch": 0, "hq": 0}


def test_a_bought_coupon_pays_its_price_towards_the_discount(shop: Market) -> None:
    """Bought for ¥3, worth ¥10 off, bank-funded: the ¥3 already paid and ¥7 from HQ reach the merchant."""
    campaign_id = shop.live(by_bank=True, value=1_000, price=300, funding={"hq": 100}, budget={"hq": 10_000})
    person, account_id = shop.customer(funds=5_000)
    code = shop.coupon(person, campaign_id, account_id=account_id)["code"]
    before = shop.balances()
    order = shop.order(shop.lattes(1), [code]).json()
    shift_of(shop.client, shop.till)
    assert tender(shop.client, shop.till, order["id"], cash(800)).status_code == 201
    after = shop.balances()
    assert after["hq"] - before["hq"] == 700
    assert after["merchant"] - before["merchant"] == 1_000
    stats = shop.client.get(f"/v1/campaigns/{campaign_id}/stats", headers=headers(shop.officer())).json()
    assert (stats["prepaid"], stats["subsidy"]["hq"]) == (300, 700)
    assert trial_balance_total(shop.db) == 0


def test_a_spent_budget_refuses_the_next_order(shop: Market) -> None:
    campaign_id = shop.live(value=500, budget={"merchant": 800}, per_customer_limit=2)
    person, _ = shop.customer()
    first, second = (shop.coupon(person, campaign_id)["code"] for _ in range(2))
    assert shop.order(shop.lattes(1), [first]).status_code == 201
    refused = shop.order(shop.lattes(1), [second])
    assert refused.status_code == 409
    assert refused.json()["code"] == "coupon_budget_exhausted"
    shown = shop.client.get(f"/v1/campaigns/{campaign_id}", headers=headers(shop.till.owner)).json()
    assert shown["spent"]["merchant"] == 500
