"""Store reviews, each store's rating aggregate, and the links customers share.

Stores, merchants and orders belong to other modules and are referred to by their public ids.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Review(Base):
    """A paying customer's rating of one order at a store; one per order, one reply by the owner."""

    __tablename__ = "life_reviews"
    # (customer, id): what a customer wrote, newest first (the 360 view's timeline).
    __table_args__ = (
        CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),
        Index("ix_life_reviews_customer_id_id", "customer_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    store_id: Mapped[str] = mapped_column(String(32), index=True)
    merchant_id: Mapped[str] = mapped_column(String(32))
    order_id: Mapped[str] = mapped_column(String(32), unique=True)  # the database keeps one per order
    customer_id: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(32))
    rating: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(1000))
    reply: Mapped[str | None] = mapped_column(String(1000))
    replied_by: Mapped[str | None] = mapped_column(String(32))
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class StoreRating(Base):
    """Count and sum of a store's ratings, kept by atomic upserts in the review's transaction."""

    __tablename__ = "life_store_ratings"

    store_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    review_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)


class Share(Base):
    """A customer's link to a store or a campaign; visits through it count here, claims through it are
    counted by marketing from the coupons that carry its token."""

    __tablename__ = "life_shares"
    __table_args__ = (
        CheckConstraint("(store_id IS NULL) <> (campaign_id IS NULL)", name="store_or_campaign"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    token: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[str] = mapped_column(String(32), index=True)  # the sharer
    store_id: Mapped[str | None] = mapped_column(String(32))
    campaign_id: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    visits: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
