"""An order's payments, for its store's people and bank staff, and for the cashier's receipts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.cashier import service as cashier
from finlife.cashier.schemas import PaymentSummary
from finlife.kit.auth import Actor
from finlife.payments.models import Payment
from finlife.payments.schemas import PaymentOut, PaymentStatus
from finlife.payments.service.common import masked_card, payment_out

# Receipts label tenders by these words (see the cashier's receipt.method.* messages).
RECEIPT_METHODS = {"qr_merchant": "qr"}


def _of_order(session: Session, order_id: str) -> list[Payment]:
    stmt = select(Payment).where(Payment.order_id == order_id).order_by(Payment.id)
    return list(session.execute(stmt).scalars())


def list_payments(session: Session, actor: Actor, order_id: str) -> list[PaymentOut]:
    """Every tender tried on the order, oldest first, declined card attempts included (cards masked)."""
    order = cashier.get_order(session, actor, order_id)
    return [payment_out(payment) for payment in _of_order(session, order.id)]


def payment_summaries(session: Session, order_id: str) -> list[PaymentSummary]:
    """The order's approved tenders as a receipt prints them (registered with the cashier's receipts)."""
    return [
        PaymentSummary(
            method=RECEIPT_METHODS.get(payment.method, payment.method),
            amount=payment.amount,
            detail=masked_card(payment),
            change=payment.change or 0,
        )
        for payment in _of_order(session, order_id)
        if payment.status == PaymentStatus.APPROVED
    ]


def declined_payments(
    session: Session, account_ids: Sequence[str], *, since: datetime, limit: int = 20
) -> list[PaymentOut]:
    """Card payments refused on these accounts since ``since``, newest first (cards masked): what the
    service centre explains to a customer whose payment failed. A declined attempt names the card's
    account, not yet its customer, so it is found by account."""
    if not account_ids:
        return []
    stmt = (
        select(Payment)
        .where(
            Payment.account_id.in_(list(account_ids)),
            Payment.status == PaymentStatus.DECLINED.value,
            Payment.created_at >= since,
        )
        .order_by(Payment.id.desc())
        .limit(limit)
    )
    return [payment_out(payment) for payment in session.execute(stmt).scalars()]
