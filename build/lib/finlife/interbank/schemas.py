"""The bank directory, card answers, transfers and reconciliation in and out of the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from finlife.accounts.schemas import OtherBankTransferOut

Endpoint = Annotated[str, Field(pattern=r"^[A-Za-z0-9.\-]+:\d{1,5}$", max_length=64)]
Bin = Annotated[str, Field(pattern=r"^\d{6,8}$")]

__all__ = ["OtherBankTransferOut"]


class BankIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=2, max_length=16, pattern="^[A-Z0-9]+$")
    name: str = Field(min_length=1, max_length=140)
    bins: list[Bin] = Field(default_factory=list, max_length=50)
    iso8583_endpoints: list[Endpoint] = Field(default_factory=list, max_length=8)
    iso20022_url: str | None = Field(default=None, max_length=255, pattern="^https?://")
    timeout_ms: StrictInt = Field(default=2_000, ge=50, le=60_000)


class BankOut(BaseModel):
    code: str
    name: str
    bins: list[str]
    iso8583_endpoints: list[str]
    iso20022_url: str | None
    timeout_ms: int
    clearing_account_id: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CardRequest:
    """An off-us card read at one of our merchants' terminals (PIN and expiry are C3: never kept)."""

    pan: str
    expiry: str
    pin: str | None
    amount: int
    entry_mode: str  # swipe | chip | contactless
    merchant_id: str
    terminal_id: str | None
    credit_ledger_account_id: str  # the merchant's pending settlement account


@dataclass(frozen=True, slots=True)
class CardAnswer:
    """The issuer's answer (or ours, 91, when it gave none in time) and what was booked."""

    response_code: str
    authorisation_id: str
    rrn: str
    auth_code: str | None
    entry_id: str | None
    reversal: dict[str, str]  # the 0400 that undoes it, should our side fail to complete it

    @property
    def approved(self) -> bool:
        return self.response_code == "00"


class ReconciliationExceptionOut(BaseModel):
    """A line that did not match; amounts signed as our clearing account reads (> 0 they owe us)."""

    status: str  # missing_ours | missing_theirs | amount_mismatch
    reference: str  # RRN of a card payment, UETR of a transfer
    kind: str  # card_payment | transfer_in | transfer_out (the other bank's names)
    their_amount: int | None
    our_amount: int | None
    difference: int  # theirs − ours, parked in suspense
    entry_id: str  # the suspense entry


class ReconciliationOut(BaseModel):
    id: str
    bank_code: str
    business_date: date
    file_name: str
    matched: int
    missing_ours: int
    missing_theirs: int
    amount_mismatch: int
    their_total: int
    our_total: int
    suspense_total: int
    created_at: datetime
    exceptions: list[ReconciliationExceptionOut]
