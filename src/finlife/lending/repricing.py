"""Repricing floating-rate loans on their product's repricing date (run-day does it).

A floating contract's rate is the reference rate (LPR, dated values) in force on the repricing date
plus the spread fixed at signing; a fixed one (``repricing = fixed``) never changes. The dates:
``january_first`` each 1 January, ``anniversary`` each anniversary of the value date (an anniversary
is always a due date, as due dates are whole months from the value date). Both only after the value
date.

What changes is the schedule of the periods that start on or after the repricing date: the current
period, if it began before, keeps the interest it has been accruing. Their principal is rescheduled
over the same number of months at the new rate (``schedule``, in ``Decimal``), so the principal
still sums exactly to what was left and the last instalment absorbs the rounding. An instalment with
anything paid on it (a prepayment on the day) keeps its figures.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.db import table_of
from finlife.lending.events import emit
from finlife.lending.models import Instalment, LoanProduct, ReferenceRate
from finlife.lending.schedule import Method, add_months, schedule
from finlife.lending.schemas import Repricing

if TYPE_CHECKING:
    from finlife.lending.servicing_day import Due, LoanState

_instalments = table_of(Instalment)


@dataclass(frozen=True, slots=True)
class ProductPricing:
    repricing: str
    reference_rate: str


@dataclass
class Pricing:
    """The products' repricing rules and the published rates, read once for a run."""

    products: dict[int, ProductPricing]
    rates: dict[str, list[tuple[date, int]]] = field(default_factory=dict)

    def rate_on(self, name: str, day: date) -> int | None:
        history = self.rates.get(name, [])
        at = bisect.bisect_right(history, (day, 2**31))
        return history[at - 1][1] if at else None


def read_pricing(session: Session) -> Pricing:
    products = {
        pk: ProductPricing(rule, reference)
        for pk, rule, reference in session.execute(
            select(LoanProduct.id, LoanProduct.repricing, LoanProduct.reference_rate)
        ).all()
    }
    pricing = Pricing(products)
    for name, effective_from, rate_bp in session.execute(
        select(ReferenceRate.name, ReferenceRate.effective_from, ReferenceRate.rate_bp).order_by(
            ReferenceRate.name, ReferenceRate.effective_from
        )
    ).all():
        pricing.rates.setdefault(name, []).append((effective_from, rate_bp))
    return pricing


def is_repricing_date(rule: str, value_date: date, day: date) -> bool:
    if day <= value_date:
        return False
    if rule == Repricing.JANUARY_FIRST.value:
        return day.month == 1 and day.day == 1
    if rule == Repricing.ANNIVERSARY.value:
        years = day.year - value_date.year
        return years >= 1 and add_months(value_date, 12 * years) == day
    return False


def reprice(
    session: Session, actor: Actor, pricing: Pricing, loan: LoanState, rows: list[Due], day: date
) -> None:
    """Reprice the loan if ``day`` is its repricing date and the rate it gives differs; ``rows`` (the
    instalments run-day holds) are brought up to date with the new figures."""
    product = pricing.products.get(loan.product_pk)
    if product is None or loan.value_date is None:
        return
    if not is_repricing_date(product.repricing, loan.value_date, day):
        return
    reference = pricing.rate_on(product.reference_rate, day)
    if reference is None or reference + loan.spread_bp == loan.rate_bp:
        return
    new_rate = reference + loan.spread_bp
    remaining = session.execute(
        select(_instalments.c.id, _instalments.c.n, _instalments.c.principal)
        .where(
            _instalments.c.loan_pk == loan.pk,
            _instalments.c.period_start >= day,
            _instalments.c.status == "scheduled",
            _instalments.c.paid_principal == 0,
            _instalments.c.paid_interest == 0,
        )
        .order_by(_instalments.c.n)
    ).all()
    old_rate, loan.rate_bp = loan.rate_bp, new_rate
    if remaining:
        balance = sum(int(r.principal) for r in remaining)
        lines = schedule(balance, len(remaining), new_rate, Method(loan.method), start=int(remaining[0].n))
        figures = {line.n: line for line in lines}
        session.execute(
            update(_instalments)
            .where(_instalments.c.id == bindparam("b_id"))
            .values(principal=bindparam("b_principal"), interest=bindparam("b_interest")),
            [
                {"b_id": r.id, "b_principal": figures[r.n].principal, "b_interest": figures[r.n].interest}
                for r in remaining
                if r.n in figures
            ],
        )
        # A schedule that repays the balance early leaves no line for the months after it.
        gone = [r.id for r in remaining if r.n not in figures]
        if gone:
            session.execute(delete(_instalments).where(_instalments.c.id.in_(gone)))
        rows[:] = [r for r in rows if r.pk not in gone]
        for row in rows:
            if row.n in figures and any(r.id == row.pk for r in remaining):
                row.principal, row.interest = figures[row.n].principal, figures[row.n].interest
    emit(
        session,
        actor,
        loan,
        "loan.repriced",
        old_rate_bp=old_rate,
        rate_bp=new_rate,
        effective=day.isoformat(),
    )
