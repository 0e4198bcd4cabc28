"""Claims committed together (``marketing.service.claim_batch``, PostgreSQL): through the API many
claims race in batches, and in one batch each claim is decided as if it ran alone, in order."""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import pytest
from sqlalchemy import func, select

from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.errors import FinlifeError
from finlife.marketing import service as marketing
from finlife.marketing.models import Campaign, Coupon
from finlife.marketing.schemas import ClaimIn
from finlife.marketing.service.claim_batch import ClaimHint, prepare_claims
from tests.accounts.support import Person, trial_balance_total
from tests.kit.batching import in_one_batch
from tests.marketing.support import Market

pytestmark = pytest.mark.postgres_only  # SQLite runs every claim alone


def _answer(response: Any) -> str:
    body = response.json()
    return (
        str(response.status_code) if response.status_code < 400 else f"{response.status_code} {body['code']}"
    )


def _held(shop: Market, campaign_id: str) -> tuple[int, dict[str, int]]:
    """The campaign's ``issued`` and the coupons each customer holds, read from the database."""
    with shop.db.unit_of_work() as session:
        campaign = session.execute(select(Campaign).where(Campaign.public_id == campaign_id)).scalar_one()
        rows = session.execute(
            select(Coupon.customer_id, func.count())
            .where(Coupon.campaign_pk == campaign.id)
            .group_by(Coupon.customer_id)
        ).all()
        return campaign.issued, {customer_id: count for customer_id, count in rows}


