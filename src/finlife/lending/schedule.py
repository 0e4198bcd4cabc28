"""Repayment schedules, computed exactly in ``Decimal`` and booked in fen.

Interest of a period is the balance × the monthly rate (the annual rate / 12), rounded half up to the
fen, so the figures match the ones banks publish (1,000,000.00 over 360 months at 4.90 %, 等额本息:
5,307.27 a month). The principal of every instalment but the last is what the method says; the last
takes whatever balance is left, so the principal always sums to the amount exactly and the balance
ends at zero. Dates are not part of the figures: they are set from the disbursement day
(``due_dates``), so the schedule shown before signing is the one booked.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from enum import StrEnum

FEN = Decimal(1)
BP = Decimal(10000)


class Method(StrEnum):
    EQUAL_INSTALMENT = "equal_instalment"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金


@dataclass(frozen=True, slots=True)
class Line:
    n: int
    principal: int  # fen
    interest: int  # fen

    @property
    def total(self) -> int:
        return self.principal + self.interest


def monthly_rate(annual_rate_bp: int) -> Decimal:
    return Decimal(annual_rate_bp) / BP / 12


def _fen(value: Decimal) -> int:
    return int(value.quantize(FEN, rounding=ROUND_HALF_UP))


def instalment_amount(amount: int, months: int, annual_rate_bp: int) -> int:
    """The constant monthly payment of 等额本息, in fen: P·r·(1+r)^n / ((1+r)^n − 1)."""
    r = monthly_rate(annual_rate_bp)
    if r == 0:
        return _fen(Decimal(amount) / months)
    growth = (1 + r) ** months
    return _fen(Decimal(amount) * r * growth / (growth - 1))


def schedule(
    amount: int,
    months: int,
    annual_rate_bp: int,
    method: Method,
    *,
    first_period: Decimal = Decimal(1),
    start: int = 1,
    payment: int | None = None,
) -> list[Line]:
    """The instalments of ``amount`` fen over ``months``.

    ``first_period`` is the share of a month the first period's interest covers (after a prepayment
    part way through a period); ``start`` numbers the first line; ``payment`` fixes the 等额本息
    payment (or, for 等额本金, the monthly principal) instead of deriving it from ``months``, which is
    how a prepayment that shortens the term keeps the payment: the lines then run until the balance
    is paid, ``months`` being only an upper bound.
    """
    if amount <= 0 or months <= 0:
        raise ValueError("amount and months must be positive")
    r = monthly_rate(annual_rate_bp)
    if method is Method.EQUAL_INSTALMENT:
        level = payment if payment is not None else instalment_amount(amount, months, annual_rate_bp)
    else:
        level = payment if payment is not None else _fen(Decimal(amount) / months)
    balance = amount
    lines: list[Line] = []
    for i in range(months):
        share = first_period if i == 0 else Decimal(1)
        interest = _fen(Decimal(balance) * r * share)
        principal = level - interest if method is Method.EQUAL_INSTALMENT else level
        # Only a fixed payment ends early; otherwise the term is kept and the last line takes the rest.
        if i == months - 1 or principal >= balance:
            principal = balance
        principal = max(principal, 0)
        lines.append(Line(start + i, principal, interest))
        balance -= principal
        if balance == 0:
            break
    return lines


def months_to_repay(amount: int, annual_rate_bp: int, method: Method, payment: int) -> int:
    """How many months a fixed ``payment`` (principal, for 等额本金) takes to repay ``amount``."""
    if method is Method.EQUAL_PRINCIPAL:
        return int((Decimal(amount) / payment).to_integral_value(rounding=ROUND_CEILING))
    balance, months = amount, 0
    r = monthly_rate(annual_rate_bp)
    while balance > 0:
        months += 1
        principal = payment - _fen(Decimal(balance) * r)
        if principal <= 0:
            raise ValueError("the payment does not cover the interest")
        balance -= min(principal, balance)
    return months


def add_months(start: date, months: int) -> date:
    """The same day of the month ``months`` later, or that month's last day (31 Jan → 29 Feb 2028)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def due_dates(value_date: date, count: int, *, first: int = 1) -> list[date]:
    """Due dates of instalments ``first`` … ``first + count − 1`` of a loan paid out on ``value_date``."""
    return [add_months(value_date, n) for n in range(first, first + count)]
