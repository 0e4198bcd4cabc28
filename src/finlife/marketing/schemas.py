"""Districts, campaigns, coupons and their figures in and out of the API.

Coordinates arrive as JSON numbers or strings and are read exactly (Decimal); they leave as strings
of six decimals. Money is integer fen; percentages are whole numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

Coordinate = Annotated[Decimal, Field(allow_inf_nan=False, examples=["31.232000"])]
Fen = Annotated[int, Field(ge=0, le=10**12)]


class LatLng(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latitude: Coordinate
    longitude: Coordinate


class DistrictIn(BaseModel):
    """A circle (centre and radius_m) or a polygon of [latitude, longitude] points."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, examples=["人民广场商圈"])
    centre: LatLng | None = None
    radius_m: int | None = Field(default=None, ge=1, le=50_000)
    polygon: list[tuple[Coordinate, Coordinate]] | None = Field(default=None, max_length=200)


class DistrictStoreOut(BaseModel):
    store_id: str
    name: str
    merchant_id: str


class DistrictOut(BaseModel):
    id: str
    name: str
    shape: str  # "circle" | "polygon"
    centre: dict[str, str] | None  # {"latitude": "31.232000", "longitude": "121.475000"}
    radius_m: int | None
    polygon: list[list[str]] | None
    created_at: datetime
    stores: list[DistrictStoreOut] | None = None  # on GET /v1/districts/{id} only
    coupons: list[LiveCouponOut] | None = None  # on GET /v1/districts/{id} only: live in the district


class CouponKind(StrEnum):
    FIXED = "fixed"  # ``value`` fen off
    PERCENT = "percent"  # ``value`` percent off, at most ``cap`` fen
    THRESHOLD = "threshold"  # 满减: ``value`` fen off once the order reaches ``min_spend``
    FREE_ITEM = "free_item"  # one piece of ``free_variation_id`` free


class Funder(StrEnum):
    MERCHANT = "merchant"
    BRANCH = "branch"
    HQ = "hq"


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"  # stored; shown as "live" from valid_from while stock, budget and dates last
    LIVE = "live"
    PAUSED = "paused"
    ENDED = "ended"


class CouponStatus(StrEnum):
    AVAILABLE = "available"
    REDEEMED = "redeemed"
    EXPIRED = "expired"
    REFUNDED = "refunded"


class Label(StrEnum):
    SPECIAL_OFFER = "special_offer"
    GOOD_BUSINESS = "good_business"
    NEIGHBOURHOOD = "neighbourhood"


class FundingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    merchant: int = Field(default=0, ge=0, le=100)
    branch: int = Field(default=0, ge=0, le=100)
    hq: int = Field(default=0, ge=0, le=100)


class BudgetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    merchant: Fen | None = None
    branch: Fen | None = None
    hq: Fen | None = None


Hours = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")]


class AudienceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    segment_id: str = Field(min_length=1, max_length=32)


class CampaignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, examples=["午市满100减20"])
    merchant_id: str | None = Field(default=None, description="The owner's merchant (merchant owners)")
    kind: CouponKind
    value: int = Field(default=0, ge=0, le=10**9, description="Fen off; percent for kind=percent")
    min_spend: Fen = 0
    cap: Fen | None = None
    free_variation_id: str | None = None
    funding: FundingIn
    budget: BudgetIn = BudgetIn()
    stock: int = Field(ge=1, le=10_000_000)
    per_customer_limit: int = Field(default=1, ge=1, le=100)
    price: Fen = 0
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    valid_days: int | None = Field(default=None, ge=1, le=366)
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] | None = Field(default=None, max_length=7)
    hours: Hours | None = None
    merchant_ids: list[str] | None = Field(default=None, max_length=200)
    store_ids: list[str] | None = Field(default=None, max_length=500)
    district_id: str | None = None
    categories: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, max_length=50
    )
    labels: list[Label] = []
    stackable: bool = Field(default=False, description="May share an order with other coupons")
    audience: AudienceIn | None = Field(
        default=None, description="Only this segment's members see and claim it (bank marketing staff)"
    )
    new_customers_only: StrictBool = Field(
        default=False,
        description=(
            "Only for customers who never paid at the campaign's merchant (a bank campaign: its "
            "merchants, else any store), once each (per_customer_limit must be 1)"
        ),
    )


