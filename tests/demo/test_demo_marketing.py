"""The demo world's Life channel: business districts, live campaigns of every kind and every funder
(bank money approved by someone other than the author), claimed coupons, some redeemed on orders paid
by QR or card with the bank's subsidy booked, reviews of those orders, and books that still balance."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from finlife.demo import world
from finlife.kit.auth import Actor
from finlife.kit.db import Database
from finlife.ledger import service as ledger
from finlife.life import service as life
from finlife.marketing import service as marketing
from finlife.marketing.models import Coupon
from finlife.marketing.schemas import CampaignStatus, CouponStatus
from finlife.payments import service as payments
from finlife.settings import Settings

BANK = Actor.system()


@pytest.fixture
def tiny_world(db: Database, settings: Settings) -> dict[str, int]:
    return world.seed_demo_world(db, settings, customers_count=6, merchants_count=2, days=2)


def test_campaigns_of_every_kind_and_funder_are_live_and_bank_money_had_four_eyes(
    db: Database, tiny_world: dict[str, int]
) -> None:
    with db.unit_of_work() as session:
        campaigns = marketing.list_campaigns(session, BANK)
        districts = marketing.list_districts(session)
        shown = {live.campaign_id for live in marketing.live_coupons(session)}
    assert 2 <= len(districts) <= 3
    targeted = {c.id for c in campaigns if c.audience is not None}  # for a segment (demo.audiences)
    assert len(campaigns) - len(targeted) == tiny_world["campaigns"] == 5
    assert len(targeted) == tiny_world["targeted_campaigns"]
    assert {c.status for c in campaigns} == {CampaignStatus.LIVE}
    assert {c.id for c in campaigns} - targeted == shown - targeted
    assert {c.kind.value for c in campaigns} == {"fixed", "percent", "threshold", "free_item"}
    funders = {(c.funding.merchant > 0, c.funding.branch > 0, c.funding.hq > 0) for c in campaigns}
    assert (True, False, False) in funders  # the merchant alone
    assert (True, True, False) in funders  # co-funded by the branch
    assert any(hq for _merchant, _branch, hq in funders)  # and by head office
    bank_funded = [c for c in campaigns if c.funding.branch or c.funding.hq]
    assert bank_funded and all(c.approved_by not in (None, c.created_by) for c in bank_funded)
    assert any(c.price > 0 for c in campaigns)  # a coupon customers buy


def test_coupons_are_claimed_and_some_redeemed_on_qr_and_card_orders_then_reviewed(
    db: Database, tiny_world: dict[str, int]
) -> None:
    with db.unit_of_work() as session:
        coupons = session.execute(select(Coupon)).scalars().all()
        redeemed = [c for c in coupons if c.status == CouponStatus.REDEEMED.value]
        methods = {
            p.method for c in redeemed for p in payments.list_payments(session, BANK, c.order_id or "")
        }
        stores = life.discover(
            session, query=None, near=None, category=None, district=None, sort=None, limit=50
        )
        campaigns = marketing.list_campaigns(session, BANK)
        subsidy = [marketing.campaign_stats(session, BANK, c.id).subsidy for c in campaigns]
    assert len(coupons) == tiny_world["coupons"] + tiny_world["targeted_claims"]
    assert tiny_world["coupons"] > len(redeemed) == tiny_world["redeemed"] > 0
    assert all(c.subsidy_entry_id for c in redeemed if (c.branch_share or 0) + (c.hq_share or 0) > 0)
    assert methods == {"qr_merchant", "card"}
    assert sum(store.review_count for store in stores) >= 1
    assert sum(s.branch + s.hq for s in subsidy) > 0  # the bank paid its share of some discount
    assert any(store.coupons for store in stores)


def test_the_trial_balance_is_zero_after_the_marketing(db: Database, tiny_world: dict[str, int]) -> None:
    with db.unit_of_work() as session:
        balance = ledger.trial_balance(session)
    assert balance.total == 0
    assert set(balance.totals.values()) == {0}
