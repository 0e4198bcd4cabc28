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


@dataclass(frozen=True)
class Visit:
    """One paid visit: a customer paid at a store from their own account (what recommendations learn)."""

    customer_id: str
    store_id: str
    paid_at: datetime


def customer_visits(session: Session) -> list[Visit]:
    """Every approved payment drawn on a customer's account, oldest first (cash names nobody)."""
    rows = session.execute(
        select(Payment.customer_id, Payment.store_id, Payment.created_at)
        .where(
            Payment.status == PaymentStatus.APPROVED,
            Payment.method.in_([method.value for method in ACCOUNT_METHODS]),
            Payment.customer_id.is_not(None),
        )
        .order_by(Payment.created_at, Payment.id)
    ).all()
    return [Visit(customer_id, store_id, paid_at) for customer_id, store_id, paid_at in rows if customer_id]
