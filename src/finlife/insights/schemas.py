"""The 360 view, its timeline, segments and the personalised-marketing choice as the API shows them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from finlife.accounts.schemas import AccountOut, CardOut
from finlife.customers.schemas import CustomerOut, KycLevel
from finlife.life.schemas import ReviewOut
from finlife.marketing.schemas import CouponOut
from finlife.partners.consents.schemas import ConsentOut


class TimelineKind(StrEnum):
    INTERACTION = "interaction"
    MONEY = "money"
    COUPON = "coupon"
    REVIEW = "review"
    CONSENT = "consent"


class Lifecycle(StrEnum):
    NEW = "new"
    ACTIVE = "active"
    AT_RISK = "at_risk"
    LAPSED = "lapsed"


class CategorySpend(BaseModel):
    category: str
    spend_30d: int = Field(description="Fen spent in the last 30 days")
    spend_90d: int = Field(description="Fen spent in the last 90 days")
    change: str | None = Field(
        description='The last 30 days against the 30 before, as a fraction ("0.2500" is +25%); '
        "null when nothing was spent before"
    )


class FavouriteStore(BaseModel):
    store_id: str
    name: str
    payments: int
    spend: int


class PreferencesOut(BaseModel):
    categories: list[CategorySpend]
    favourite_stores: list[FavouriteStore]
    preferred_channel: str | None
    channels: dict[str, int] = Field(description="Interactions and payments per channel in 90 days")
    usual_hours: list[int] = Field(description="Hours of the day (Asia/Shanghai) they pay most, most first")
    districts: list[str] = Field(description="Business districts they pay in most, most first")


class RfmOut(BaseModel):
    r: int = Field(ge=1, le=5)
    f: int = Field(ge=1, le=5)
    m: int = Field(ge=1, le=5)


class SegmentRef(BaseModel):
    id: str
    name: str


class MerchantRole(BaseModel):
    merchant_id: str
    name: str
    role: str
    status: str


class ViewOut(BaseModel):
    customer: CustomerOut
    kyc_level: KycLevel
    accounts: list[AccountOut]
    cards: list[CardOut]
    coupons: list[CouponOut]
    reviews: list[ReviewOut]
    consents: list[ConsentOut]
    merchant_roles: list[MerchantRole]
    segments: list[SegmentRef]
    preferences: PreferencesOut
    rfm: RfmOut
    lifecycle: Lifecycle
    open_cases: list[dict[str, Any]] = Field(description="The service centre's open cases of the customer")
    personalised_marketing: bool
    facts_computed_at: datetime


class TimelineItemOut(BaseModel):
    id: str = Field(description="The public id of the record (interaction, ledger entry, coupon …)")
    at: datetime
    kind: TimelineKind
    channel: str | None
    action: str
    amount: int | None = Field(description="Fen, + into the customer's account, - out of it")
    details: dict[str, Any]


class TimelineOut(BaseModel):
    data: list[TimelineItemOut]
    has_more: bool
    next_cursor: str | None = Field(description="Pass as ``cursor`` for the next (older) page")


class SegmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, examples=["餐饮高消费流失预警"])
    rule: dict[str, Any] = Field(
        examples=[
            {
                "all": [
                    {"fact": "spend_90d.restaurant", "op": "gte", "value": 50000},
                    {"fact": "lifecycle", "op": "eq", "value": "at_risk"},
                ]
            }
        ]
    )


class SegmentOut(BaseModel):
    id: str
    name: str
    rule: dict[str, Any]
    members: int = Field(description="Customers in it as of its last refresh")
    created_at: datetime
    refreshed_at: datetime | None


class SegmentMemberOut(BaseModel):
    customer_id: str
    name: str
    lifecycle: Lifecycle | None


class MarketingPreferenceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    personalised_marketing: StrictBool


class MarketingPreferenceOut(BaseModel):
    personalised_marketing: bool
    channel: str | None = Field(description="Where the customer last changed it")
    changed_at: datetime | None
