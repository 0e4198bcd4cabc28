"""What the recommendations API answers."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class Kind(StrEnum):
    STORES = "stores"
    COUPONS = "coupons"


class StoreRecommendationOut(BaseModel):
    store_id: str
    name: str
    district: str
    reason: str = Field(description="Why, in the request's language")
    score: float = Field(description="The blend's score, 0 to 1; higher first")
    favourite: bool = Field(description="A store the customer already pays at often")


class CouponRecommendationOut(BaseModel):
    campaign_id: str
    name: str
    store_id: str = Field(description="The store it suits the customer best at")
    reason: str
    score: float


class RecommendationsOut(BaseModel):
    data: list[StoreRecommendationOut] | list[CouponRecommendationOut]
    personalised: bool = Field(description="False: the popularity baseline, not based on the customer's data")


class TrainingOut(BaseModel):
    customers: int
    stores: int
    visits: int
    picks: int
