"""Discovered stores and reviews in and out of the API.

Coordinates leave as strings of six decimals. Ratings leave as tenths (int) and as a one-decimal
string, never as a float.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from finlife.marketing.schemas import LiveCouponOut


class Sort(StrEnum):
    DISTANCE = "distance"
    RATING = "rating"
    POPULARITY = "popularity"


class DiscoveredStoreOut(BaseModel):
    store_id: str
    name: str
    merchant_id: str
    merchant_name: str
    category: str
    district: str
    address: str
    latitude: str
    longitude: str
    distance_m: int | None  # great-circle metres, when the caller gave lat/lng
    rating_tenths: int | None  # 46 = 4.6; None before the first review
    rating: str | None  # "4.6"
    review_count: int
    popularity: int  # paid orders in the last 30 days
    open_now: bool  # by the store's hours, Asia/Shanghai
    coupons: list[str] = Field(default_factory=list)  # the live campaigns whose coupons apply here


class GoodsOut(BaseModel):
    item_id: str
    variation_id: str
    name: str  # the item's name
    variation: str
    category: str
    price: int  # fen


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_id: str = Field(max_length=32)
    rating: int = Field(ge=1, le=5)
    text: str = Field(default="", max_length=1000)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=1000)


class ReviewOut(BaseModel):
    id: str
    store_id: str
    rating: int
    text: str
    reply: str | None
    replied_at: datetime | None
    created_at: datetime


class DayReviewsOut(BaseModel):
    """A merchant's reviews written on one business day, for its daily report."""

    date: date
    count: int
    average_tenths: int | None  # the mean rating × 10, rounded half up (45 reads "4.5"); None if none
    reviews: list[ReviewOut]  # the newest first, at most DAY_REVIEWS_SHOWN


class StorePageOut(DiscoveredStoreOut):
    opening_hours: str
    goods: list[GoodsOut]
    recent_reviews: list[ReviewOut]


class ShareIn(BaseModel):
    """What to share: a store or a campaign, exactly one."""

    model_config = ConfigDict(extra="forbid")

    store_id: str | None = Field(default=None, max_length=32)
    campaign_id: str | None = Field(default=None, max_length=32)

    @model_validator(mode="after")
    def _one_target(self) -> ShareIn:
        if (self.store_id is None) == (self.campaign_id is None):
            raise ValueError("give store_id or campaign_id, not both")
        return self


class ShareOut(BaseModel):
    """A share link as its sharer sees it, with what it brought in."""

    id: str
    token: str
    url: str  # the customer app's page of the link, relative to the site
    store_id: str | None
    campaign_id: str | None
    visits: int  # opened by someone other than the sharer
    claims: int  # coupons claimed with the link's token
    created_at: datetime


class SharedOut(BaseModel):
    """What a share link shows whoever opens it: the store's page, or the campaign while it is live."""

    token: str
    store_id: str | None
    campaign_id: str | None
    store: StorePageOut | None
    campaign: LiveCouponOut | None  # None once the campaign has ended


class ReviewState(StrEnum):
    """Where a payment stands for a review: ``to_review`` (paid, not reviewed, within the window),
    ``reviewed``, ``closed`` (the window has passed) or ``none`` (no order: a static code's amount)."""

    TO_REVIEW = "to_review"
    REVIEWED = "reviewed"
    CLOSED = "closed"
    NONE = "none"


class MyOrderOut(BaseModel):
    """One payment the customer made from their account, with the store by name and its review."""

    payment_id: str
    order_id: str | None
    store_id: str
    store_name: str
    merchant_name: str
    method: str
    amount: int
    refunded: int
    account_id: str | None
    paid_at: datetime
    review: ReviewState
    rating: int | None
