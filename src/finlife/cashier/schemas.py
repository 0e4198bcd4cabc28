"""Orders, previews, shifts and receipts in and out of the API, and what the payments module passes in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints
from pydantic.dataclasses import dataclass

# Amounts are integer fen, strict: 12.5, "1250" and true are refused (422 validation_error).
Amount = Annotated[StrictInt, Field(gt=0, le=10**10, examples=[1800])]
CashCount = Annotated[StrictInt, Field(ge=0, le=10**10, examples=[50000])]
Quantity = Annotated[StrictInt, Field(gt=0, le=9999, examples=[2])]
LineName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
MAX_LINES = 200


class OrderStatus(StrEnum):
    OPEN = "open"
    PAID = "paid"
    CANCELLED = "cancelled"


class CashKind(StrEnum):
    SALE = "sale"
    REFUND = "refund"
    PAID_IN = "paid_in"
    PAID_OUT = "paid_out"


class ShiftStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class CatalogLineIn(BaseModel):
    """A variation of the merchant's goods, priced from the catalog."""

    model_config = ConfigDict(extra="forbid")

    variation_id: str = Field(max_length=32, examples=["var_0123456789abcdefghjk"])
    quantity: Quantity


class FreeLineIn(BaseModel):
    """A line the cashier keys in: a name and an amount (e.g. a service charge)."""

    model_config = ConfigDict(extra="forbid")

    name: LineName
    amount: Amount


LineIn = CatalogLineIn | FreeLineIn


class OrderDraftIn(BaseModel):
    """Lines to price. ``store_id`` and ``terminal_id`` may be sent again and must be the order's."""

    model_config = ConfigDict(extra="forbid")

    store_id: str | None = Field(default=None, max_length=32)
    terminal_id: str | None = Field(default=None, max_length=32)
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)
    # Codes of the customer's coupons (see finlife.marketing): one per order unless all are stackable.
    coupon_codes: list[str] = Field(default_factory=list, max_length=10)


class OrderIn(OrderDraftIn):
    store_id: str = Field(max_length=32, examples=["sto_0123456789abcdefghjk"])
    terminal_id: str = Field(max_length=32, examples=["SH000001"])


class OrderLineOut(BaseModel):
    variation_id: str | None
    sku: str | None
    name: str
    unit_price: int
    quantity: int
    line_total: int
    returned_quantity: int = 0


class OrderPreviewOut(BaseModel):
    """What an order with these lines would cost; nothing is stored."""

    store_id: str
    terminal_id: str
    lines: list[OrderLineOut]
    subtotal: int
    discount: int
    total: int


class OrderOut(BaseModel):
    id: str
    status: OrderStatus
    merchant_id: str
    store_id: str
    terminal_id: str
    cashier: str  # user id of whoever opened the order
    lines: list[OrderLineOut]
    subtotal: int
    discount: int
    total: int
    paid: int
    refunded: int
    created_at: datetime
    paid_at: datetime | None
    cancelled_at: datetime | None


@dataclass(frozen=True)
class OrderFacts:
    """An order's own figures without its lines: what taking money on it needs to know."""

    id: str
    status: OrderStatus
    merchant_id: str
    store_id: str
    terminal_id: str
    total: int
    paid: int


@dataclass(frozen=True)
class RefundLine:
    """Give back ``quantity`` pieces of one variation of the order (returned to stock)."""

    variation_id: str
    quantity: Annotated[StrictInt, Field(gt=0)]


class ShiftOpenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terminal_id: str = Field(max_length=32, examples=["SH000001"])
    opening_float: CashCount


class ShiftCloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    counted_cash: CashCount


class CashMovementIn(BaseModel):
    """Cash put into the drawer (change from the bank) or taken out (a supplier paid in cash)."""

    model_config = ConfigDict(extra="forbid")

    kind: Annotated[Literal[CashKind.PAID_IN, CashKind.PAID_OUT], Field(examples=["paid_out"])]
    amount: Amount
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CashMovementOut(BaseModel):
    id: str
    shift_id: str
    kind: CashKind
    amount: int
    reason: str | None
    user_id: str | None
    at: datetime


class CashTotal(BaseModel):
    kind: CashKind
    count: int
    amount: int


class ShiftOut(BaseModel):
    """A shift and its drawer: ``expected_cash`` is float + sales − refunds + paid in − paid out.

    While open, ``expected_cash`` is the drawer's running balance; ``counted_cash`` and ``over_short``
    (counted − expected: positive over, negative short) are set when it is closed.
    """

    id: str
    status: ShiftStatus
    merchant_id: str
    store_id: str
    terminal_id: str
    cashier: str
    opening_float: int
    expected_cash: int
    counted_cash: int | None
    over_short: int | None
    totals: list[CashTotal]
    opened_at: datetime
    closed_at: datetime | None
    closed_by: str | None


class PaymentSummary(BaseModel):
    """One tender as a receipt prints it; the payments module supplies these (see receipts)."""

    method: str  # "cash", "card", "contactless", "qr", "payment_code", …
    amount: int  # what the tender paid towards the order (for cash: handed over − change)
    detail: str | None = None  # e.g. a masked card number "6222 **** **** 1234"; never a full PAN
    change: int = 0  # cash given back to the customer


class ReceiptLine(BaseModel):
    name: str
    quantity: int
    unit_price: int
    line_total: int


class Receipt(BaseModel):
    """Everything a printed receipt shows, times already in the business time zone."""

    store_name: str
    store_address: str
    order_id: str
    status: OrderStatus
    terminal_id: str
    cashier: str
    created_at: str
    paid_at: str | None
    lines: list[ReceiptLine]
    subtotal: int
    discount: int
    total: int
    paid: int
    refunded: int
    payments: list[PaymentSummary]
    change: int
