"""Tables of the money-market fund: the funds, their published yields, holdings (in fen-units),
orders (subscriptions and redemptions), daily income, the T+0 counter and the accounts' sweeps.

Money itself lives in the ledger: a fund's custody account holds exactly the sum of its holdings'
units (1 fen-unit = 0.01 CNY; a fund unit of 1.00 CNY is 100 fen-units).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Fund(Base):
    __tablename__ = "wealth_funds"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    currency: Mapped[str] = mapped_column(String(3))
    custody_account_id: Mapped[str] = mapped_column(String(32))  # lac_… owed to the fund's investors
    earnings_account_id: Mapped[str] = mapped_column(String(32))  # lac_… the portfolio's income
    payable_account_id: Mapped[str] = mapped_column(String(32))  # lac_… normal redemptions on the way
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FundYield(Base):
    """What the fund earned on a business day: 万份收益 (CNY per 10,000 units) and 7-day yield (%)."""

    __tablename__ = "wealth_fund_yields"

    fund_pk: Mapped[int] = mapped_column(ForeignKey("wealth_funds.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    per_10k: Mapped[Decimal] = mapped_column(Numeric(10, 4))
    seven_day: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Holding(Base):
    __tablename__ = "wealth_holdings"
    __table_args__ = (UniqueConstraint("fund_pk", "account_id"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    fund_pk: Mapped[int] = mapped_column(ForeignKey("wealth_funds.id"))
    account_id: Mapped[str] = mapped_column(String(32))  # the deposit account paid in and out
    customer_id: Mapped[str] = mapped_column(String(32), index=True)
    units: Mapped[int] = mapped_column(BigInteger)  # fen-units, worth 1 fen each
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Order(Base):
    """A subscription or redemption; a normal redemption stays ``pending`` until it arrives."""

    __tablename__ = "wealth_orders"
    __table_args__ = (Index("ix_wealth_orders_pending", "status", "arrives_on"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    fund_pk: Mapped[int] = mapped_column(ForeignKey("wealth_funds.id"))
    holding_pk: Mapped[int] = mapped_column(ForeignKey("wealth_holdings.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # subscription | redemption
    speed: Mapped[str | None] = mapped_column(String(8))  # fast | normal (redemptions)
    reason: Mapped[str] = mapped_column(String(12))  # request | sweep | sweep_back
    amount: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))  # done | pending
    arrives_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FastRedemptionUsage(Base):
    """T+0 redemptions counted per investor, fund and Asia/Shanghai day (at most 10,000.00 CNY)."""

    __tablename__ = "wealth_fast_usage"

    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    fund_pk: Mapped[int] = mapped_column(ForeignKey("wealth_funds.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    used: Mapped[int] = mapped_column(BigInteger, default=0)


class Distribution(Base):
    """A day's income of one fund: the total fixed when it starts, paid to holdings in batches."""

    __tablename__ = "wealth_distributions"

    fund_pk: Mapped[int] = mapped_column(ForeignKey("wealth_funds.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    base_units: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10))  # running | done
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Income(Base):
    """One holding's income of one day: allocated all at once when the day's distribution starts,
    then paid as units in batches (``paid``), so a run resumed after a crash pays the same amounts."""

    __tablename__ = "wealth_income"
    __table_args__ = (Index("ix_wealth_income_unpaid", "fund_pk", "day", "paid"),)

    holding_pk: Mapped[int] = mapped_column(ForeignKey("wealth_holdings.id"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    fund_pk: Mapped[int] = mapped_column(ForeignKey("wealth_funds.id"))
    base_units: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)


class Sweep(Base):
    """An account's sweep into a fund: the balance above ``keep`` goes in every business day."""

    __tablename__ = "wealth_sweeps"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    account_id: Mapped[str] = mapped_column(String(32), unique=True)
    ledger_account_id: Mapped[str] = mapped_column(String(32), unique=True)  # found when a debit is short
    customer_id: Mapped[str] = mapped_column(String(32))
    fund_pk: Mapped[int] = mapped_column(ForeignKey("wealth_funds.id"))
    keep: Mapped[int] = mapped_column(BigInteger)
    swept_on: Mapped[date | None] = mapped_column(Date)  # the last business day swept (idempotent runs)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
