"""What customers spent, store by store: the rows the 360 view's preferences are computed from."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.payments.models import Payment

APPROVED = "approved"


@dataclass(frozen=True, slots=True)
class Spend:
    customer_id: str
    store_id: str
    amount: int  # fen, net of what was refunded
    method: str  # card | qr_merchant | payment_code (a customer's cash is not known to be theirs)
    at: datetime


def customer_spending(
    session: Session, since: datetime, customer_ids: Collection[str] | None = None
) -> Iterator[Spend]:
    """Every approved payment of a known customer since ``since`` (of the given customers only)."""
    stmt = select(
        Payment.customer_id,
        Payment.store_id,
        Payment.amount - Payment.refunded,
        Payment.method,
        Payment.created_at,
    ).where(Payment.status == APPROVED, Payment.customer_id.is_not(None), Payment.created_at >= since)
    if customer_ids is not None:
        stmt = stmt.where(Payment.customer_id.in_(list(customer_ids)))
    for customer_id, store_id, amount, method, at in session.execute(stmt.execution_options(yield_per=5000)):
        if customer_id is not None:  # the query asks for known customers only
            yield Spend(customer_id, store_id, amount, method, at)
