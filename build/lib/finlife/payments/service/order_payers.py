"""Who paid an order from their own account, where and when (reviews trust only these); read-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.payments.models import Payment
from finlife.payments.schemas import Method, PaymentStatus

# Tenders drawn on a customer's account; cash names nobody.
ACCOUNT_METHODS = (Method.CARD, Method.QR_MERCHANT, Method.PAYMENT_CODE)


@dataclass(frozen=True)
class OrderPayment:
    store_id: str
    customer_id: str | None
    method: str
    paid_at: datetime


def order_payments(session: Session, order_id: str) -> list[OrderPayment]:
    """The approved payments on an order, oldest first (customer_id is None for cash)."""
    rows = session.execute(
        select(Payment)
        .where(Payment.order_id == order_id, Payment.status == PaymentStatus.APPROVED)
        .order_by(Payment.id)
    ).scalars()
    return [
        OrderPayment(
            store_id=row.store_id,
            customer_id=row.customer_id if row.method in ACCOUNT_METHODS else None,
            method=row.method,
            paid_at=row.created_at,
        )
        for row in rows
    ]
