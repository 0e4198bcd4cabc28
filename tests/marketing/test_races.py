"""Races on PostgreSQL: a flash claim never oversells nor passes a customer's limit; concurrent orders
never spend a budget twice."""

from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import FinlifeError
from finlife.marketing import service as marketing
from finlife.marketing.models import Coupon
from finlife.marketing.schemas import ClaimIn, PricedLine
from tests.marketing.support import Market

pytestmark = pytest.mark.postgres_only


def _customer(number: int) -> Actor:
    return Actor(
        channel=Channel.MOBILE,
        user_id=f"usr_race{number}",
        roles=frozenset({Role.CUSTOMER}),
        customer_id=f"cus_race{number:05d}",
    )


def test_a_flash_claim_gives_out_exactly_the_stock(shop: Market) -> None:
    """The issue's race: 10,000 concurrent claims for 1,000 coupons, at most two per customer."""
    campaign_id = shop.live(stock=1_000, per_customer_limit=2)
    attempts = [_customer(n % 3_000) for n in range(10_000)]  # 3,000 customers, 3 or 4 tries each

    def claim(actor: Actor) -> str:
        try:
            with shop.db.unit_of_work() as session:
                marketing.claim(session, shop.settings, actor, campaign_id, ClaimIn())
            return "claimed"
        except FinlifeError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=24) as pool:
        outcomes = list(pool.map(claim, attempts))
    assert outcomes.count("claimed") == 1_000
    assert set(outcomes) <= {"claimed", "claim_limit_reached", "coupons_out_of_stock"}
    with shop.db.unit_of_work() as session:
        per_customer = session.execute(
            select(Coupon.customer_id, func.count()).group_by(Coupon.customer_id)
        ).all()
    assert sum(count for _, count in per_customer) == 1_000
    assert max(count for _, count in per_customer) <= 2


def test_concurrent_orders_never_overspend_a_budget(shop: Market) -> None:
    """A ¥5 coupon with a ¥50 merchant budget: 40 orders race for it, exactly 10 get the discount."""
    campaign_id = shop.live(value=500, budget={"merchant": 5_000}, stock=40, per_customer_limit=1)
    codes = []
    for _ in range(40):
        person, _ = shop.customer()
        codes.append(shop.coupon(person, campaign_id)["code"])
    order = marketing.OrderFacts(
        merchant_id=shop.till.merchant_id,
        store_id=shop.till.store_id,
        lines=[
            PricedLine(
                variation_id=shop.latte, category="咖啡", unit_price=1_800, quantity=1, line_total=1_800
            )
        ],
    )
    numbers = itertools.count()

    def hold(code: str) -> str:
        try:
            with shop.db.unit_of_work() as session:
                marketing.hold_for_order(
                    session, Actor.system(Channel.POS), f"ord_race{next(numbers)}", order, [code]
                )
            return "held"
        except FinlifeError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=16) as pool:
        outcomes = list(pool.map(hold, codes))
    assert outcomes.count("held") == 10
    assert set(outcomes) == {"held", "coupon_budget_exhausted"}
    shown = shop.client.get(
        f"/v1/campaigns/{campaign_id}", headers={"Authorization": f"Bearer {shop.till.owner}"}
    )
    assert shown.json()["spent"]["merchant"] == 5_000
