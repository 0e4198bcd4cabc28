"""What the service centre's API takes and answers."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from finlife.kit.auth import Channel


class CaseReason(StrEnum):
    """The catalogue of reasons a customer contacts the service centre (words: ``service.reason.*``)."""

    LOST_CARD = "lost_card"
    FAILED_PAYMENT = "failed_payment"
    DISPUTE = "dispute"
    ACCOUNT_LIMITS = "account_limits"
    COUPON = "coupon"
    OTHER = "other"


class CaseOutcome(StrEnum):
    RESOLVED = "resolved"
    ESCALATED = "escalated"


class CaseIn(BaseModel):
    customer_id: str = Field(min_length=1, max_length=32)
    reason: CaseReason
    channel: Channel = Channel.CALL_CENTRE  # the channel the customer came in on
    note: str = Field(default="", max_length=500)


class CloseIn(BaseModel):
    outcome: CaseOutcome
    note: str = Field(default="", max_length=500)


class ContactIn(BaseModel):
    note: str = Field(default="", max_length=500)


class ActionOut(BaseModel):
    kind: str
    details: dict[str, Any]
    username: str | None
    at: datetime


class CaseOut(BaseModel):
    id: str
    customer_id: str
    reason: CaseReason
    channel: str
    status: str
    outcome: CaseOutcome | None
    contacts: int
    note: str
    close_note: str | None
    agent: str | None
    opened_at: datetime
    closed_at: datetime | None
    actions: list[ActionOut] = []


class CustomerMatch(BaseModel):
    """A customer a search found, masked as any staff list is (JR/T 0171)."""

    id: str
    name: str
    phone: str
    matched_by: str  # phone | id_number | card_last4 | account_number


class RefusalOut(BaseModel):
    """A refused payment explained: the problem code and its words, and what the reason means."""

    payment_id: str
    at: datetime
    amount: int
    currency: str
    method: str
    card: str | None
    code: str
    response_code: str | None
    reason: str | None
    message: str
    advice: str


class CouponRestoreIn(BaseModel):
    coupon_id: str = Field(min_length=1, max_length=32)
    note: str = Field(min_length=1, max_length=500)


class RestorationOut(BaseModel):
    id: str
    case_id: str
    coupon_id: str
    customer_id: str
    status: str
    note: str
    asked_by: str
    asked_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class LimitReviewIn(BaseModel):
    account_id: str = Field(min_length=1, max_length=32)
    note: str = Field(min_length=1, max_length=500)


class LimitReviewOut(BaseModel):
    id: str
    case_id: str
    customer_id: str
    account_id: str
    note: str
    status: str
    raised_by: str
    raised_at: datetime


class CodeResentOut(BaseModel):
    sent: bool
    kind: str  # sign_in_unlock


class FcrFigures(BaseModel):
    """Cases opened, cases closed, and those closed resolved on the first contact with no repeat."""

    key: str
    cases: int
    closed: int
    first_contact_resolved: int
    rate: float | None  # first_contact_resolved / closed; None when nothing is closed


class MetricsOut(BaseModel):
    period_from: date = Field(alias="from")
    period_to: date = Field(alias="to")
    cases: int
    first_contact_resolution: float | None
    first_contact_resolved: int
    closed: int
    # Resolved on first contact but still inside their 7-day window: a repeat may yet undo them.
    provisional: int
    by_reason: list[FcrFigures]
    by_day: list[FcrFigures]
    by_agent: list[FcrFigures]
    by_channel: list[FcrFigures]

    model_config = {"populate_by_name": True}
