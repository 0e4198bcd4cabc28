"""Claiming and buying coupons, the customer's wallet, and the end of coupons nobody used.

Stock and the per-customer limit are counters changed by single guarded statements in the claim's
transaction — the customer's count by an upsert first, the campaign's ``issued`` by an update that
only succeeds below ``stock`` last — so concurrent claims queue on the rows, the busy campaign row is
held only from that update to the commit, and a refused claim rolls back everything it did.
On PostgreSQL the API's claims run in group-committed batches (``claim_batch``): the batch locks
the same rows in the same order before its claims run, and remembers the campaign across them.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import defer_insert, increment_counter, table_of
from finlife.kit.errors import Conflict, Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.permissions import Capability, may
from finlife.marketing.errors import (
    AccountRequired,
    CampaignNotLive,
    ClaimLimitReached,
    CouponsOutOfStock,
)
from finlife.marketing.models import Campaign, ClaimCount, Coupon
from finlife.marketing.schemas import CampaignStatus, ClaimIn, CouponKind, CouponOut, CouponStatus
from finlife.marketing.service.audience import ensure_in_audience
from finlife.marketing.service.claim_batch import (
    counted_in_batch,
    remembered_campaign,
    took_in_batch,
)
from finlife.marketing.service.common import effective_status, ended_reason, load_campaign, record_change
from finlife.marketing.service.funnel import record_step
from finlife.marketing.service.newcomers import ensure_new_customer
from finlife.settings import Settings

CURRENCY = "CNY"
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O or 1/I: read aloud at a till
CODE_LENGTH = 12

_campaigns = table_of(Campaign)
_counts = table_of(ClaimCount)
_coupons = table_of(Coupon)
# What a claim sets on a new coupon (the others are NULL until it is used, refunded or closed).
_CLAIMED_COLUMNS = (
    "public_id",
    "code",
    "campaign_pk",
    "customer_id",
    "status",
    "valid_from",
    "valid_to",
    "price",
    "paid_from_account",
    "purchase_entry_id",
    "share_token",
    "channel",
    "order_refunded",
    "claimed_at",
)


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _validity(campaign: Campaign, now: datetime) -> tuple[datetime, datetime]:
    if campaign.valid_days is not None:
        return now, now + timedelta(days=campaign.valid_days)
    assert campaign.valid_to is not None  # a campaign has fixed dates or a number of days
    return campaign.valid_from, campaign.valid_to


def _count_for_customer(session: Session, campaign: Campaign, customer_id: str) -> None:
    if counted_in_batch(session, campaign, customer_id):
        return
    held = increment_counter(
        session,
        _counts,
        keys={"campaign_pk": campaign.id, "customer_id": customer_id},
        column="claimed",
        amount=1,
    )
    if held > campaign.per_customer_limit:
        raise ClaimLimitReached(campaign.per_customer_limit)


def _take_from_stock(session: Session, campaign: Campaign) -> None:
    """The last statement of a claim: the campaign's row, which every claim of a flash sale wants, is
    locked from here to the commit only (in a batch, ``claim_batch`` locked it already)."""
    if took_in_batch(session, campaign):
        return
    taken = session.execute(
        update(_campaigns)
        .where(_campaigns.c.id == campaign.id, _campaigns.c.issued < _campaigns.c.stock)
        .values(issued=_campaigns.c.issued + 1)
        .returning(_campaigns.c.issued)
    ).scalar_one_or_none()
    if taken is None:
        raise CouponsOutOfStock()


def claim(session: Session, settings: Settings, actor: Actor, campaign_id: str, body: ClaimIn) -> CouponOut:
    """A customer claims a live campaign's coupon, free or bought from their own account."""
    if actor.customer_id is None:
        raise Forbidden()
    remembered = remembered_campaign(session, campaign_id)
    campaign = remembered.campaign if remembered is not None else load_campaign(session, campaign_id)
    now = clock.now()
    if effective_status(campaign, now) is not CampaignStatus.LIVE:
        if ended_reason(campaign, now) == "stock":
            raise CouponsOutOfStock()
        raise CampaignNotLive()
    ensure_in_audience(session, campaign.audience_segment_id, actor.customer_id)
    ensure_new_customer(session, campaign, actor.customer_id)
    if campaign.price > 0 and body.account_id is None:
        raise AccountRequired()
    _count_for_customer(session, campaign, actor.customer_id)
    valid_from, valid_to = _validity(campaign, now)
    coupon = Coupon(
        public_id=new_id("cpn"),
        code=_new_code(),
        campaign_pk=campaign.id,
        customer_id=actor.customer_id,
        status=CouponStatus.AVAILABLE.value,
        valid_from=valid_from,
        valid_to=valid_to,
        price=campaign.price,
        share_token=body.share_token,
        channel=actor.channel.value,
        order_refunded=0,
        claimed_at=now,
    )
    if campaign.price > 0:
        assert body.account_id is not None and campaign.sales_ledger_account_id is not None
        facts = accounts.account_facts(session, body.account_id)
        if facts.customer_id != actor.customer_id:
            raise NotFound("account")
        entry = accounts.pay(
            session,
            settings,
            actor,
            account_id=body.account_id,
            amount=campaign.price,
            currency=CURRENCY,
            destination_ledger_account_id=campaign.sales_ledger_account_id,
            kind="coupon_purchase",
            memo=f"Coupon {campaign.name}"[:140],
            details={"campaign": campaign.public_id, "coupon": coupon.public_id},
        )
        coupon.paid_from_account = body.account_id
        coupon.purchase_entry_id = entry.id
    # Queued, not flushed: nothing reads it back in this unit of work, and in a batch it goes with
    # the COMMIT (a claim asks the database nothing while it runs).
    defer_insert(session, _coupons, {name: getattr(coupon, name) for name in _CLAIMED_COLUMNS})
    record_step(session, actor, "claim", [campaign.public_id], store_id=None)
    record_change(
        session,
        actor,
        "marketing.coupon_claimed",
        subject_type="coupon",
        subject_id=coupon.public_id,
        details={"campaign_id": campaign.public_id, "price": campaign.price, "share_token": body.share_token},
    )
    _take_from_stock(session, campaign)  # a refusal here rolls the whole claim back
    return coupon_out(coupon, campaign)


