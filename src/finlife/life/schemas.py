"""Discovered stores and reviews in and out of the API.

Coordinates leave as strings of six decimals. Ratings leave as tenths (int) and as a one-decimal
string, never as a float.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


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
    coupons: list[str] = Field(default_factory=list)  # filled by marketing later


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


class StorePageOut(DiscoveredStoreOut):
    opening_hours: str
    goods: list[GoodsOut]
    recent_reviews: list[ReviewOut]
