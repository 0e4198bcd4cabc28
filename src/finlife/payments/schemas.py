"""Tenders, payments, QR codes, payment codes and refunds in and out of the API."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from finlife.cashier.schemas import RefundLine

# Amounts are integer fen, strict: 12.5, "1250" and true are refused (422 validation_error).
Amount = Annotated[StrictInt, Field(gt=0, le=10**10, examples=[1800])]
Digits = Annotated[str, StringConstraints(pattern=r"^[0-9]+$")]


class Method(StrEnum):
    CASH = "cash"
    CARD = "card"
    QR_MERCHANT = "qr_merchant"
    PAYMENT_CODE = "payment_code"


class PaymentStatus(StrEnum):
    APPROVED = "approved"
    DECLINED = "declined"


class EntryMode(StrEnum):
    SWIPE = "swipe"
    CHIP = "chip"
    CONTACTLESS = "contactless"


class CashTenderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["cash"]
    amount: Amount
    tendered: Amount


class CardTenderIn(BaseModel):
    """An on-us debit card read at the terminal. PAN, expiry and PIN are C3/C2: never stored or logged."""

    model_config = ConfigDict(extra="forbid")

    method: Literal["card"]
    amount: Amount
    pan: Annotated[Digits, Field(min_length=12, max_length=19)]
    expiry: Annotated[Digits, Field(min_length=4, max_length=4, examples=["3012"])]  # YYMM
    entry_mode: EntryMode
    pin: Annotated[str | None, Field(default=None, max_length=12)] = None


class PaymentCodeTenderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    method: Literal["payment_code"]
    amount: Amount
    code: Annotated[Digits, Field(min_length=18, max_length=18)]


TenderIn = Annotated[CashTenderIn | CardTenderIn | PaymentCodeTenderIn, Field(discriminator="method")]


class FeeOut(BaseModel):
    """The merchant fee accrued on a payment (booked at settlement), split by who earns it."""

    issuer: int
    network: int
    acquirer: int
    total: int


class PaymentOut(BaseModel):
    id: str
    order_id: str | None
    merchant_id: str
    store_id: str
    method: Method
    qr_kind: str | None
    status: PaymentStatus
    amount: int
    currency: str
    tendered: int | None
    change: int | None
    card: str | None  # masked: 6219 **** **** 1234
    entry_mode: str | None
    response_code: str | None
    refunded: int
    fee: FeeOut
    created_at: datetime


class TenderOut(PaymentOut):
    """An approved tender with the order it was counted towards."""

    order_status: str | None
    order_paid: int | None
    order_outstanding: int | None


class QrPayloadOut(BaseModel):
    payload: str


class QrPaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payload: str = Field(min_length=1, max_length=512)
    account_id: str = Field(max_length=32)
    amount: Amount | None = None  # static codes only: the amount the customer typed


class PaymentCodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    account_id: str = Field(max_length=32)


class PaymentCodeOut(BaseModel):
    """Shown once to its owner; finlife keeps only an HMAC of ``code``."""

    id: str
    code: str
    account_id: str
    expires_at: datetime
    barcode_svg: str
    qr_svg: str


class PaymentCodeAnswerOut(BaseModel):
    """``POST /v1/payment-codes``'s answer: ``PaymentCodeOut``, or its replay (the same
    Idempotency-Key) naming the same code without the code: it is answered once and never stored."""

    id: str
    code: str | None = Field(description="The 18 digits; null in a replay (Idempotent-Replayed)")
    account_id: str
    expires_at: datetime
    barcode_svg: str | None = Field(description="The code as a barcode; null in a replay")
    qr_svg: str | None = Field(description="The code as a QR code; null in a replay")


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount: Amount
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    lines: list[RefundLine] | None = Field(default=None, max_length=200)


class RefundPartOut(BaseModel):
    payment_id: str
    method: Method
    amount: int


class RefundOut(BaseModel):
    id: str
    order_id: str
    amount: int
    reason: str
    parts: list[RefundPartOut]
    order_refunded: int
    created_at: datetime