def coupon_out(coupon: Coupon, campaign: Campaign) -> CouponOut:
    return CouponOut(
        id=coupon.public_id,
        code=coupon.code,
        campaign_id=campaign.public_id,
        campaign_name=campaign.name,
        kind=CouponKind(campaign.kind),
        value=campaign.value,
        min_spend=campaign.min_spend,
        cap=campaign.cap,
        status=CouponStatus(coupon.status),
        price=coupon.price,
        valid_from=coupon.valid_from,
        valid_to=coupon.valid_to,
        claimed_at=coupon.claimed_at,
        order_id=coupon.order_id,
        discount=coupon.discount,
        redeemed_at=coupon.redeemed_at,
        merchant_id=campaign.merchant_id,
        store_ids=campaign.store_ids,
        merchant_ids=campaign.merchant_ids,
        district_id=campaign.district_id,
        categories=campaign.categories,
    )


def wallet(session: Session, actor: Actor, *, status: CouponStatus | None = None) -> list[CouponOut]:
    """The signed-in customer's coupons, newest first."""
    if actor.customer_id is None:
        raise Forbidden()
    return _coupons_of(session, actor.customer_id, status)


def customer_coupons(session: Session, actor: Actor, customer_id: str) -> list[CouponOut]:
    """One customer's coupons, newest first, for the bank's staff serving them (the customer page)."""
    if not may(actor, Capability.CUSTOMER_RECORDS):
        raise Forbidden()
    return _coupons_of(session, customer_id, None)


def coupons_of(session: Session, customer_id: str) -> list[CouponOut]:
    """The customer's coupons, newest first, for a reader another module has admitted (the 360 view)."""
    return _coupons_of(session, customer_id, None)


