"""The funds for sale and their published yields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import inserted_once, savepoint, table_of
from finlife.kit.errors import NotFound
from finlife.kit.ids import new_id
from finlife.kit.permissions import Capability, require
from finlife.ledger import service as ledger
from finlife.ledger.schemas import AccountKind
from finlife.wealth.calendar import is_business_day
from finlife.wealth.errors import FundCodeTaken, NotBusinessDay, YieldAlreadyPublished
from finlife.wealth.models import Fund, FundYield
from finlife.wealth.schemas import FundOut, YieldOut

_yields = table_of(FundYield)
CHART_DAYS = 30


def yield_out(row: FundYield) -> YieldOut:
    return YieldOut(date=row.day, per_10k=f"{row.per_10k:.4f}", seven_day=f"{row.seven_day:.4f}")


def fund_out(session: Session, fund: Fund) -> FundOut:
    latest = session.execute(
        select(FundYield).where(FundYield.fund_pk == fund.id).order_by(FundYield.day.desc()).limit(1)
    ).scalar_one_or_none()
    return FundOut(
        id=fund.public_id,
        code=fund.code,
        name=fund.name,
        currency=fund.currency,
        custody_account_id=fund.custody_account_id,
        latest_yield=yield_out(latest) if latest is not None else None,
        created_at=fund.created_at,
    )


def find_fund(session: Session, fund_id: str) -> Fund:
    fund = session.execute(select(Fund).where(Fund.public_id == fund_id)).scalar_one_or_none()
    if fund is None:
        raise NotFound("fund")
    return fund


def create_fund(session: Session, actor: Actor, *, code: str, name: str, currency: str) -> FundOut:
    """A fund with its three ledger accounts: custody (the investors' units, a liability), the
    portfolio's earnings (an asset: what the fund's investments have earned and not yet paid out as
    cash) and redemptions payable (normal redemptions between request and arrival)."""
    require(actor, Capability.FUNDS)
    if session.execute(select(Fund.id).where(Fund.code == code)).first() is not None:
        raise FundCodeTaken(code)
    custody = ledger.open_account(
        session,
        code=f"wealth:{code}:custody",
        name=f"{name} custody",
        kind=AccountKind.LIABILITY,
        currency=currency,
    )
    earnings = ledger.open_account(
        session,
        code=f"wealth:{code}:earnings",
        name=f"{name} earnings",
        kind=AccountKind.ASSET,
        currency=currency,
    )
    payable = ledger.open_account(
        session,
        code=f"wealth:{code}:payable",
        name=f"{name} redemptions payable",
        kind=AccountKind.LIABILITY,
        currency=currency,
    )
    fund = Fund(
        public_id=new_id("fnd"),
        code=code,
        name=name,
        currency=currency,
        custody_account_id=custody.id,
        earnings_account_id=earnings.id,
        payable_account_id=payable.id,
        created_at=clock.now(),
    )
    try:
        with savepoint(session):
            session.add(fund)
            session.flush()
    except IntegrityError as exc:  # a concurrent creation with the same code
        raise FundCodeTaken(code) from exc
    return fund_out(session, fund)


def list_funds(session: Session) -> list[FundOut]:
    return [fund_out(session, fund) for fund in session.execute(select(Fund).order_by(Fund.id)).scalars()]


def publish_yield(
    session: Session, actor: Actor, fund_id: str, *, day: date, per_10k: Decimal, seven_day: Decimal
) -> YieldOut:
    """One business day's yield, published once (a correction is not an edit: this is what was paid)."""
    require(actor, Capability.FUNDS)
    fund = find_fund(session, fund_id)
    if not is_business_day(day):
        raise NotBusinessDay(day.isoformat())
    values = {
        "fund_pk": fund.id,
        "day": day,
        "per_10k": per_10k,
        "seven_day": seven_day,
        "published_at": clock.now(),
    }
    if not inserted_once(session, _yields, values, conflict_columns=["fund_pk", "day"]):
        raise YieldAlreadyPublished(day.isoformat())
    return YieldOut(date=day, per_10k=f"{per_10k:.4f}", seven_day=f"{seven_day:.4f}")


def yield_history(session: Session, fund_pk: int, days: int = CHART_DAYS) -> list[YieldOut]:
    """The last ``days`` published yields, oldest first (the chart's order)."""
    rows = session.execute(
        select(FundYield).where(FundYield.fund_pk == fund_pk).order_by(FundYield.day.desc()).limit(days)
    ).scalars()
    return [yield_out(row) for row in reversed(list(rows))]


def yield_of(session: Session, fund_pk: int, day: date) -> FundYield | None:
    return session.get(FundYield, (fund_pk, day))
