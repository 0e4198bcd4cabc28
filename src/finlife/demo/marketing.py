"""The demo's Life channel, through the marketing, cashier, payments and life services: business
districts around the demo stores, campaigns of every kind (fixed, percent, threshold, free item) and
every funder (the merchant alone, co-funded by the branch, by head office), each bank-funded one
approved by bank marketing staff other than its author; demo customers who search, look at stores,
claim (and buy) coupons and share them; some coupons redeemed on real orders paid by QR or card; and
reviews of those orders.

It all happens on the last business day of the history, in a few units of work; whatever a rule
refuses (a limit reached, a coupon that does not fit the order) is rolled back to its savepoint and
left out, as a real customer would be turned away.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.cashier import service as cashier
from finlife.cashier.schemas import CatalogLineIn, OrderIn, OrderOut
from finlife.catalog import service as catalog
from finlife.demo import steps
from finlife.demo.common import DEMO_PASSWORD, Person, customer_actor, freeze_at, teller
from finlife.demo.merchants import DISTRICTS, Shop, Till, Town
from finlife.identity import service as identity
from finlife.kit.auth import Actor, Channel, Role
from finlife.kit.clock import clock
from finlife.kit.db import Database, savepoint
from finlife.kit.errors import FinlifeError
from finlife.kit.pagination import PageParams
from finlife.life import service as life
from finlife.life.schemas import ReviewIn, ShareIn
from finlife.marketing import service as marketing
from finlife.marketing.schemas import (
    BudgetIn,
    CampaignIn,
    ClaimIn,
    CouponKind,
    DistrictIn,
    FundingIn,
    Label,
    LatLng,
)
from finlife.merchants import service as merchants
from finlife.payments import service as payments
from finlife.payments.errors import CardDeclined
from finlife.payments.schemas import CardTenderIn, EntryMode, QrPaymentIn
from finlife.settings import Settings

P = ParamSpec("P")
T = TypeVar("T")
DISTRICT_RADIUS_M = 2_500  # holds every store jittered around its district's centre (±0.01°)
HOW_MANY_DISTRICTS = 3
CLAIMS_PER_CUSTOMER = 3
BROWSING_SHARE = 0.4  # of customers search and open a store page before they claim
SHARING_SHARE = 0.3  # of customers share the first campaign
REDEMPTIONS = 8
REVIEW_TEXTS = (
    (5, "用券很方便，味道也好"),
    (5, "服务热情，下次还来"),
    (4, "性价比不错"),
    (4, "环境干净，出餐快"),
    (3, "一般，券很划算"),
)
MARKETERS = {
    # username: roles. The branch marketer approves what the branch funds, the head-office
    # marketers draw up and approve each other's campaigns (four eyes).
    "marketing-branch": (Role.BRANCH_MARKETING,),
    "marketing-hq": (Role.HQ_MARKETING,),
    "marketing-lead": (Role.HQ_MARKETING,),
}


@dataclass
class MarketingCounts:
    districts: int = 0
    campaigns: int = 0
    claimed: int = 0
    redeemed: int = 0
    reviews: int = 0
    shares: int = 0


@dataclass
class _Stage:
    """What the seeding of one demo Life channel knows as it goes."""

    settings: Settings
    rng: random.Random
    town: Town
    staff: dict[str, Actor]
    counts: MarketingCounts = field(default_factory=MarketingCounts)
    campaigns: list[str] = field(default_factory=list)
    coupons: list[tuple[Person, str, str]] = field(default_factory=list)  # holder, campaign, code
    pins: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # customer: pan, expiry, PIN
    share_token: str | None = None  # the newest share link of the first campaign


class _NothingToPay(Exception):
    """The coupon covers the whole basket, so there is no tender to take: the customer picks again."""


def _attempt(session: Session, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
    """The work's answer, or None when a rule refused it (rolled back to a savepoint)."""
    try:
        with savepoint(session):
            return work(*args, **kwargs)
    except (FinlifeError, _NothingToPay):
        return None


