"""``finlife demo`` gives a money-market fund with a yield on each business day of the history, and
sweeps: every merchant's settlement account and a third of the app's customers hold units, their
daily income paid, the merchants' showing in their books; a seeding run again adds nothing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from finlife.books.models import BookEntry
from finlife.demo import world
from finlife.demo.wealth import FUND_CODE, seven_day_yield
from finlife.demo.world import DEFAULT_SEED
from finlife.kit.db import Database
from finlife.merchants.models import Merchant
from finlife.settings import Settings
from finlife.wealth import service as wealth
from finlife.wealth.models import Fund, FundYield, Holding, Income, Sweep
from tests.books.support import drain
from tests.wealth.support import assert_books_agree

UNTIL = date(2026, 3, 23)  # a Monday: the history is 16–20 March (a week) before it
DAYS = 7


def _census(db: Database) -> tuple[int, int, int, int, int]:
    with db.unit_of_work() as session:

        def count(column: object) -> int:
            return int(session.execute(select(func.count(column))).scalar_one())  # type: ignore[arg-type]

        units = int(session.execute(select(func.coalesce(func.sum(Holding.units), 0))).scalar_one())
        return count(Fund.id), count(FundYield.day), count(Sweep.id), count(Income.holding_pk), units


def test_the_demo_has_a_fund_with_yields_sweeps_holdings_and_income(db: Database, settings: Settings) -> None:
    made = world.seed_demo_world(db, settings, customers_count=6, merchants_count=1, days=DAYS, until=UNTIL)
    history = [date(2026, 3, 16) + timedelta(days=n) for n in range(DAYS)]
    business = [d for d in history if wealth.is_business_day(d)]
    assert made["fund_days"] == len(business) == 5
    with db.unit_of_work() as session:
        fund = session.execute(select(Fund).where(Fund.code == FUND_CODE)).scalar_one()
        yields = session.execute(select(FundYield).order_by(FundYield.day)).scalars().all()
        assert [y.day for y in yields] == business
        assert all(y.seven_day == seven_day_yield(DEFAULT_SEED, y.day) for y in yields)
        sweeps = session.execute(select(Sweep)).scalars().all()
        holdings = session.execute(select(Holding).where(Holding.fund_pk == fund.id)).scalars().all()
    assert made["sweeping_accounts"] == len(sweeps) >= 2  # the shop and at least the demo customer
    held = {h.account_id for h in holdings if h.units > 0}
    assert len(held) >= 2 and held <= {s.account_id for s in sweeps}
    with db.unit_of_work() as session:
        shop = session.execute(select(Merchant.settlement_account_id)).scalar_one()
    assert shop in held, "the shop's settlement account swept into the fund"
    funds, days, sweeping, incomes, units = _census(db)
    assert incomes > 0 and units > 0
    assert_books_agree(db)

    drain(db)
    with db.unit_of_work() as session:
        fund_income = (
            session.execute(select(BookEntry).where(BookEntry.kind == "fund_income")).scalars().all()
        )
    assert fund_income, "the merchant's books show its fund income"

    world.seed_demo_world(db, settings, customers_count=6, merchants_count=1, days=DAYS, until=UNTIL)
    assert _census(db) == (funds, days, sweeping, incomes, units)
