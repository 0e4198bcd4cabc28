"""Lending's API shapes. Money is in fen (integers), rates in basis points (4.90 % = 490)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, Field, StrictBool, StrictInt

from finlife.kit.dates import IsoDate
from finlife.lending.schedule import Method

FEN = Field(ge=1, le=10**13)


class ProductKind(StrEnum):
    MORTGAGE = "mortgage"
    CONSUMER = "consumer"
    MERCHANT_OPERATING = "merchant_operating"


class ReferenceRateName(StrEnum):
    LPR_1Y = "lpr_1y"
    LPR_5Y = "lpr_5y"


class Repricing(StrEnum):
    FIXED = "fixed"  # the rate stays what it was at signing
    JANUARY_FIRST = "january_first"  # floating: repriced each 1 January
    ANNIVERSARY = "anniversary"  # floating: repriced on each anniversary of the value date


class LoanStatus(StrEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    SIGNED = "signed"
    DISBURSED = "disbursed"
    ACTIVE = "active"
    CLOSED = "closed"
    WRITTEN_OFF = "written_off"
    WITHDRAWN = "withdrawn"


class Classification(StrEnum):
    NORMAL = "normal"  # 正常
    SPECIAL_MENTION = "special_mention"  # 关注
    SUBSTANDARD = "substandard"  # 次级
    DOUBTFUL = "doubtful"  # 可疑
    LOSS = "loss"  # 损失


class ProductIn(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    kind: ProductKind
    currency: str = Field(default="CNY", pattern="^CNY$")
    min_amount: StrictInt = FEN
    max_amount: StrictInt = FEN
    min_term_months: StrictInt = Field(ge=1, le=360)
    max_term_months: StrictInt = Field(ge=1, le=360)
    reference_rate: ReferenceRateName
    spread_bp: StrictInt = Field(ge=-500, le=2000)
    repricing: Repricing = Repricing.FIXED
    methods: list[Method] = Field(min_length=1)
    max_ltv_first_bp: StrictInt | None = Field(default=None, ge=1, le=10000)
    max_ltv_second_bp: StrictInt | None = Field(default=None, ge=1, le=10000)
    max_dti_bp: StrictInt = Field(default=5000, ge=1, le=10000)
    penalty_markup_pct: StrictInt = Field(default=50, ge=0, le=100)
    fee: StrictInt = Field(default=0, ge=0, le=10**9)
    second_approval_above: StrictInt | None = Field(default=None, ge=1)


class ProductOut(ProductIn):
    id: str
    active: bool


class RateIn(BaseModel):
    name: ReferenceRateName
    effective_from: IsoDate
    rate_bp: StrictInt = Field(ge=0, le=5000)


class RateOut(RateIn):
    pass


class EscrowIn(BaseModel):
    partner_id: str = Field(max_length=32)
    account_id: str = Field(max_length=32)


class EscrowOut(EscrowIn):
    pass


class PropertyIn(BaseModel):
    price: StrictInt = FEN
    address: str = Field(min_length=1, max_length=200)
    developer_partner_id: str | None = Field(default=None, max_length=32)
    first_home: StrictBool = True


class ApplicationIn(BaseModel):
    product_id: str = Field(max_length=32)
    amount: StrictInt = FEN
    term_months: StrictInt = Field(ge=1, le=360)
    method: Method
    repayment_account_id: str = Field(max_length=32)
    property: PropertyIn | None = None
    monthly_income: StrictInt = FEN
    # Staff entering an application at the branch name the customer; customers and partners do not.
    customer_id: str | None = Field(default=None, max_length=32)


class PreviewLine(BaseModel):
    n: int
    principal: int
    interest: int
    total: int


class ApplicationOut(BaseModel):
    id: str
    status: LoanStatus
    journey_id: str
    customer_id: str
    product_id: str
    amount: int
    term_months: int
    method: Method
    rate_bp: int
    approvals: int
    approvals_needed: int
    schedule_preview: list[PreviewLine]


class RejectIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class InstalmentOut(BaseModel):
    n: int
    due_date: date | None
    principal: int
    interest: int
    paid: int
    status: str


class LoanOut(BaseModel):
    id: str
    status: LoanStatus
    customer_id: str
    product_id: str
    amount: int
    rate_bp: int
    method: Method
    principal_outstanding: int
    penalty_due: int
    days_past_due: int
    classification: Classification
    journey_id: str
    disbursed_to: str | None
    value_date: date | None
    schedule: list[InstalmentOut]
    # A write-off asked for: how many officers approved it so far, and why (None when none was).
    write_off_approvals: int = 0
    write_off_reason: str | None = None


class WriteOffIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class PrepaymentMode(StrEnum):
    SHORTEN = "shorten"
    REDUCE = "reduce"


class PrepaymentIn(BaseModel):
    amount: StrictInt = FEN
    mode: PrepaymentMode


class LoanSummary(BaseModel):
    id: str
    status: LoanStatus
    customer_id: str
    amount: int
    created_at: datetime
    classification: Classification
    days_past_due: int