def _marketers(session: Session, settings: Settings) -> dict[str, Actor]:
    staff = {}
    for username, roles in MARKETERS.items():
        user = identity.create_user(
            session, settings, username=username, password=DEMO_PASSWORD, roles=list(roles)
        )
        staff[username] = Actor(
            channel=Channel.WEB, user_id=user.id, username=user.username, roles=frozenset(roles)
        )
    return staff


def owner_of(session: Session, shop: Shop) -> Actor:
    """The merchant's owner signed in to the merchant console."""
    members = merchants.list_staff(session, Actor.system(), shop.merchant_id, PageParams(limit=100)).data
    owner = next(member for member in members if member.role == "owner")
    return Actor(
        channel=Channel.WEB,
        user_id=owner.user_id,
        username=owner.username,
        roles=frozenset({Role.CUSTOMER, Role.MERCHANT_OWNER}),
    )


def _districts(session: Session, stage: _Stage) -> list[str]:
    """A business district around each of the first few administrative districts with demo stores."""
    store_ids = [till.store_id for shop in stage.town.shops for till in shop.tills]
    names = list(dict.fromkeys(s.district for s in merchants.stores_for_discovery(session, store_ids)))
    made = []
    for name in names[:HOW_MANY_DISTRICTS]:
        latitude, longitude, streets = DISTRICTS[name]
        body = DistrictIn(
            name=f"{streets[0]}商圈",
            centre=LatLng(latitude=Decimal(latitude), longitude=Decimal(longitude)),
            radius_m=DISTRICT_RADIUS_M,
        )
        made.append(marketing.create_district(session, stage.staff["marketing-branch"], body).id)
    return made


def _cheapest(session: Session, shop: Shop) -> str:
    facts = catalog.variation_facts(session, [good.variation_id for good in shop.goods])
    return min(facts.values(), key=lambda fact: (fact.price, fact.id)).id


def _terms(
    session: Session, stage: _Stage, districts: list[str]
) -> list[tuple[Actor, CampaignIn, Actor | None]]:
    """(author, campaign, approver) for every kind and funder; no approver: the merchant pays alone."""
    shops = stage.town.shops
    first, second = shops[0], shops[1 % len(shops)]
    until = clock.now() + timedelta(days=45)
    hq, lead, branch = (
        stage.staff["marketing-hq"],
        stage.staff["marketing-lead"],
        stage.staff["marketing-branch"],
    )
    nearby = districts[0] if districts else None
    return [
        (
            owner_of(session, first),
            CampaignIn(
                name="新客到店立减8元",
                merchant_id=first.merchant_id,
                kind=CouponKind.FIXED,
                value=800,
                funding=FundingIn(merchant=100),
                budget=BudgetIn(merchant=200_000),
                stock=300,
                per_customer_limit=2,
                valid_days=14,
                labels=[Label.NEIGHBOURHOOD],
            ),
            None,
        ),
        (
            owner_of(session, second),
            CampaignIn(
                name="满100减20（支行补贴）",
                merchant_id=second.merchant_id,
                kind=CouponKind.THRESHOLD,
                value=2_000,
                min_spend=10_000,
                funding=FundingIn(merchant=50, branch=50),
                budget=BudgetIn(merchant=300_000, branch=300_000),
                stock=200,
                per_customer_limit=1,
                valid_to=until,
                labels=[Label.SPECIAL_OFFER],
            ),
            branch,
        ),
        (
            hq,
            CampaignIn(
                name="商圈消费88折",
                kind=CouponKind.PERCENT,
                value=12,
                cap=3_000,
                funding=FundingIn(branch=30, hq=70),
                budget=BudgetIn(branch=200_000, hq=500_000),
                stock=500,
                per_customer_limit=2,
                valid_to=until,
                district_id=nearby,
                labels=[Label.GOOD_BUSINESS],
            ),
            lead,
        ),
        (
            owner_of(session, first),
            CampaignIn(
                name="到店赠一份（总行补贴）",
                merchant_id=first.merchant_id,
                kind=CouponKind.FREE_ITEM,
                free_variation_id=_cheapest(session, first),
                funding=FundingIn(merchant=40, hq=60),
                budget=BudgetIn(merchant=100_000, hq=150_000),
                stock=100,
                per_customer_limit=1,
                valid_days=30,
            ),
            lead,
        ),
        (
            lead,
            CampaignIn(
                name="9.9元抢20元代金券",
                kind=CouponKind.FIXED,
                value=2_000,
                price=990,
                funding=FundingIn(hq=100),
                budget=BudgetIn(hq=400_000),
                stock=150,
                per_customer_limit=1,
                valid_to=until,
                labels=[Label.SPECIAL_OFFER],
            ),
            hq,
        ),
    ]


