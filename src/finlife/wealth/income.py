"""Paying a day's income as units: allocated once, then paid in batches that each commit.

``distribute`` first fixes the day's allocation in one unit of work (the ``wealth_distributions``
row and one ``wealth_income`` row per holding that earns a fen), then pays unpaid rows a batch at a
time: the holdings' units, one balanced entry (debit the fund's earnings, credit custody) and one
``wealth.income_paid`` event per account. A run stopped half-way is resumed by running it again;
a finished day is not paid twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import Database, inserted_once, table_of
from finlife.ledger import service as ledger
from finlife.wealth.allocation import allocate
from finlife.wealth.models import Distribution, Fund, FundYield, Holding, Income

_holdings = table_of(Holding)
_income = table_of(Income)
_distributions = table_of(Distribution)
BATCH = 1000
Progress = Callable[[int, int], None]


def days_to_distribute(session: Session, day: date | None) -> list[tuple[int, date]]:
    """(fund pk, day) of published yields not yet fully paid, up to ``day`` (default: today)."""
    until = day or clock.business_day()
    done = (
        select(_distributions.c.fund_pk)
        .where(
            _distributions.c.fund_pk == FundYield.fund_pk,
            _distributions.c.day == FundYield.day,
            _distributions.c.status == "done",
        )
        .exists()
    )
    rows = session.execute(
        select(FundYield.fund_pk, FundYield.day)
        .where(FundYield.day <= until, ~done)
        .order_by(FundYield.day, FundYield.fund_pk)
    ).all()
    if day is not None:
        rows = [row for row in rows if row.day == day]
    return [(row.fund_pk, row.day) for row in rows]


def start(session: Session, fund_pk: int, day: date) -> int:
    """Fix the day's allocation once; returns how many holdings are to be paid."""
    fund_yield = session.get_one(FundYield, (fund_pk, day))
    holdings = session.execute(
        select(_holdings.c.id, _holdings.c.units)
        .where(_holdings.c.fund_pk == fund_pk)
        .order_by(_holdings.c.id)
    ).all()
    base = [(row.id, int(row.units)) for row in holdings]
    total, parts = allocate(base, fund_yield.per_10k)
    values = {
        "fund_pk": fund_pk,
        "day": day,
        "base_units": sum(units for _, units in base),
        "total": total,
        "status": "running",
        "started_at": clock.now(),
    }
    if inserted_once(session, _distributions, values, conflict_columns=["fund_pk", "day"]):
        units = dict(base)
        rows = [
            {
                "holding_pk": pk,
                "day": day,
                "fund_pk": fund_pk,
                "base_units": units[pk],
                "amount": amount,
                "paid": False,
            }
            for pk, amount in parts.items()
            if amount > 0
        ]
        if rows:
            session.execute(_income.insert(), rows)
    unpaid: int = session.execute(
        select(func.count()).where(_income.c.fund_pk == fund_pk, _income.c.day == day, ~_income.c.paid)
    ).scalar_one()
    return unpaid


def pay_batch(session: Session, actor: Actor, fund_pk: int, day: date) -> int:
    """Pay up to ``BATCH`` unpaid holdings of the day; returns how many were paid (0: all done)."""
    rows = session.execute(
        select(_income.c.holding_pk, _income.c.amount, _holdings.c.account_id)
        .join(_holdings, _holdings.c.id == _income.c.holding_pk)
        .where(_income.c.fund_pk == fund_pk, _income.c.day == day, ~_income.c.paid)
        .order_by(_income.c.holding_pk)
        .limit(BATCH)
    ).all()
    fund = session.get_one(Fund, fund_pk)
    if not rows:
        session.execute(
            update(_distributions)
            .where(_distributions.c.fund_pk == fund_pk, _distributions.c.day == day)
            .values(status="done")
        )
        return 0
    pks = [row.holding_pk for row in rows]
    # Locked in id order as the rows come, so income never waits on a holding in a cycle.
    session.execute(
        update(_holdings)
        .where(_holdings.c.id == bindparam("pk"))
        .values(units=_holdings.c.units + bindparam("gain")),
        [{"pk": row.holding_pk, "gain": row.amount} for row in rows],
    )
    session.execute(
        update(_income).where(_income.c.day == day, _income.c.holding_pk.in_(pks)).values(paid=True)
    )
    total = sum(row.amount for row in rows)
    ledger.post_pair(
        session,
        actor,
        debit=fund.earnings_account_id,
        credit=fund.custody_account_id,
        amount=total,
        currency=fund.currency,
        kind="wealth.income",
        memo=f"{fund.name} {day.isoformat()}",
        details={"fund": fund.public_id, "date": day.isoformat(), "holdings": len(rows)},
        hot=(fund.custody_account_id,),
    )
    for row in rows:
        outbox.publish(
            session,
            "wealth.income_paid",
            {
                "account_id": row.account_id,
                "fund_id": fund.public_id,
                "amount": row.amount,
                "date": day.isoformat(),
            },
            channel=actor.channel.value,
        )
    return len(rows)


def distribute(database: Database, actor: Actor, day: date | None, progress: Progress | None = None) -> int:
    """Pay every undistributed published day up to ``day``; returns how many holdings were paid."""
    with database.unit_of_work() as session:
        todo = days_to_distribute(session, day)
    paid = 0
    for fund_pk, fund_day in todo:
        with database.unit_of_work() as session:
            total = start(session, fund_pk, fund_day)
        done = 0
        while True:
            with database.unit_of_work() as session:
                count = pay_batch(session, actor, fund_pk, fund_day)
            if not count:
                break
            done += count
            if progress is not None:
                progress(done, total)
        paid += done
    return paid
