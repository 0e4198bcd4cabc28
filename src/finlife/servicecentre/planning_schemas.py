"""What channel planning answers (``GET /v1/channel-planning``)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class ChannelHour(BaseModel):
    channel: str
    hour: int  # 0–23, Shanghai
    active_customers: int
    transactions: int
    amount: int  # fen


class ChannelShift(BaseModel):
    customer_id: str
    name: str = Field(description="The customer's name, masked unless the reader may read customer records")
    before: str
    after: str


class CodeRate(BaseModel):
    code: str
    requests: int
    rate: float


class ChannelQuality(BaseModel):
    channel: str
    requests: int
    errors: int
    error_rate: float | None
    by_code: list[CodeRate]
    p95_ms: int | None  # the upper bound of the latency bucket of the 95th percentile


class PlanningOut(BaseModel):
    period_from: date = Field(alias="from")
    period_to: date = Field(alias="to")
    active_customers: dict[str, int]
    hours: list[ChannelHour]
    preferred_channel_changes: int
    changes: list[ChannelShift]  # the first 200 (every one in the CSV export)
    quality: list[ChannelQuality]

    model_config = {"populate_by_name": True}
