"""Races on PostgreSQL: a flash claim never oversells nor passes a customer's limit, even when the
same customer claims on several connections at once; concurrent orders never spend a budget twice."""

from __future__ import annotations

import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import FinlifeError
from finlife.ledger import service as ledger
from finlife.marketing import service as marketing
from finlife.marketing.models import Campaign, Coupon
from finlife.marketing.schemas import ClaimIn, PricedLine
from tests.accounts.support import Person, trial_balance_total
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


def _claimed_together(shop: Market, campaign_id: str, claims: list[tuple[Actor, ClaimIn]]) -> list[str]:
    """Every claim held at one barrier and then sent at once, each in its own unit of work (its own
    connection): a customer's several claims really race their own limit, not only each other's."""
    start = threading.Barrier(len(claims))

    def claim(actor: Actor, body: ClaimIn) -> str:
        start.wait(timeout=30)
        try:
            with shop.db.unit_of_work() as session:
                marketing.claim(session, shop.settings, actor, campaign_id, body)
            return "claimed"
        except FinlifeError as exc:
            return exc.code

    with ThreadPoolExecutor(max_workers=len(claims)) as pool:
        return list(pool.map(lambda pair: claim(*pair), claims))


def _coupons_by_customer(shop: Market) -> dict[str, int]:
    with shop.db.unit_of_work() as session:
        rows = session.execute(select(Coupon.customer_id, func.count()).group_by(Coupon.customer_id)).all()
    return {customer_id: count for customer_id, count in rows}


def _mobile(person: Person) -> Actor:
    return Actor(
        channel=Channel.MOBILE,
        user_id=f"usr_{person.customer_id}",
        roles=frozenset({Role.CUSTOMER}),
        customer_id=person.customer_id,
    )


def test_a_customers_concurrent_claims_get_exactly_their_limit(shop: Market) -> None:
    """Five customers each send six claims at the same instant, for coupons of ¥3.00, two each, stock to
    spare: each gets exactly two, pays for exactly two, and the other four are refused for the limit."""
    campaign_id = shop.live(value=1_000, price=300, stock=100, per_customer_limit=2)
    buyers = [shop.customer(funds=10_000) for _ in range(5)]
    claims = [
        (_mobile(person), ClaimIn(account_id=account_id)) for person, account_id in buyers for _ in range(6)
    ]
    outcomes = _claimed_together(shop, campaign_id, claims)
    assert sorted(outcomes) == ["claim_limit_reached"] * 20 + ["claimed"] * 10
    assert _coupons_by_customer(shop) == {person.customer_id: 2 for person, _ in buyers}
    for _, account_id in buyers:
        assert account_id is not None
        assert shop.bank.balance(account_id) == 10_000 - 2 * 300
    _assert_sales_and_stock(shop, campaign_id, issued=10)


def test_concurrent_claims_of_the_same_customers_never_pass_the_stock(shop: Market) -> None:
    """Six customers, five claims each at once, two each allowed but only seven in stock: exactly seven
    coupons, nobody above two, every coupon paid once and no refused claim paid at all."""
    campaign_id = shop.live(value=1_000, price=300, stock=7, per_customer_limit=2)
    buyers = [shop.customer(funds=10_000) for _ in range(6)]
    claims = [
        (_mobile(person), ClaimIn(account_id=account_id)) for person, account_id in buyers for _ in range(5)
    ]
    outcomes = _claimed_together(shop, campaign_id, claims)
    assert outcomes.count("claimed") == 7
    assert set(outcomes) == {"claimed", "claim_limit_reached", "coupons_out_of_stock"}
    held = _coupons_by_customer(shop)
    assert sum(held.values()) == 7
    assert max(held.values()) == 2  # 7 coupons among 6 customers: someone holds two
    for person, account_id in buyers:
        assert account_id is not None
        assert shop.bank.balance(account_id) == 10_000 - 300 * held.get(person.customer_id, 0)
    _assert_sales_and_stock(shop, campaign_id, issued=7)


def _assert_sales_and_stock(shop: Market, campaign_id: str, *, issued: int) -> None:
    """The campaign counted ``issued`` coupons and its sales account holds their price exactly."""
    with shop.db.unit_of_work() as session:
        campaign = session.execute(select(Campaign).where(Campaign.public_id == campaign_id)).scalar_one()
        assert campaign.issued == issued
        assert campaign.sales_ledger_account_id is not None
        assert ledger.balance(session, campaign.sales_ledger_account_id).ledger == 300 * issued
    assert trial_balance_total(shop.db) == 0