def _campaigns(session: Session, stage: _Stage, districts: list[str]) -> None:
    for author, body, approver in _terms(session, stage, districts):
        campaign = marketing.create_campaign(session, author, body)
        marketing.submit_campaign(session, author, campaign.id)
        if approver is not None:
            marketing.approve_campaign(session, approver, campaign.id)
        stage.campaigns.append(campaign.id)


def _browse_and_claim(session: Session, stage: _Stage, person: Person, coupons: dict[str, list[str]]) -> None:
    """A customer perhaps searches and opens a store with coupons first, claims a few (some through a
    friend's share link of the first campaign), and now and then shares that campaign themselves."""
    app = customer_actor(person)
    if stage.rng.random() < BROWSING_SHARE:
        life.discover(
            session, query=None, near=None, category=None, district=None, sort=None, limit=20, actor=app
        )
        with_coupons = [store_id for store_id, campaigns in coupons.items() if campaigns]
        if with_coupons:
            life.store_page(session, stage.rng.choice(with_coupons), near=None, actor=app)
    for campaign_id in stage.rng.sample(stage.campaigns, k=min(CLAIMS_PER_CUSTOMER, len(stage.campaigns))):
        via = stage.share_token if campaign_id == stage.campaigns[0] else None
        body = ClaimIn(account_id=person.class_i, share_token=via)
        coupon = _attempt(session, marketing.claim, session, stage.settings, app, campaign_id, body)
        if coupon is not None:
            stage.coupons.append((person, campaign_id, coupon.code))
            stage.counts.claimed += 1
    if stage.rng.random() < SHARING_SHARE:
        shared = _attempt(session, life.create_share, session, app, ShareIn(campaign_id=stage.campaigns[0]))
        if shared is not None:
            stage.share_token = shared.token
            stage.counts.shares += 1


def _lines(session: Session, shop: Shop, rng: random.Random, min_spend: int) -> list[CatalogLineIn]:
    """Enough of the shop's goods to pass ``min_spend`` (the whole menu at most)."""
    facts = catalog.variation_facts(session, [good.variation_id for good in shop.goods])
    picks = rng.sample(sorted(facts), k=len(facts))
    lines, total = [], 0
    for variation_id in picks:
        lines.append(CatalogLineIn(variation_id=variation_id, quantity=1))
        total += facts[variation_id].price
        if total >= max(min_spend, 1) and len(lines) >= 2:
            break
    return lines


def _card_of(session: Session, stage: _Stage, person: Person) -> tuple[str, str, str]:
    """The customer's finlife debit card and its PIN, issued at the branch the first time."""
    if person.customer_id not in stage.pins:
        pin = f"{stage.rng.randrange(10**6):06d}"
        card = accounts.issue_card(session, stage.settings, teller(), person.class_i, pin=pin)
        stage.pins[person.customer_id] = (card.pan, card.expiry, pin)
    return stage.pins[person.customer_id]