def _coupons_of(session: Session, customer_id: str, status: CouponStatus | None) -> list[CouponOut]:
    stmt = (
        select(Coupon, Campaign)
        .join(Campaign, Campaign.id == Coupon.campaign_pk)
        .where(Coupon.customer_id == customer_id)
        .order_by(Coupon.id.desc())
        .limit(500)
    )
    if status is not None:
        stmt = stmt.where(Coupon.status == status.value)
    return [coupon_out(coupon, campaign) for coupon, campaign in session.execute(stmt)]


# One coupon expiry at a time across nodes (kit.leases): the scheduled `finlife coupons expire`.
EXPIRY_LEASE = "coupons.expire"


def expire_coupons(session: Session, settings: Settings, actor: Actor, *, now: datetime | None = None) -> int:
    """End the unused coupons past their date: a bought one gives its price back to the account that
    paid (``refunded``), a free one is ``expired``. Safe to run again: each coupon ends once.

    Coupons an open order holds are left to that order (its payment or cancellation decides).
    """
    moment = now or clock.now()
    due = (
        select(Coupon, Campaign)
        .join(Campaign, Campaign.id == Coupon.campaign_pk)
        .where(
            Coupon.status == CouponStatus.AVAILABLE.value,
            Coupon.valid_to <= moment,
            Coupon.order_id.is_(None),
        )
        .order_by(Coupon.id)
        .with_for_update(of=Coupon, skip_locked=True)
    )
    ended = 0
    for coupon, campaign in session.execute(due).all():
        if coupon.price > 0 and coupon.paid_from_account and campaign.sales_ledger_account_id:
            entry = accounts.refund(
                session,
                settings,
                actor,
                account_id=coupon.paid_from_account,
                amount=coupon.price,
                currency=CURRENCY,
                source_ledger_account_id=campaign.sales_ledger_account_id,
                kind="coupon_refund",
                memo=f"Unused coupon {campaign.name}"[:140],
                details={"campaign": campaign.public_id, "coupon": coupon.public_id},
            )
            coupon.refund_entry_id = entry.id
            coupon.status = CouponStatus.REFUNDED.value
        else:
            coupon.status = CouponStatus.EXPIRED.value
        coupon.closed_at = moment
        ended += 1
        record_change(
            session,
            actor,
            f"marketing.coupon_{coupon.status}",
            subject_type="coupon",
            subject_id=coupon.public_id,
            details={"campaign_id": campaign.public_id, "price": coupon.price},
        )
    session.flush()
    return ended


def restore_coupon(
    session: Session, actor: Actor, coupon_id: str, *, customer_id: str, valid_for: timedelta
) -> CouponOut:
    """Give back a free coupon that expired by the bank's error (the service centre's maker/checker
    decided it): ``available`` again for ``valid_for`` from now. A bought coupon's expiry refunded its
    price, so restoring it would need a new purchase: refused, as is one whose campaign has ended."""
    row = session.execute(
        select(Coupon, Campaign)
        .join(Campaign, Campaign.id == Coupon.campaign_pk)
        .where(Coupon.public_id == coupon_id, Coupon.customer_id == customer_id)
        .with_for_update(of=Coupon)
    ).one_or_none()
    if row is None:
        raise NotFound("coupon")
    coupon, campaign = row
    moment = clock.now()
    if (
        coupon.status != CouponStatus.EXPIRED.value
        or effective_status(campaign, moment) is CampaignStatus.ENDED
    ):
        raise Conflict("coupon_not_restorable", params={"status": coupon.status})
    coupon.status = CouponStatus.AVAILABLE.value
    coupon.valid_to = moment + valid_for
    coupon.closed_at = None
    session.flush()
    record_change(
        session,
        actor,
        "marketing.coupon_restored",
        subject_type="coupon",
        subject_id=coupon.public_id,
        details={"campaign_id": campaign.public_id, "valid_to": coupon.valid_to.isoformat()},
    )
    return coupon_out(coupon, campaign)
