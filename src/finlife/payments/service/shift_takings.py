"""Every tender of a shift, not only the drawer's cash: what the shift's report adds up per method.

A shift is one terminal between its opening and its close, so the report counts the approved
payments taken on that terminal in that window and the refunds given back on them in the same
window (a refund of an earlier shift's sale is counted in the shift that gave the money back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.payments.models import Payment, Refund, RefundPart
from finlife.payments.schemas import PaymentStatus


@dataclass(frozen=True)
class TenderTakings:
    method: str  # cash | card | qr_merchant | payment_code
    count: int
    amount: int
    refunded: int

    @property
    def net(self) -> int:
        return self.amount - self.refunded


def shift_takings(
    session: Session, terminal_id: str, opened_at: datetime, closed_at: datetime | None
) -> list[TenderTakings]:
    """Per method (cash first, then by amount taken): payments taken and refunds given in the shift."""
    taken_stmt = (
        select(Payment.method, func.count(Payment.id), func.coalesce(func.sum(Payment.amount), 0))
        .where(
            Payment.terminal_id == terminal_id,
            Payment.status == PaymentStatus.APPROVED.value,
            Payment.created_at >= opened_at,
        )
        .group_by(Payment.method)
    )
    refunded_stmt = (
        select(Payment.method, func.coalesce(func.sum(RefundPart.amount), 0))
        .join(RefundPart, RefundPart.payment_pk == Payment.id)
        .join(Refund, Refund.id == RefundPart.refund_pk)
        .where(Payment.terminal_id == terminal_id, Refund.created_at >= opened_at)
        .group_by(Payment.method)
    )
    if closed_at is not None:
        taken_stmt = taken_stmt.where(Payment.created_at <= closed_at)
        refunded_stmt = refunded_stmt.where(Refund.created_at <= closed_at)
    taken = {method: (count, amount) for method, count, amount in session.execute(taken_stmt)}
    refunded = {method: amount for method, amount in session.execute(refunded_stmt)}
    rows = [
        TenderTakings(method, *taken.get(method, (0, 0)), refunded=int(refunded.get(method, 0)))
        for method in taken.keys() | refunded.keys()
    ]
    return sorted(rows, key=lambda row: (row.method != "cash", -row.amount))
