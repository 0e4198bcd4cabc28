"""Deposit accounts, movements, transfers, holds and cards in and out of the API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

# Amounts are integer minor units (fen); strict, so "12.5", 12.5 and "1250" are all refused.
Amount = Annotated[StrictInt, Field(gt=0, le=10**15)]
Currency = Annotated[str, Field(min_length=3, max_length=3, pattern="^[A-Z]{3}$")]


class AccountClass(StrEnum):
    I = "I"  # noqa: E741 - the regulation's name for it
    II = "II"
    III = "III"


class AccountStatus(StrEnum):
    ACTIVE = "active"


class BoundAccountIn(BaseModel):
    """Either a Class I account here (``account_id``) or an account at another bank."""

    model_config = ConfigDict(extra="forbid")

    account_id: str | None = Field(default=None, max_length=32)
    bank_code: str | None = Field(default=None, min_length=1, max_length=16)
    number: str | None = Field(default=None, min_length=8, max_length=34, pattern="^[0-9]+$")


class AccountOpenIn(BaseModel):
    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True, extra="forbid")

    customer_id: str = Field(max_length=32)
    account_class: AccountClass = Field(alias="class")
    bound_account: BoundAccountIn | None = None
    currency: Currency = "CNY"


class BoundAccountOut(BaseModel):
    account_id: str | None
    bank_code: str | None
    number: str | None  # masked
    verified: bool


class BalanceView(BaseModel):
    ledger: int
    available: int
    held: int


class LimitView(BaseModel):
    limit: int
    used: int
    remaining: int


class BucketLimits(BaseModel):
    daily: LimitView
    yearly: LimitView


class LimitsView(BaseModel):
    """Class II: ``in`` and ``out``; Class III: ``out`` and the balance cap; Class I: nothing."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    incoming: BucketLimits | None = Field(default=None, alias="in")
    outgoing: BucketLimits | None = Field(default=None, alias="out")
    balance_cap: int | None = None


class AccountOut(BaseModel):
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    id: str
    number: str
    masked: bool
    customer_id: str
    account_class: AccountClass = Field(alias="class")
    status: AccountStatus
    currency: str
    balance: BalanceView
    limits: LimitsView
    bound_account: BoundAccountOut | None
    opened_at: datetime


class CashIn(BaseModel):
    account_id: str = Field(max_length=32)
    amount: Amount
    currency: Currency = "CNY"


class MovementOut(BaseModel):
    id: str  # the ledger entry's id
    account_id: str
    amount: int
    currency: str
    kind: str
    balance_after: int
    created_at: datetime


class OtherBankDestination(BaseModel):
    """An account at another bank: the payee's name must match the account holder's there."""

    model_config = ConfigDict(extra="forbid")

    bank_code: str = Field(min_length=1, max_length=16)
    account_number: str = Field(min_length=1, max_length=34, pattern="^[0-9A-Za-z]+$")
    name: str = Field(min_length=1, max_length=140)


class TransferIn(BaseModel):
    """To an account here (``to_account_id``) or at another bank (``destination``): one of the two."""

    from_account_id: str = Field(max_length=32)
    to_account_id: str | None = Field(default=None, max_length=32)
    destination: OtherBankDestination | None = None
    amount: Amount
    currency: Currency = "CNY"
    memo: str = Field(default="", max_length=140)
    # Asked of a customer paying someone else above the threshold (``accounts.transfer_password``).
    payment_password: str | None = Field(default=None, max_length=16)

    @model_validator(mode="after")
    def _one_payee(self) -> TransferIn:
        if (self.to_account_id is None) == (self.destination is None):
            raise ValueError("give either to_account_id or destination")
        return self


class OtherBankTransferOut(BaseModel):
    """A transfer to or from another bank: ``pending`` until the other bank answers."""

    id: str
    direction: str  # out | in
    account_id: str
    bank_code: str
    counterparty_account: str  # masked
    counterparty_name: str
    amount: int
    currency: str
    memo: str
    status: str  # pending | completed | rejected
    reason: str | None
    uetr: str
    created_at: datetime
    completed_at: datetime | None


class TransferOut(BaseModel):
    id: str
    from_account_id: str
    to_account_id: str
    amount: int
    currency: str
    memo: str
    entry_id: str
    status: str
    created_at: datetime


class HoldIn(BaseModel):
    account_id: str = Field(max_length=32)
    amount: Amount
    currency: Currency = "CNY"
    expires_in: StrictInt = Field(gt=0, le=90 * 24 * 3600)
    destination: str | None = Field(default=None, max_length=32)
    reference: str | None = Field(default=None, max_length=64)


class CaptureIn(BaseModel):
    amount: Amount


class HoldOut(BaseModel):
    id: str
    account_id: str
    amount: int
    captured: int
    currency: str
    status: str
    reference: str | None
    expires_at: datetime
    destination: str | None  # a deposit account id, or None (captures go to the bank's clearing)
    capture_entry_id: str | None


class CardIssueIn(BaseModel):
    # A string, so that "012345" keeps its leading zero; the 6-digit rule answers invalid_pin.
    pin: str = Field(max_length=32)


class CardOut(BaseModel):
    id: str
    account_id: str
    masked_pan: str
    status: str
    issued_at: datetime


class IssuedCardOut(BaseModel):
    """The one answer that carries the full PAN and the expiry: the moment of issue."""

    id: str
    account_id: str
    pan: str
    masked_pan: str
    expiry: str  # YYMM
    status: str
    issued_at: datetime


class AtmCashIn(BaseModel):
    """Cash at an ATM: the card the machine read and the PIN the customer typed (never stored)."""

    card_number: str = Field(min_length=12, max_length=19, pattern="^[0-9]+$")
    pin: str = Field(max_length=32)
    amount: Amount
    currency: Currency = "CNY"


class IssuedCardAnswerOut(BaseModel):
    """``POST /v1/accounts/{id}/cards``'s answer: ``IssuedCardOut``, or its replay without secrets."""

    id: str
    account_id: str
    pan: str | None = Field(
        description="The full card number; null in a replay (Idempotent-Replayed): it is never stored"
    )
    masked_pan: str
    expiry: str | None = Field(description="YYMM; null in a replay, as the number")
    status: str
    issued_at: datetime


class PayeeCheckIn(BaseModel):
    """An account or card number here with its holder's name, or a customer's registered phone."""

    model_config = ConfigDict(extra="forbid")

    number: str | None = Field(default=None, max_length=32, description="Account number or card number")
    name: str | None = Field(default=None, max_length=64, description="The holder's name, as on the account")
    phone: str | None = Field(default=None, max_length=16, description="A customer's registered phone")

    @model_validator(mode="after")
    def _one_way(self) -> PayeeCheckIn:
        if bool(self.phone) == bool(self.number and self.name):
            raise ValueError("give either number and name, or phone")
        return self


class PayeeOut(BaseModel):
    """Whom a transfer would reach: masked, for the customer to recognise before paying."""

    account_id: str
    masked_name: str
    number_last4: str
    account_class: AccountClass


class SavedPayeeIn(BaseModel):
    """Someone to save: an account or card number here with the holder's name (checked as
    ``POST /v1/payees/check`` checks it)."""

    model_config = ConfigDict(extra="forbid")

    number: str = Field(min_length=1, max_length=32, description="Account number or card number")
    name: str = Field(min_length=1, max_length=64, description="The holder's name, as on the account")


class SavedPayeeOut(BaseModel):
    """A saved payee as the customer sees them: masked; ``account_id`` is for ``POST /v1/transfers``."""

    id: str
    account_id: str
    masked_name: str
    number_last4: str
    created_at: datetime