def _ran_alone(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Batches that failed as a whole and ran each claim again alone (correct, but not the path)."""
    return [r.getMessage() for r in caplog.records if "failed; running each alone" in r.getMessage()]


def test_a_flash_claim_over_the_api_gives_out_exactly_the_stock(
    shop: Market, caplog: pytest.LogCaptureFixture
) -> None:
    """240 claims of 40 customers (six each, two allowed) race over the API for 50 coupons: exactly 50
    answered 201 and held, nobody above two, every other claim refused for the stock or the limit."""
    campaign_id = shop.live(stock=50, per_customer_limit=2)
    people = [shop.customer()[0] for _ in range(40)]

    def claim(n: int) -> str:
        return _answer(shop.claim(people[n % len(people)], campaign_id))

    with ThreadPoolExecutor(max_workers=24) as pool:
        answers = Counter(pool.map(claim, range(240)))
    assert answers["201"] == 50
    assert set(answers) <= {"201", "409 claim_limit_reached", "409 coupons_out_of_stock"}
    issued, held = _held(shop, campaign_id)
    assert issued == 50
    assert sum(held.values()) == 50
    assert max(held.values()) <= 2
    assert _ran_alone(caplog) == []


def test_bought_flash_claims_over_the_api_are_paid_exactly(
    shop: Market, caplog: pytest.LogCaptureFixture
) -> None:
    """Eight customers send five claims each at once for ¥3.00 coupons, two each, nine in stock:
    nine coupons, each paid once, no refused claim paid, the books balanced."""
    campaign_id = shop.live(value=1_000, price=300, stock=9, per_customer_limit=2)
    buyers = [shop.customer(funds=10_000) for _ in range(8)]

    def claim(n: int) -> str:
        person, account_id = buyers[n % len(buyers)]
        return _answer(shop.claim(person, campaign_id, account_id=account_id))

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = Counter(pool.map(claim, range(40)))
    assert answers["201"] == 9
    assert set(answers) <= {"201", "409 claim_limit_reached", "409 coupons_out_of_stock"}
    issued, held = _held(shop, campaign_id)
    assert issued == 9 and sum(held.values()) == 9 and max(held.values()) <= 2
    for person, account_id in buyers:
        assert account_id is not None
        assert shop.bank.balance(account_id) == 10_000 - 300 * held.get(person.customer_id, 0)
    assert trial_balance_total(shop.db) == 0
    assert _ran_alone(caplog) == []


def _mobile(person: Person) -> Actor:
    return Actor(
        channel=Channel.MOBILE,
        user_id=f"usr_{person.customer_id}",
        roles=frozenset({Role.CUSTOMER}),
        customer_id=person.customer_id,
    )


def _one_batch(shop: Market, campaign_id: str, claims: list[tuple[Person, ClaimIn]]) -> list[str]:
    def work(actor: Actor, body: ClaimIn) -> Any:
        return lambda session: marketing.claim(session, shop.settings, actor, campaign_id, body)

    hints = [
        ClaimHint(
            campaign_id, person.customer_id, (f"usr_{person.customer_id}", str(uuid.uuid4())), body.account_id
        )
        for person, body in claims
    ]
    results = in_one_batch(
        shop.db,
        [work(_mobile(person), body) for person, body in claims],
        prepare=partial(prepare_claims, settings=shop.settings),
        hints=hints,
    )
    return [r.code if isinstance(r, FinlifeError) else "claimed" for r in results]


def test_claims_in_one_batch_are_decided_in_order_under_the_limit_and_the_stock(
    shop: Market, caplog: pytest.LogCaptureFixture
) -> None:
    """One batch: a customer's third claim is refused for the limit and does not count, the stock
    runs out at the fourth coupon, and what the batch remembered is what the database holds. The
    claims ask the database nothing while they run: their writes go with the COMMIT."""
    campaign_id = shop.live(stock=4, per_customer_limit=2)
    ann, bob, cat = (shop.customer()[0] for _ in range(3))
    order = [ann, ann, ann, bob, cat, cat, bob]
    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        outcomes = _one_batch(shop, campaign_id, [(p, ClaimIn()) for p in order])
    messages = [r.getMessage() for r in caplog.records]
    assert _ran_alone(caplog) == []  # it ran as one batch
    # The keys, the claim counters, the COMMIT with every write (the campaign: two ORM reads).
    assert messages.count("round trip") == 3
    assert outcomes == [
        "claimed",
        "claimed",
        "claim_limit_reached",
        "claimed",
        "claimed",
        "coupons_out_of_stock",
        "coupons_out_of_stock",
    ]
    issued, held = _held(shop, campaign_id)
    assert issued == 4
    assert held == {ann.customer_id: 2, bob.customer_id: 1, cat.customer_id: 1}


def test_a_sold_out_batch_refuses_without_asking_the_database_again(
    shop: Market, caplog: pytest.LogCaptureFixture
) -> None:
    """Once every coupon is issued the batch reads the campaign once, unlocked, and its claims are
    refused from what it read: the batch's round trips do not grow with its claims."""
    campaign_id = shop.live(stock=1, per_customer_limit=1)
    first = shop.customer()[0]
    assert shop.claim(first, campaign_id).status_code == 201
    people = [shop.customer()[0] for _ in range(6)]
    with caplog.at_level(logging.DEBUG, logger="finlife.kit.pipeline"):
        outcomes = _one_batch(shop, campaign_id, [(p, ClaimIn()) for p in people])
    assert outcomes == ["coupons_out_of_stock"] * 6
    assert _ran_alone(caplog) == []
    # The keys' locks and first answers: the only driver-level round trip (the campaign is one ORM read).
    assert [r.getMessage() for r in caplog.records].count("round trip") == 1
    assert _held(shop, campaign_id) == (1, {first.customer_id: 1})


def test_a_claim_replayed_after_the_sale_sold_out_gets_its_coupon_again(shop: Market) -> None:
    """A refusal for the stock never hides an answer already given: the same Idempotency-Key replays
    the 201 with its coupon."""
    campaign_id = shop.live(stock=1, per_customer_limit=1)
    person = shop.customer()[0]
    first = shop.claim(person, campaign_id, key="flash-1")
    assert first.status_code == 201
    refused = shop.claim(shop.customer()[0], campaign_id)
    assert refused.status_code == 409 and refused.json()["code"] == "coupons_out_of_stock"
    again = shop.claim(person, campaign_id, key="flash-1")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
