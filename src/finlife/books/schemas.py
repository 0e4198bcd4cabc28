"""The merchant's books as the API shows them. Amounts are fen (integers)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from finlife.kit.dates import IsoDate


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["expense", "income"]
    category: str = Field(max_length=32)
    amount: StrictInt  # fen, more than zero
    date: IsoDate
    note: str = Field(default="", max_length=200)
    # Which of the merchant's money it was paid from (expense) or went into (income).
    via: Literal["owner", "bank", "drawer"] = "owner"


class LineOut(BaseModel):
    account: str
    amount: int  # + debit, − credit


class EntryOut(BaseModel):
    id: str
    merchant_id: str
    kind: str
    category: str | None
    date: date
    note: str
    store_id: str | None
    reverses: str | None
    has_receipt: bool
    created_at: datetime
    lines: list[LineOut]


class CategoryOut(BaseModel):
    kind: Literal["expense", "income"]
    key: str
    name: str


class PnlRow(BaseModel):
    period: str  # YYYY-MM-DD, YYYY-MM, or "total"
    revenue: int
    fees: int
    coupon_cost: int
    expenses: int
    other_income: int
    profit: int


class PnlOut(BaseModel):
    merchant_id: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    by: Literal["day", "month"]
    rows: list[PnlRow]
    total: PnlRow


class CashflowAccountOut(BaseModel):
    account: Literal["settlement_account", "cash_drawer"]
    opening: int
    inflows: int
    outflows: int
    closing: int  # opening + inflows − outflows


class CashflowOut(BaseModel):
    merchant_id: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    accounts: list[CashflowAccountOut]


class TenderTakings(BaseModel):
    tender: str
    takings: int  # sales less refunds


class StoreTakings(BaseModel):
    store_id: str
    store_name: str
    takings: int


class HourTakings(BaseModel):
    hour: int  # 0–23, Asia/Shanghai
    takings: int


class TakingsOut(BaseModel):
    merchant_id: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    total: int
    by_tender: list[TenderTakings]
    by_store: list[StoreTakings]
    by_hour: list[HourTakings]


class ReturnsOut(BaseModel):
    """Fees against non-cash takings, and what coupons cost the merchant against what they brought."""

    merchant_id: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    noncash_takings: int
    fees: int
    fee_rate: str | None  # fees / non-cash takings, 4 decimals
    coupon_cost: int  # the merchant's share of discounts
    coupon_subsidies: int  # the bank's (and prepaid) shares
    coupon_order_takings: int  # what orders with a coupon paid
    coupon_return: str | None  # (coupon order takings − coupon cost) / coupon cost, 2 decimals


class DifferenceOut(BaseModel):
    kind: Literal["missing_in_books", "missing_in_bank", "amount_differs"]
    date: date
    ledger_entry_id: str | None
    book_entry_id: str | None
    book_amount: int | None
    bank_amount: int | None
    memo: str


class ReconciliationOut(BaseModel):
    merchant_id: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    book_total: int  # the book's settlement-account movement over the range
    bank_total: int  # the settlement account's postings over the range
    matched: int
    differences: list[DifferenceOut]