def _paid_order(
    session: Session,
    stage: _Stage,
    till: Till,
    person: Person,
    body: OrderIn,
    card: tuple[str, str, str] | None,
) -> OrderOut:
    """The order rung up with the coupon and paid by the customer's card (chip and PIN) or, without
    one, the order's QR code in their app. Raises what refuses it, so the caller's savepoint takes the
    whole order back: the customer leaves, the coupon stays in their wallet."""
    order = cashier.open_order(session, till.cashier, body)
    if order.total <= 0:  # a tender is for a positive amount (a card's or a QR's alike)
        raise _NothingToPay()
    if card is not None:
        pan, expiry, pin = card
        tender = CardTenderIn(
            method="card", amount=order.total, pan=pan, expiry=expiry, entry_mode=EntryMode.CHIP, pin=pin
        )
        outcome = payments.take_payment(session, stage.settings, till.cashier, order.id, tender)
        if isinstance(outcome, CardDeclined):
            raise outcome
        return order
    payload = payments.order_qr(session, stage.settings, till.cashier, order.id)
    paying = QrPaymentIn(payload=payload, account_id=person.class_i)
    payments.pay_qr(session, stage.settings, customer_actor(person), paying)
    return order


def _redeem(session: Session, stage: _Stage, coupons: dict[str, list[str]], day: date) -> None:
    """Some holders bring their coupon to a store where it applies, pay by card or QR, and review."""
    tills = {till.store_id: (shop, till) for shop in stage.town.shops for till in shop.tills}
    minimum = {c.id: c.min_spend for c in marketing.list_campaigns(session, stage.staff["marketing-lead"])}
    held = stage.rng.sample(stage.coupons, k=len(stage.coupons))
    freeze_at(day, time(11, 30))
    for person, campaign_id, code in held:
        if stage.counts.redeemed >= REDEMPTIONS:
            return
        where = [store_id for store_id, campaigns in coupons.items() if campaign_id in campaigns]
        if not where:
            continue
        shop, till = tills[stage.rng.choice(where)]
        clock.advance(timedelta(minutes=7))
        lines = _lines(session, shop, stage.rng, minimum.get(campaign_id, 0))
        body = OrderIn(store_id=till.store_id, terminal_id=till.terminal_id, lines=lines, coupon_codes=[code])
        card = _card_of(session, stage, person) if stage.counts.redeemed % 2 else None
        order = _attempt(session, _paid_order, session, stage, till, person, body, card)
        if order is None:
            continue
        stage.counts.redeemed += 1
        rating, text = stage.rng.choice(REVIEW_TEXTS)
        review = ReviewIn(order_id=order.id, rating=rating, text=text)
        written = _attempt(
            session, life.write_review, session, customer_actor(person), order.store_id, review
        )
        stage.counts.reviews += written is not None


def seed_marketing(
    database: Database, settings: Settings, rng: random.Random, town: Town, day: date
) -> MarketingCounts:
    """Districts, campaigns, claims, redemptions and reviews on business day ``day`` (the clock is left
    frozen during it); nothing without at least one shop and one customer of the app."""
    if not town.shops or not town.app_users:
        return MarketingCounts()
    # One transaction: seeded before an interruption, it is all there (counted) or not at all (see steps).
    with database.unit_of_work() as session:
        before = steps.marketing_made(session)
        if before is not None:
            return MarketingCounts(campaigns=before[0], claimed=before[1], redeemed=before[2])
        freeze_at(day, time(9, 0))
        stage = _Stage(settings=settings, rng=rng, town=town, staff=_marketers(session, settings))
        districts = _districts(session, stage)
        _campaigns(session, stage, districts)
        stage.counts.districts, stage.counts.campaigns = len(districts), len(stage.campaigns)
        freeze_at(day, time(10, 0))
        store_ids = [till.store_id for shop in town.shops for till in shop.tills]
        coupons = life.coupons_at(session, store_ids)
        for person in town.app_users:
            _browse_and_claim(session, stage, person, coupons)
            clock.advance(timedelta(minutes=3))
        _redeem(session, stage, coupons, day)
    return stage.counts
