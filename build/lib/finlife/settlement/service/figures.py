"""A business day's figures from the payments module's facts: totals per tender, cash apart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from finlife.kit.clock import clock
from finlife.payments import service as payments
from finlife.payments.schemas import Method
from finlife.settlement.schemas import TenderTotals

# Statements and reports list tenders in this order.
METHOD_ORDER = [Method.CASH, Method.CARD, Method.QR_MERCHANT, Method.PAYMENT_CODE]


@dataclass
class DayFigures:
    takings: list[payments.TakingFact] = field(default_factory=list)
    refund_parts: list[payments.RefundFact] = field(default_factory=list)

    def tenders(self) -> list[TenderTotals]:
        """Count, gross, refunds and fees of every tender used (or refunded) that day."""
        totals: dict[Method, TenderTotals] = {}

        def line(method: Method) -> TenderTotals:
            return totals.setdefault(
                method, TenderTotals(method=method.value, count=0, gross=0, refunds=0, fees=0)
            )

        for taking in self.takings:
            found = line(taking.method)
            found.count += 1
            found.gross += taking.amount
            found.fees += taking.fee
        for part in self.refund_parts:
            line(part.method).refunds += part.amount
        return [totals[method] for method in METHOD_ORDER if method in totals]

    @property
    def gross(self) -> int:
        """Non-cash takings: what went into the pending-settlement account."""
        return sum(t.amount for t in self.takings if t.method is not Method.CASH)

    @property
    def refunds(self) -> int:
        return sum(r.amount for r in self.refund_parts if r.method is not Method.CASH)

    @property
    def fees(self) -> int:
        return sum(t.fee for t in self.takings)

    @property
    def cash_gross(self) -> int:
        return sum(t.amount for t in self.takings if t.method is Method.CASH)

    @property
    def cash_refunds(self) -> int:
        return sum(r.amount for r in self.refund_parts if r.method is Method.CASH)


def by_business_day(activity: payments.MerchantActivity) -> dict[date, DayFigures]:
    """The activity split into business days (Asia/Shanghai), in date order."""
    days: dict[date, DayFigures] = defaultdict(DayFigures)
    for taking in activity.takings:
        days[clock.business_day(taking.at)].takings.append(taking)
    for part in activity.refunds:
        days[clock.business_day(part.at)].refund_parts.append(part)
    return dict(sorted(days.items()))
