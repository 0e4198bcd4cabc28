"""The credit-from-takings rule: what a merchant may borrow, at what rate and for how long, read from
the last 90 days of settled takings (what settlement paid into its settlement account).

- Window: the 90 days before today (Asia/Shanghai), today excluded (today is not settled yet).
- Eligible when takings were settled on at least 30 of those days (a shop that trades regularly),
  no earlier loan from takings is still being repaid, and the bank sells a merchant operating loan.
- Limit: 30 % of the window's settled takings (about a month of them), rounded down to whole
  100.00 CNY, at most the product's maximum and at most what one officer may approve alone (the
  offer is decided by the rule, so it never needs a second approval); below the product's minimum
  there is no offer.
- Rate: the product's rate, its reference rate (LPR) in force today plus its spread, fixed.
- Term: 12 months, equal instalments (等额本息), within the product's range of terms.
- The monthly income the loan's debt-to-income check sees is a third of the window's takings.

Pure arithmetic: the service reads the facts and calls ``decide``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

WINDOW_DAYS = 90
MIN_DAYS_WITH_TAKINGS = 30
LIMIT_SHARE = Decimal("0.30")
LIMIT_STEP = 100_00  # limits are whole hundreds of yuan
TERM_MONTHS = 12


class NoOfferReason(StrEnum):
    NO_TAKINGS = "no_takings"
    TOO_FEW_DAYS = "too_few_days"
    BELOW_MINIMUM = "below_minimum"
    LOAN_OUTSTANDING = "loan_outstanding"
    NO_PRODUCT = "no_product"


@dataclass(frozen=True)
class ProductTerms:
    """What the rule needs of the bank's merchant operating loan product."""

    product_id: str
    min_amount: int
    max_amount: int
    min_term_months: int
    max_term_months: int
    single_approval_limit: int | None  # above it a second officer must approve
    rate_bp: int  # reference rate in force today plus the spread


@dataclass(frozen=True)
class Decision:
    takings: int
    days_with_takings: int
    limit: int = 0
    term_months: int = TERM_MONTHS
    reason: NoOfferReason | None = None


def window(today: date) -> tuple[date, date]:
    """The first and last day whose settled takings count."""
    return today - timedelta(days=WINDOW_DAYS), today - timedelta(days=1)


def decide(daily_net: list[int], product: ProductTerms | None, *, loan_outstanding: bool) -> Decision:
    takings = sum(amount for amount in daily_net if amount > 0)
    days = sum(1 for amount in daily_net if amount > 0)
    if loan_outstanding:
        return Decision(takings, days, reason=NoOfferReason.LOAN_OUTSTANDING)
    if product is None:
        return Decision(takings, days, reason=NoOfferReason.NO_PRODUCT)
    if days == 0:
        return Decision(takings, days, reason=NoOfferReason.NO_TAKINGS)
    if days < MIN_DAYS_WITH_TAKINGS:
        return Decision(takings, days, reason=NoOfferReason.TOO_FEW_DAYS)
    share = (Decimal(takings) * LIMIT_SHARE / LIMIT_STEP).to_integral_value(rounding=ROUND_DOWN)
    limit = min(int(share) * LIMIT_STEP, product.max_amount)
    if product.single_approval_limit is not None:
        limit = min(limit, product.single_approval_limit)
    term = min(max(TERM_MONTHS, product.min_term_months), product.max_term_months)
    if limit < product.min_amount:
        return Decision(takings, days, limit=limit, term_months=term, reason=NoOfferReason.BELOW_MINIMUM)
    return Decision(takings, days, limit=limit, term_months=term)


def monthly_income(takings: int) -> int:
    """What the loan's debt-to-income check counts as the merchant's monthly income (at least 1 fen)."""
    return max(1, takings // 3)
