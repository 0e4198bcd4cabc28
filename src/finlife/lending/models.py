"""Lending's tables: products, reference rates, developers' escrow accounts, loans (an application
is a loan from its first state on) and their instalments, and the days ``loans run-day`` has run."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class LoanProduct(Base):
    __tablename__ = "loan_products"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # lpr_…
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(24))  # mortgage | consumer | merchant_operating
    currency: Mapped[str] = mapped_column(String(3))
    min_amount: Mapped[int] = mapped_column(BigInteger)
    max_amount: Mapped[int] = mapped_column(BigInteger)
    min_term_months: Mapped[int] = mapped_column(Integer)
    max_term_months: Mapped[int] = mapped_column(Integer)
    reference_rate: Mapped[str] = mapped_column(String(8))  # lpr_1y | lpr_5y
    spread_bp: Mapped[int] = mapped_column(Integer)
    repricing: Mapped[str] = mapped_column(String(16))  # fixed | january_first | anniversary
    methods: Mapped[list[str]] = mapped_column(JSON)
    max_ltv_first_bp: Mapped[int | None] = mapped_column(Integer)
    max_ltv_second_bp: Mapped[int | None] = mapped_column(Integer)
    max_dti_bp: Mapped[int] = mapped_column(Integer)
    penalty_markup_pct: Mapped[int] = mapped_column(Integer)  # 50: overdue principal at 1.5 × the rate
    fee: Mapped[int] = mapped_column(BigInteger)  # charged once, at disbursement
    second_approval_above: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReferenceRate(Base):
    """A published reference rate (LPR) from a day on; the one in force is the latest not after."""

    __tablename__ = "loan_reference_rates"
    __table_args__ = (UniqueConstraint("name", "effective_from"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(8))
    effective_from: Mapped[date] = mapped_column(Date)
    rate_bp: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeveloperEscrow(Base):
    """The deposit account at this bank into which a property developer's buyers' loans are paid."""

    __tablename__ = "loan_developer_escrows"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    partner_id: Mapped[str] = mapped_column(String(32), unique=True)
    account_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Loan(Base):
    __tablename__ = "loans"
    __table_args__ = (
        Index("ix_loans_status_id", "status", "id"),
        Index("ix_loans_customer", "customer_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)  # lon_…
    product_pk: Mapped[int] = mapped_column(BigId, ForeignKey("loan_products.id"))
    customer_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(BigInteger)
    term_months: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(20))
    rate_bp: Mapped[int] = mapped_column(Integer)  # reference + spread; fixed at signing
    spread_bp: Mapped[int] = mapped_column(Integer)
    penalty_markup_pct: Mapped[int] = mapped_column(Integer)
    fee: Mapped[int] = mapped_column(BigInteger)
    repayment_account_id: Mapped[str] = mapped_column(String(32))
    monthly_income: Mapped[int] = mapped_column(BigInteger)
    property: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    developer_partner_id: Mapped[str | None] = mapped_column(String(32))
    partner_id: Mapped[str | None] = mapped_column(String(32))  # the partner that started it
    entered_by: Mapped[str] = mapped_column(String(32))  # user or partner id
    journey_id: Mapped[str] = mapped_column(String(32))
    documents: Mapped[list[str]] = mapped_column(JSON)
    approvals: Mapped[list[str]] = mapped_column(JSON)
    decided_reason: Mapped[str | None] = mapped_column(String(500))
    signed_by: Mapped[str | None] = mapped_column(String(32))
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disbursed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    value_date: Mapped[date | None] = mapped_column(Date)
    disbursed_to: Mapped[str | None] = mapped_column(String(32))
    ledger_account_id: Mapped[str | None] = mapped_column(String(32))  # the loan's principal (asset)
    # Servicing state (run-day): the instalment accruing now and what it has accrued.
    current_n: Mapped[int] = mapped_column(Integer, default=1)
    accrued: Mapped[int] = mapped_column(BigInteger, default=0)
    penalty_due: Mapped[int] = mapped_column(BigInteger, default=0)
    oldest_unpaid_due: Mapped[date | None] = mapped_column(Date)
    days_past_due: Mapped[int] = mapped_column(Integer, default=0)
    classification: Mapped[str] = mapped_column(String(16), default="normal")
    serviced_through: Mapped[date | None] = mapped_column(Date)
    # Write-off (``write_off``): the officers who approved it so far, and why; when it was done.
    write_off_approvals: Mapped[list[str] | None] = mapped_column(JSON)
    write_off_reason: Mapped[str | None] = mapped_column(String(500))
    written_off_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Instalment(Base):
    __tablename__ = "loan_instalments"
    __table_args__ = (UniqueConstraint("loan_pk", "n"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    loan_pk: Mapped[int] = mapped_column(BigId, ForeignKey("loans.id"))
    n: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    principal: Mapped[int] = mapped_column(BigInteger)
    interest: Mapped[int] = mapped_column(BigInteger)
    paid_principal: Mapped[int] = mapped_column(BigInteger, default=0)
    paid_interest: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(12))  # scheduled | paid | overdue | written_off


class LoanDay(Base):
    """How far ``loans run-day`` got with a day: it resumes after the last loan it finished."""

    __tablename__ = "loan_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    done_through_pk: Mapped[int] = mapped_column(BigInteger, default=0)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
