"""Refund requests in and out of the API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from finlife.payments.schemas import RefundIn, RefundOut

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class RequestStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"


class RefundRequestIn(RefundIn):
    """The refund the cashier asks for: the same fields as a refund."""


class RejectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Note


class RefundRequestOut(BaseModel):
    id: str
    order_id: str
    merchant_id: str
    amount: int
    reason: str
    lines: list[dict[str, str | int]]
    status: RequestStatus
    requested_by: str
    decided_by: str | None
    decision_note: str | None
    created_at: datetime
    decided_at: datetime | None
    refund: RefundOut | None = None
