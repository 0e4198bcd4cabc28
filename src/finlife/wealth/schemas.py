"""Bodies and answers of the wealth API."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field

from finlife.kit.dates import IsoDate

Amount = Annotated[int, Field(gt=0, le=10**13, strict=True, description="Minor units (fen)")]
FundCode = Annotated[str, Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_-]+$")]


class Speed(StrEnum):
    FAST = "fast"  # T+0: now, within the day's 10,000.00 CNY
    NORMAL = "normal"  # the next business day


class FundIn(BaseModel):
    code: FundCode
    name: str = Field(min_length=1, max_length=64)
    currency: str = Field(default="CNY", pattern="^CNY$")


class YieldIn(BaseModel):
    date: IsoDate
    per_10k: Decimal = Field(
        ge=0, le=100, max_digits=10, decimal_places=4, description="CNY per 10,000 units"
    )
    seven_day: Decimal = Field(ge=-100, le=100, max_digits=8, decimal_places=4, description="Percent a year")


class YieldOut(BaseModel):
    date: date
    per_10k: str
    seven_day: str


class FundOut(BaseModel):
    id: str
    code: str
    name: str
    currency: str
    custody_account_id: str
    latest_yield: YieldOut | None
    created_at: datetime


class SubscriptionIn(BaseModel):
    account_id: str = Field(max_length=32)
    amount: Amount


class RedemptionIn(BaseModel):
    account_id: str = Field(max_length=32)
    amount: Amount
    speed: Speed = Speed.FAST


class OrderOut(BaseModel):
    id: str
    fund_id: str
    account_id: str
    kind: str
    speed: Speed | None
    amount: int
    status: str  # done | pending (a normal redemption until it arrives)
    arrives_on: date | None
    units_after: int
    created_at: datetime


class IncomeDayOut(BaseModel):
    date: date
    amount: int


class HoldingOut(BaseModel):
    fund_id: str
    fund_name: str
    account_id: str
    units: int  # fen-units: the value in fen
    latest_income: IncomeDayOut | None
    total_income: int
    income: list[IncomeDayOut]  # newest first, the last 30 days paid
    yields: list[YieldOut]  # the fund's, oldest first, the last 30 published
    fast_remaining_today: int


class HoldingsOut(BaseModel):
    holdings: list[HoldingOut]


class SweepIn(BaseModel):
    fund_id: str = Field(max_length=32)
    keep: int = Field(ge=0, le=10**13, strict=True, description="Minor units left in the account")


class SweepOut(BaseModel):
    account_id: str
    fund_id: str
    keep: int
    swept_on: date | None
