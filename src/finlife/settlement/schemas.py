"""Settlement statements, run summaries and the merchant daily report in and out of the API."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from finlife.kit.dates import IsoDate


class SettleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # The business day (Asia/Shanghai) whose takings are settled; default: today − settlement lag.
    date: IsoDate | None = Field(default=None, examples=["2026-03-01"])


class TenderTotals(BaseModel):
    method: str  # cash | card | qr_merchant | payment_code
    count: int
    gross: int
    refunds: int
    fees: int


class SettlementOut(BaseModel):
    """One merchant's statement of one business day.

    ``settled`` left the pending-settlement account: ``net`` to the merchant's settlement account and
    ``fees_charged`` to the bank's fee income. ``carried_out_pending`` > 0 is takings still owed to
    the merchant, < 0 a deficit recovered from later takings; ``carried_out_fees`` fees still due.
    """

    id: str
    merchant_id: str
    business_date: dt.date
    currency: str
    gross: int
    refunds: int
    fees: int
    carried_in_pending: int
    carried_in_fees: int
    settled: int
    fees_charged: int
    net: int
    carried_out_pending: int
    carried_out_fees: int
    cash_gross: int
    cash_refunds: int
    tenders: list[TenderTotals]
    settlement_account_id: str
    entry_id: str | None
    created_at: dt.datetime


class InterbankPositionOut(BaseModel):
    """One other bank's deferred net position of a business day (from its clearing account).

    Amounts in fen; ``movement`` and ``net`` are signed as the clearing account reads: > 0 the other
    bank owes us, < 0 we owe it. ``net`` = ``movement`` − ``interchange`` is what settles.
    ``settled`` is False for a day not settled yet (a preview computed now).
    """

    bank_code: str
    business_date: dt.date
    currency: str
    card_count: int
    card_amount: int
    transfers_out_count: int
    transfers_out_amount: int
    transfers_in_count: int
    transfers_in_amount: int
    other_amount: int
    movement: int
    interchange: int
    net: int
    settled: bool
    entry_id: str | None


class SettlementRunOut(BaseModel):
    """What one run settled: merchants with at least one new statement, and the totals moved."""

    business_date: dt.date
    merchants_settled: int
    statements: int
    gross: int
    refunds: int
    fees_charged: int
    net: int
    cash_gross: int
    # Merchants whose settlement account cannot take money now (not active); retried next run.
    held: list[str]
    # Each other bank's net position of the day, settled in the same run.
    interbank: list[InterbankPositionOut] = Field(default_factory=list)


class ReportTotals(BaseModel):
    payments: int  # count of approved tenders
    gross: int
    refunds: int
    fees: int
    coupon_discounts: int
    net: int  # gross − refunds − fees


class ReportTender(BaseModel):
    method: str
    count: int
    gross: int
    refunds: int
    fees: int
    net: int


class ReportItem(BaseModel):
    variation_id: str | None  # None for a free line typed at the till
    sku: str | None
    name: str
    quantity: int
    amount: int


class ReportHour(BaseModel):
    hour: int  # 0–23, Asia/Shanghai
    count: int
    gross: int


class DailyReportOut(BaseModel):
    """A merchant's business day: every tender (cash included), its refunds, fees and goods sold.

    Items are the lines of the orders fully paid that day (before order-level coupon discounts,
    shown apart); hours bucket the tenders by their time in the business time zone.
    """

    merchant_id: str
    date: dt.date
    currency: str
    totals: ReportTotals
    by_tender: list[ReportTender]
    by_item: list[ReportItem]
    by_hour: list[ReportHour]
