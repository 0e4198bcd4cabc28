"""What a customer holds: units, daily income, the fund's yields and today's T+0 room."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import Forbidden
from finlife.wealth.funds import yield_history
from finlife.wealth.holdings import fast_remaining
from finlife.wealth.models import Fund, Holding, Income
from finlife.wealth.schemas import HoldingOut, HoldingsOut, IncomeDayOut

INCOME_DAYS = 30


def my_holdings(session: Session, actor: Actor) -> HoldingsOut:
    """The signed-in customer's holdings (a staff login has none: 403)."""
    if actor.customer_id is None:
        raise Forbidden()
    rows = session.execute(
        select(Holding, Fund)
        .join(Fund, Fund.id == Holding.fund_pk)
        .where(Holding.customer_id == actor.customer_id)
        .order_by(Holding.id)
        .execution_options(populate_existing=True)
    ).all()
    today = clock.business_day()
    out = []
    for holding, fund in rows:
        income = [
            IncomeDayOut(date=row.day, amount=row.amount)
            for row in session.execute(
                select(Income.day, Income.amount)
                .where(Income.holding_pk == holding.id, Income.paid)
                .order_by(Income.day.desc())
                .limit(INCOME_DAYS)
            )
        ]
        total = session.execute(
            select(func.coalesce(func.sum(Income.amount), 0)).where(
                Income.holding_pk == holding.id, Income.paid
            )
        ).scalar_one()
        out.append(
            HoldingOut(
                fund_id=fund.public_id,
                fund_name=fund.name,
                account_id=holding.account_id,
                units=holding.units,
                latest_income=income[0] if income else None,
                total_income=int(total),
                income=income,
                yields=yield_history(session, fund.id),
                fast_remaining_today=fast_remaining(session, actor.customer_id, fund.id, today),
            )
        )
    return HoldingsOut(holdings=out)
