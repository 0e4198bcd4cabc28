from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from finlife.accounts.schemas import Amount

Status = Literal["completed", "sent", "awaiting_confirmation", "declined"]


class PayeeIn(BaseModel):
    """An account at this bank (no ``bank_code``, or ours) or at another bank; the name must be its
    holder's."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=140)
    bank_code: str | None = Field(default=None, min_length=1, max_length=16)
    account_number: str = Field(min_length=8, max_length=34, pattern="^[0-9A-Za-z]+$")


class PaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    from_account: str = Field(max_length=32)
    payee: PayeeIn
    amount: Amount
    currency: str = Field(min_length=3, max_length=3)
    reference: str = Field(default="", max_length=140)


class PayeeOut(BaseModel):
    name: str
    bank_code: str | None
    account_number: str  # masked


class PaymentOut(BaseModel):
    id: str
    status: Status
    from_account: str
    payee: PayeeOut
    amount: int
    currency: str
    reference: str
    partner_name: str
    transfer_id: str | None
    decline_reason: str | None
    created_at: datetime
    confirm_by: datetime | None  # when awaiting_confirmation: declined if the customer has not answered
    decided_at: datetime | None
