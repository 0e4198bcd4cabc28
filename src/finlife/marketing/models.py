"""Business districts, campaigns, their coupons, claim counters and the funnel of the Life channel.

Merchants, stores, customers, orders and ledger entries belong to other modules and are referred to by
their public ids. Coordinates are integer micro-degrees (degrees × 10⁶); money is integer fen.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class District(Base):
    """A circle (centre and radius) or a polygon; its stores are computed, not stored."""

    __tablename__ = "marketing_districts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    shape: Mapped[str] = mapped_column(String(8))  # "circle" | "polygon"
    centre_latitude_micro: Mapped[int | None] = mapped_column(Integer)
    centre_longitude_micro: Mapped[int | None] = mapped_column(Integer)
    radius_m: Mapped[int | None] = mapped_column(Integer)
    # [[latitude_micro, longitude_micro], ...] for a polygon
    polygon: Mapped[list[Any] | None] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Campaign(Base):
    """A coupon campaign: what a coupon takes off, who pays for it, how many, for whom, where, when.

    ``issued`` and the ``spent_*`` counters change only by guarded single-row updates (see
    service.counters), so stock and budgets hold however many claims and orders race.
    """

    __tablename__ = "marketing_campaigns"
    __table_args__ = (
        CheckConstraint("issued <= stock", name="issued_within_stock"),
        CheckConstraint("funding_merchant + funding_branch + funding_hq = 100", name="funding_is_whole"),
        CheckConstraint("spent_merchant <= budget_merchant", name="merchant_budget_held"),
        CheckConstraint("spent_branch <= budget_branch", name="branch_budget_held"),
        CheckConstraint("spent_hq <= budget_hq", name="hq_budget_held"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    owner: Mapped[str] = mapped_column(String(8))  # "merchant" | "bank"
    merchant_id: Mapped[str | None] = mapped_column(String(32), index=True)  # the owning merchant
    kind: Mapped[str] = mapped_column(String(12))
    value: Mapped[int] = mapped_column(Integer)  # fen off, or percent for "percent"
    min_spend: Mapped[int] = mapped_column(Integer)
    cap: Mapped[int | None] = mapped_column(Integer)
    free_variation_id: Mapped[str | None] = mapped_column(String(32))
    funding_merchant: Mapped[int] = mapped_column(Integer)
    funding_branch: Mapped[int] = mapped_column(Integer)
    funding_hq: Mapped[int] = mapped_column(Integer)
    budget_merchant: Mapped[int] = mapped_column(BigId)
    budget_branch: Mapped[int] = mapped_column(BigId)
    budget_hq: Mapped[int] = mapped_column(BigId)
    spent_merchant: Mapped[int] = mapped_column(BigId)
    spent_branch: Mapped[int] = mapped_column(BigId)
    spent_hq: Mapped[int] = mapped_column(BigId)
    stock: Mapped[int] = mapped_column(Integer)
    issued: Mapped[int] = mapped_column(Integer)
    per_customer_limit: Mapped[int] = mapped_column(Integer)
    price: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime)
    valid_days: Mapped[int | None] = mapped_column(Integer)
    weekdays: Mapped[list[Any] | None] = mapped_column(JSON)  # ISO weekdays 1..7, Shanghai time
    hours: Mapped[str | None] = mapped_column(String(11))  # "HH:MM-HH:MM", Shanghai time
    merchant_ids: Mapped[list[Any] | None] = mapped_column(JSON)
    store_ids: Mapped[list[Any] | None] = mapped_column(JSON)
    district_id: Mapped[str | None] = mapped_column(String(32))
    categories: Mapped[list[Any] | None] = mapped_column(JSON)
    # A segment of finlife.insights: only its members see and claim the campaign (null: everyone).
    audience_segment_id: Mapped[str | None] = mapped_column(String(32))
    labels: Mapped[list[Any]] = mapped_column(JSON)
    stackable: Mapped[bool] = mapped_column(Boolean)
    # Ledger accounts: the bank's marketing expense of each bank funder, the sales of bought coupons.
    sales_ledger_account_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_by: Mapped[str | None] = mapped_column(String(32))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why bank staff last sent it back to draft (shown to its owner until it is submitted again).
    rejection_reason: Mapped[str | None] = mapped_column(String(200))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Only for customers new to the campaign's merchant(s) (no paid order there yet), once each.
    new_customers_only: Mapped[bool] = mapped_column(Boolean, server_default=false(), default=False)


class Coupon(Base):
    """One customer's coupon; while an order holds it, ``order_id`` names the order."""

    __tablename__ = "marketing_coupons"
    # (customer, id): a customer's coupons newest first (the wallet, the 360 view's timeline) in order.
    __table_args__ = (
        Index("ix_marketing_coupons_due", "status", "valid_to"),
        Index("ix_marketing_coupons_customer_id_id", "customer_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    campaign_pk: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_campaigns.id"), index=True)
    customer_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12))
    valid_from: Mapped[datetime] = mapped_column(UTCDateTime)
    valid_to: Mapped[datetime] = mapped_column(UTCDateTime)
    price: Mapped[int] = mapped_column(Integer)
    paid_from_account: Mapped[str | None] = mapped_column(String(32))
    purchase_entry_id: Mapped[str | None] = mapped_column(String(32))
    share_token: Mapped[str | None] = mapped_column(String(40), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    # The order that holds or used the coupon, and what it took off, split among its funders.
    order_id: Mapped[str | None] = mapped_column(String(32), index=True)
    order_subtotal: Mapped[int | None] = mapped_column(BigId)
    discount: Mapped[int | None] = mapped_column(Integer)
    prepaid_share: Mapped[int | None] = mapped_column(Integer)
    merchant_share: Mapped[int | None] = mapped_column(Integer)
    branch_share: Mapped[int | None] = mapped_column(Integer)
    hq_share: Mapped[int | None] = mapped_column(Integer)
    # What the order paid and has had refunded: refunds give back each share pro rata.
    order_paid: Mapped[int | None] = mapped_column(BigId)
    order_refunded: Mapped[int] = mapped_column(BigId, default=0)
    subsidy_entry_id: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # expired or refunded
    refund_entry_id: Mapped[str | None] = mapped_column(String(32))


class ClaimCount(Base):
    """How many coupons of a campaign a customer holds: raised only by a guarded upsert."""

    __tablename__ = "marketing_claim_counts"

    campaign_pk: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_campaigns.id"), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    claimed: Mapped[int] = mapped_column(Integer)


class FunnelEvent(Base):
    """One step of the O2O loop (search, view, claim, pay, review, share) by a customer, for a campaign."""

    __tablename__ = "marketing_funnel_events"
    __table_args__ = (Index("ix_marketing_funnel_campaign_step", "campaign_id", "step"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    campaign_id: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(8))
    customer_id: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    store_id: Mapped[str | None] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