class CampaignChangesIn(BaseModel):
    """What changes in a draft: only the fields sent, each replacing its whole value (``funding``,
    ``budget``…); null clears a field that may be empty (``valid_to`` to use ``valid_days``). The
    campaign that results is held to every rule of ``CampaignIn``."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=64)
    kind: CouponKind | None = None
    value: int | None = Field(default=None, ge=0, le=10**9)
    min_spend: Fen | None = None
    cap: Fen | None = None
    free_variation_id: str | None = None
    funding: FundingIn | None = None
    budget: BudgetIn | None = None
    stock: int | None = Field(default=None, ge=1, le=10_000_000)
    per_customer_limit: int | None = Field(default=None, ge=1, le=100)
    price: Fen | None = None
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    valid_days: int | None = Field(default=None, ge=1, le=366)
    weekdays: list[Annotated[int, Field(ge=1, le=7)]] | None = Field(default=None, max_length=7)
    hours: Hours | None = None
    merchant_ids: list[str] | None = Field(default=None, max_length=200)
    store_ids: list[str] | None = Field(default=None, max_length=500)
    district_id: str | None = None
    categories: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(
        default=None, max_length=50
    )
    labels: list[Label] | None = None
    stackable: bool | None = None
    audience: AudienceIn | None = None
    new_customers_only: StrictBool | None = None


class FunderFigures(BaseModel):
    merchant: int
    branch: int
    hq: int


class CampaignOut(BaseModel):
    id: str
    name: str
    owner: str
    merchant_id: str | None
    kind: CouponKind
    value: int
    min_spend: int
    cap: int | None
    free_variation_id: str | None
    funding: FunderFigures
    budget: FunderFigures
    spent: FunderFigures
    stock: int
    issued: int
    per_customer_limit: int
    price: int
    valid_from: datetime
    valid_to: datetime | None
    valid_days: int | None
    weekdays: list[int] | None
    hours: str | None
    merchant_ids: list[str] | None
    store_ids: list[str] | None
    district_id: str | None
    categories: list[str] | None
    labels: list[str]
    stackable: bool
    audience: AudienceIn | None
    new_customers_only: bool = False
    status: CampaignStatus
    ended_reason: str | None = None  # "stock" | "budget" | "date" | "ended" when status is ended
    created_by: str
    created_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    rejection_reason: str | None = None  # why it was last sent back to draft


class RejectIn(BaseModel):
    """Sending a submitted campaign back needs a reason its owner can act on."""

    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ClaimIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: str | None = Field(default=None, description="The account that pays a priced coupon")
    share_token: str | None = Field(default=None, max_length=40, description="The share link it came by")


class CouponOut(BaseModel):
    id: str
    code: str
    campaign_id: str
    campaign_name: str
    kind: CouponKind
    value: int
    min_spend: int
    cap: int | None
    status: CouponStatus
    price: int
    valid_from: datetime
    valid_to: datetime
    claimed_at: datetime
    order_id: str | None
    discount: int | None
    redeemed_at: datetime | None
    # Where it can be used (the campaign's scope), for the wallet to name: the owning merchant, and
    # any of stores, merchants, a district or categories it is limited to (none: every store).
    merchant_id: str | None = None
    store_ids: list[str] | None = None
    merchant_ids: list[str] | None = None
    district_id: str | None = None
    categories: list[str] | None = None


class LiveCouponOut(BaseModel):
    """A live campaign as the Life channel shows it."""

    campaign_id: str
    name: str
    kind: CouponKind
    value: int
    min_spend: int
    cap: int | None
    price: int
    left: int
    labels: list[str]
    merchant_id: str | None
    store_ids: list[str]
    valid_to: datetime | None
    valid_days: int | None
    new_customers_only: bool = False


class AudienceFigures(BaseModel):
    claimed: int
    redeemed: int
    revenue: int  # fen


class AudienceSplit(BaseModel):
    segment_id: str
    members: AudienceFigures
    others: AudienceFigures


class CampaignStatsOut(BaseModel):
    campaign_id: str
    stock: int
    issued: int
    claimed: int
    available: int
    held_by_open_orders: int
    redeemed: int
    expired: int
    refunded: int
    subsidy: FunderFigures  # what each funder paid for redeemed coupons, net of refunds (fen)
    prepaid: int  # the price customers paid for the coupons they used
    orders: int
    revenue: int  # what customers paid for orders with the coupon (fen)
    gross: int  # the orders' value before the discount
    by_audience: AudienceSplit | None = Field(
        default=None, description="A targeted campaign's coupons: of the segment's members now, and of others"
    )


class FunnelStep(BaseModel):
    step: str
    events: int
    customers: int
    conversion: str | None  # customers of this step over the previous step's, "0.42"; None for the first


class FunnelOut(BaseModel):
    campaign_id: str
    steps: list[FunnelStep]


@dataclass(frozen=True, slots=True)
class PricedLine:
    """One line of an order as the cashier priced it: what a coupon's scope and kind look at."""

    variation_id: str | None
    category: str | None
    unit_price: int
    quantity: int
    line_total: int


@dataclass(frozen=True, slots=True)
class CouponUse:
    """What one coupon takes off an order and who pays for it (fen); the parts sum to ``discount``."""

    coupon_id: str
    code: str
    campaign_id: str
    discount: int
    prepaid: int
    merchant: int
    branch: int
    hq: int


@dataclass(frozen=True, slots=True)
class Discount:
    uses: tuple[CouponUse, ...]

    @property
    def total(self) -> int:
        return sum(use.discount for use in self.uses)


DistrictOut.model_rebuild()  # its coupons refer to LiveCouponOut, defined below it
