"""The reports, read from the totals only: the P&L, cash flow and returns from ``book_day_totals``
(a month is a few hundred rows however many orders it had), takings from ``book_totals`` (by hour
and store).

Days are Asia/Shanghai days. The P&L sums integers per day, and a month's row is the sum of its
days' rows, so the daily P&L adds up to the monthly one exactly.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.books import catalogue as c
from finlife.books.errors import RangeInvalid
from finlife.books.models import BookDayTotal, BookTotal
from finlife.books.schemas import (
    CashflowAccountOut,
    CashflowOut,
    HourTakings,
    PnlOut,
    PnlRow,
    ReturnsOut,
    StoreTakings,
    TakingsOut,
    TenderTakings,
)
from finlife.books.service.access import reader
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.merchants import service as merchants

MAX_DAYS = 731  # two years a request
COLUMNS = ("revenue", "fees", "coupon_cost", "expenses", "other_income")
CASH_NAMES: dict[str, Literal["settlement_account", "cash_drawer"]] = {
    c.BANK: "settlement_account",
    c.DRAWER: "cash_drawer",
}


def date_range(start: date | None, end: date | None) -> tuple[date, date]:
    """The range asked, or this month so far; refused (422) when reversed or longer than MAX_DAYS."""
    today = clock.business_day()
    end = end or today
    start = start or end.replace(day=1)
    if start > end or (end - start).days >= MAX_DAYS:
        raise RangeInvalid(MAX_DAYS)
    return start, end


def _net(debit: int, credit: int, account: str) -> tuple[str | None, int]:
    group = c.pnl_group(account)
    sign = -1 if group in ("revenue", "other_income") else 1
    return group, sign * (int(debit) - int(credit))


def _row(period: str, figures: dict[str, int]) -> PnlRow:
    values = {column: figures.get(column, 0) for column in COLUMNS}
    profit = (
        values["revenue"]
        + values["other_income"]
        - values["fees"]
        - values["coupon_cost"]
        - values["expenses"]
    )
    return PnlRow(period=period, profit=profit, **values)


def _periods(start: date, end: date, by: str) -> list[str]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    keys = [day.isoformat() if by == "day" else day.strftime("%Y-%m") for day in days]
    return list(dict.fromkeys(keys))


def pnl(
    session: Session,
    actor: Actor,
    merchant_id: str,
    start: date | None,
    end: date | None,
    by: Literal["day", "month"],
) -> PnlOut:
    merchant_id = reader(session, actor, merchant_id)
    start, end = date_range(start, end)
    rows = session.execute(
        select(
            BookDayTotal.day,
            BookDayTotal.account,
            func.sum(BookDayTotal.debit),
            func.sum(BookDayTotal.credit),
        )
        .where(BookDayTotal.merchant_id == merchant_id, BookDayTotal.day >= start, BookDayTotal.day <= end)
        .group_by(BookDayTotal.day, BookDayTotal.account)
    )
    figures: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, int] = defaultdict(int)
    for day, account, debit, credit in rows:
        group, amount = _net(debit, credit, account)
        if group is None:
            continue
        period = day.isoformat() if by == "day" else day.strftime("%Y-%m")
        figures[period][group] += amount
        total[group] += amount
    return PnlOut(
        merchant_id=merchant_id,
        date_from=start,
        date_to=end,
        by=by,
        rows=[_row(period, figures.get(period, {})) for period in _periods(start, end, by)],
        total=_row("total", total),
    )


def cashflow(
    session: Session, actor: Actor, merchant_id: str, start: date | None, end: date | None
) -> CashflowOut:
    merchant_id = reader(session, actor, merchant_id)
    start, end = date_range(start, end)
    before: dict[str, int] = {
        account: int(amount)
        for account, amount in session.execute(
            select(BookDayTotal.account, func.sum(BookDayTotal.debit) - func.sum(BookDayTotal.credit))
            .where(
                BookDayTotal.merchant_id == merchant_id,
                BookDayTotal.day < start,
                BookDayTotal.account.in_(c.CASH_ACCOUNTS),
            )
            .group_by(BookDayTotal.account)
        )
    }
    during = {
        account: (int(debit), int(credit))
        for account, debit, credit in session.execute(
            select(BookDayTotal.account, func.sum(BookDayTotal.debit), func.sum(BookDayTotal.credit))
            .where(
                BookDayTotal.merchant_id == merchant_id,
                BookDayTotal.day >= start,
                BookDayTotal.day <= end,
                BookDayTotal.account.in_(c.CASH_ACCOUNTS),
            )
            .group_by(BookDayTotal.account)
        )
    }
    accounts = []
    for account in c.CASH_ACCOUNTS:
        opening = int(before.get(account) or 0)
        inflows, outflows = during.get(account, (0, 0))
        accounts.append(
            CashflowAccountOut(
                account=CASH_NAMES[account],
                opening=opening,
                inflows=inflows,
                outflows=outflows,
                closing=opening + inflows - outflows,
            )
        )
    return CashflowOut(merchant_id=merchant_id, date_from=start, date_to=end, accounts=accounts)


def _tender(account: str) -> str:
    return account.rsplit(":", 1)[1]


def takings(
    session: Session, actor: Actor, merchant_id: str, start: date | None, end: date | None
) -> TakingsOut:
    """What customers paid, less refunds, by tender, store and hour (coupons are not takings)."""
    merchant_id = reader(session, actor, merchant_id)
    start, end = date_range(start, end)
    rows = session.execute(
        select(
            BookTotal.account,
            BookTotal.store_id,
            BookTotal.hour,
            func.sum(BookTotal.credit - BookTotal.debit),
        )
        .where(
            BookTotal.merchant_id == merchant_id,
            BookTotal.day >= start,
            BookTotal.day <= end,
            BookTotal.account.like("revenue:%"),
            BookTotal.account.not_in([c.COUPON_SALES, c.COUPON_REFUNDS]),
        )
        .group_by(BookTotal.account, BookTotal.store_id, BookTotal.hour)
    )
    tenders: dict[str, int] = defaultdict(int)
    stores: dict[str, int] = defaultdict(int)
    hours: dict[int, int] = defaultdict(int)
    for account, store_id, hour, amount in rows:
        tenders[_tender(account)] += int(amount)
        stores[store_id] += int(amount)
        hours[int(hour)] += int(amount)
    return TakingsOut(
        merchant_id=merchant_id,
        date_from=start,
        date_to=end,
        total=sum(tenders.values()),
        by_tender=[TenderTakings(tender=t, takings=v) for t, v in sorted(tenders.items())],
        by_store=[
            StoreTakings(store_id=s, store_name=_store_name(session, actor, s), takings=v)
            for s, v in sorted(stores.items())
        ],
        by_hour=[HourTakings(hour=h, takings=hours.get(h, 0)) for h in range(24)],
    )


def _store_name(session: Session, actor: Actor, store_id: str) -> str:
    if not store_id:
        return ""
    try:
        return merchants.get_store(session, actor, store_id).name
    except NotFound:
        return store_id


def _ratio(numerator: int, denominator: int, places: str) -> str | None:
    if denominator == 0:
        return None
    return str(
        (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), rounding=ROUND_HALF_EVEN)
    )


def returns(
    session: Session, actor: Actor, merchant_id: str, start: date | None, end: date | None
) -> ReturnsOut:
    merchant_id = reader(session, actor, merchant_id)
    start, end = date_range(start, end)
    sums = {
        account: (int(debit), int(credit))
        for account, debit, credit in session.execute(
            select(BookDayTotal.account, func.sum(BookDayTotal.debit), func.sum(BookDayTotal.credit))
            .where(
                BookDayTotal.merchant_id == merchant_id, BookDayTotal.day >= start, BookDayTotal.day <= end
            )
            .group_by(BookDayTotal.account)
        )
    }

    def net(account: str) -> int:
        debit, credit = sums.get(account, (0, 0))
        return debit - credit

    noncash = -sum(net(c.sales(t)) + net(c.refunds(t)) for t in c.TENDERS if t != "cash")
    fees, coupon_cost = net(c.FEES), net(c.COUPON_COST)
    coupon_value = -(net(c.COUPON_SALES) + net(c.COUPON_REFUNDS))
    orders = net(c.COUPON_ORDERS)
    return ReturnsOut(
        merchant_id=merchant_id,
        date_from=start,
        date_to=end,
        noncash_takings=noncash,
        fees=fees,
        fee_rate=_ratio(fees, noncash, "0.0001"),
        coupon_cost=coupon_cost,
        coupon_subsidies=coupon_value - coupon_cost,
        coupon_order_takings=orders,
        coupon_return=_ratio(orders - coupon_cost, coupon_cost, "0.01"),
    )
