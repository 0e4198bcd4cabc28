"""The credit-from-takings API's shapes. Money in fen, rates in basis points (4.45 % = 445)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from finlife.takings_credit.rule import NoOfferReason


class OfferOut(BaseModel):
    """The offer as the rule makes it today; ``reason`` says why there is none (``limit`` 0)."""

    merchant_id: str
    window_from: date
    window_to: date
    takings: int = Field(description="Settled takings of the window, in fen")
    days_with_takings: int
    eligible: bool
    reason: NoOfferReason | None
    reason_text: str | None = Field(description="Why there is no offer, in the caller's language")
    limit: int
    min_amount: int
    rate_bp: int
    term_months: int
    monthly_instalment: int = Field(description="The instalment of a loan of the whole limit")
    product_id: str | None


class AcceptIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: StrictInt | None = Field(
        default=None, ge=1, le=10**13, description="What to borrow, in fen; the whole limit if left out"
    )


class AcceptanceOut(BaseModel):
    merchant_id: str
    loan_id: str
    amount: int
    rate_bp: int
    term_months: int
    settlement_account_id: str = Field(description="Where the money was paid")
    loan_status: str
