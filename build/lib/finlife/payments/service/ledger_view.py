"""A merchant's takings and refunds over a time window, for settlement and the daily report.

Read-only: each approved payment with its accrued fee, and each refunded part with the tender it
went back to. Declined card attempts moved no money and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.payments.models import Payment, Refund, RefundPart
from finlife.payments.schemas import Method, PaymentStatus


@dataclass(frozen=True, slots=True)
class TakingFact:
    """One approved tender: cash is the merchant's own, every other method went to its pending account."""

    payment_id: str
    order_id: str | None
    store_id: str
    method: Method
    amount: int
    currency: str
    fee: int  # the accrued merchant fee (zero for cash)
    at: datetime


@dataclass(frozen=True, slots=True)
class RefundFact:
    """The part of a refund given back on one tender (cash from the drawer, others from pending)."""

    refund_id: str
    payment_id: str
    order_id: str
    method: Method
    amount: int
    at: datetime


@dataclass(frozen=True, slots=True)
class MerchantActivity:
    takings: list[TakingFact]
    refunds: list[RefundFact]


def merchant_activity(
    session: Session, merchant_id: str, *, since: datetime | None, until: datetime
) -> MerchantActivity:
    """The merchant's approved payments and refund parts made in [since, until), oldest first
    (``since`` None: from the first one)."""
    takings_stmt = select(Payment).where(
        Payment.merchant_id == merchant_id,
        Payment.status == PaymentStatus.APPROVED.value,
        Payment.created_at < until,
    )
    refunds_stmt = (
        select(RefundPart.amount, Refund.public_id, Refund.order_id, Refund.created_at, Payment)
        .join(Refund, Refund.id == RefundPart.refund_pk)
        .join(Payment, Payment.id == RefundPart.payment_pk)
        .where(Payment.merchant_id == merchant_id, Refund.created_at < until)
    )
    if since is not None:
        takings_stmt = takings_stmt.where(Payment.created_at >= since)
        refunds_stmt = refunds_stmt.where(Refund.created_at >= since)
    takings = [
        TakingFact(
            payment_id=payment.public_id,
            order_id=payment.order_id,
            store_id=payment.store_id,
            method=Method(payment.method),
            amount=payment.amount,
            currency=payment.currency,
            fee=payment.fee_amount,
            at=payment.created_at,
        )
        for payment in session.execute(takings_stmt.order_by(Payment.id)).scalars()
    ]
    refunds = [
        RefundFact(
            refund_id=refund_id,
            payment_id=payment.public_id,
            order_id=order_id,
            method=Method(payment.method),
            amount=amount,
            at=at,
        )
        for amount, refund_id, order_id, at, payment in session.execute(refunds_stmt.order_by(RefundPart.id))
    ]
    return MerchantActivity(takings=takings, refunds=refunds)


def merchants_with_takings(session: Session, *, until: datetime) -> list[str]:
    """Every merchant with an approved payment made before ``until`` (refunds need a payment first)."""
    stmt = (
        select(Payment.merchant_id)
        .where(Payment.status == PaymentStatus.APPROVED.value, Payment.created_at < until)
        .distinct()
        .order_by(Payment.merchant_id)
    )
    return list(session.execute(stmt).scalars())
