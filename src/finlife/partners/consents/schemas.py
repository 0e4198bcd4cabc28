"""A consent as its customer and staff read it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class ConsentStatus(StrEnum):
    AWAITING_AUTHORISATION = "awaiting_authorisation"
    AUTHORISED = "authorised"
    REJECTED = "rejected"
    REVOKED = "revoked"
    EXPIRED = "expired"


class ConsentPartnerOut(BaseModel):
    id: str
    name: str


class ConsentOut(BaseModel):
    id: str
    partner: ConsentPartnerOut
    status: ConsentStatus
    scopes: list[str] = Field(description="The permissions given (OAuth2 scopes)")
    account_ids: list[str] = Field(description="The deposit accounts shared")
    channel: str = Field(description="Where the customer authorised it")
    daily_payment_limit: int | None = Field(
        default=None, description="payments:write: the daily total (fen) paid without asking each time"
    )
    created_at: datetime
    authorised_at: datetime | None
    expires_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
