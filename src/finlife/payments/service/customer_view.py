"""What a customer paid from their own accounts (card, QR, payment code), for their order list and
the result page of a payment; read-only. Cash names nobody, so it is never here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.merchants import service as merchants
from finlife.payments.models import Payment, PaymentCode
from finlife.payments.schemas import Method, PaymentStatus
from finlife.payments.service.order_payers import ACCOUNT_METHODS

# A customer's list shows their latest payments; older ones stay on their statements.
CUSTOMER_PAYMENTS_SHOWN = 100


@dataclass(frozen=True)
class CustomerPayment:
    id: str  # pay_…: the reference the customer quotes to the bank
    order_id: str | None  # None for a static QR code's typed amount: nothing to review
    merchant_id: str
    store_id: str
    method: str
    amount: int
    refunded: int
    account_id: str | None
    paid_at: datetime


def _out(row: Payment) -> CustomerPayment:
    return CustomerPayment(
        id=row.public_id,
        order_id=row.order_id,
        merchant_id=row.merchant_id,
        store_id=row.store_id,
        method=row.method,
        amount=row.amount,
        refunded=row.refunded,
        account_id=row.account_id,
        paid_at=row.created_at,
    )


def _theirs(customer_id: str) -> list[object]:
    return [
        Payment.customer_id == customer_id,
        Payment.status == PaymentStatus.APPROVED,
        Payment.method.in_([str(method) for method in ACCOUNT_METHODS]),
    ]


def customer_payments(session: Session, customer_id: str) -> list[CustomerPayment]:
    """The customer's approved payments from their accounts, newest first."""
    stmt = (
        select(Payment)
        .where(*_theirs(customer_id))  # type: ignore[arg-type]
        .order_by(Payment.created_at.desc(), Payment.id.desc())
        .limit(CUSTOMER_PAYMENTS_SHOWN)
    )
    return [_out(row) for row in session.execute(stmt).scalars()]


def customer_payment(session: Session, customer_id: str, payment_id: str) -> CustomerPayment:
    """One of the customer's payments; 404 for anyone else's (whose existence is not told)."""
    stmt = select(Payment).where(Payment.public_id == payment_id, *_theirs(customer_id))  # type: ignore[arg-type]
    row = session.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NotFound("payment")
    return _out(row)


def payee_names(session: Session, payment_ids: list[str]) -> dict[str, str]:
    """The store each payment was made at, by name (a statement's lines name whom the customer paid)."""
    if not payment_ids:
        return {}
    rows = session.execute(
        select(Payment.public_id, Payment.store_id).where(Payment.public_id.in_(payment_ids))
    ).all()
    stores = {
        s.id: s.name for s in merchants.stores_for_discovery(session, sorted({r.store_id for r in rows}))
    }
    return {public_id: stores.get(store_id, "") for public_id, store_id in rows}


@dataclass(frozen=True)
class CodeState:
    status: str  # waiting | used | expired
    payment_id: str | None  # once used: the payment it made (its result page)


def payment_code_state(session: Session, customer_id: str, code_id: str) -> CodeState:
    """Whether the customer's payment code is still waiting for a cashier, was taken (and by which
    payment), or ran out; someone else's code is 404."""
    code = session.execute(
        select(PaymentCode).where(PaymentCode.public_id == code_id, PaymentCode.customer_id == customer_id)
    ).scalar_one_or_none()
    if code is None:
        raise NotFound("payment_code")
    if code.used_at is None:
        return CodeState("expired" if code.expires_at <= clock.now() else "waiting", None)
    # A code pays once, from its account: the first code payment of that account since it was used.
    payment_id = session.execute(
        select(Payment.public_id)
        .where(
            Payment.account_id == code.account_id,
            Payment.method == Method.PAYMENT_CODE.value,
            Payment.created_at >= code.used_at,
        )
        .order_by(Payment.id)
        .limit(1)
    ).scalar_one_or_none()
    return CodeState("used", payment_id)
