"""What every payments service needs: who may take money on an order, the merchant's accounts,
the shape of a payment row in and out, and the record of each change (audit and outbox)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.cashier import service as cashier
from finlife.cashier.schemas import OrderOut
from finlife.kit import outbox
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import table_of
from finlife.kit.errors import Forbidden
from finlife.kit.pipeline import defer_insert
from finlife.merchants import service as merchants
from finlife.merchants.errors import MerchantNotActive
from finlife.merchants.schemas import MerchantFacts, MerchantStatus
from finlife.payments.models import Payment
from finlife.payments.schemas import FeeOut, Method, PaymentOut, PaymentStatus, TenderOut

CURRENCY = "CNY"  # merchants settle in CNY (see merchants' pending-settlement account)
SELLERS = frozenset({"owner", "cashier"})


def seller_order(session: Session, actor: Actor, order_id: str) -> OrderOut:
    """The order, if the actor sells at its store (owner or the store's cashier); 404 to outsiders,
    403 to bank staff (they read orders but take no money)."""
    order = cashier.get_order(session, actor, order_id)
    access, _ = merchants.store_access(session, actor, order.store_id)
    if access.role not in SELLERS:
        raise Forbidden()
    return order


def active_merchant(session: Session, merchant_id: str) -> MerchantFacts:
    """The merchant's facts; money is taken only for an approved merchant with a pending account."""
    facts = merchants.merchant_facts(session, merchant_id)
    if facts.status is not MerchantStatus.ACTIVE or facts.pending_ledger_account_id is None:
        raise MerchantNotActive()
    return facts


def pending_account(session: Session, merchant_id: str) -> str:
    """The merchant's pending-settlement ledger account: every non-cash tender is credited there."""
    pending = active_merchant(session, merchant_id).pending_ledger_account_id
    assert pending is not None  # active_merchant refused a merchant without one
    return pending


def new_payment(
    payment_id: str,
    actor: Actor,
    *,
    method: Method,
    amount: int,
    merchant_id: str,
    store_id: str,
    order_id: str | None,
    terminal_id: str | None,
    status: PaymentStatus = PaymentStatus.APPROVED,
    **fields: Any,
) -> Payment:
    """A payment row with no fee and nothing refunded; ``fields`` fill the method's own columns."""
    values: dict[str, Any] = {
        "fee_amount": 0,
        "fee_issuer": 0,
        "fee_network": 0,
        "fee_acquirer": 0,
        "refunded": 0,
    } | fields
    return Payment(
        public_id=payment_id,
        order_id=order_id,
        merchant_id=merchant_id,
        store_id=store_id,
        terminal_id=terminal_id,
        method=method.value,
        status=status.value,
        amount=amount,
        currency=CURRENCY,
        user_id=actor.user_id,
        created_at=clock.now(),
        **values,
    )


def masked_card(payment: Payment) -> str | None:
    """6219 **** **** 1234: the card's first four and last four digits, as printed on slips."""
    if payment.card_first6 is None or payment.card_last4 is None:
        return None
    return f"{payment.card_first6[:4]} **** **** {payment.card_last4}"


def payment_out(payment: Payment) -> PaymentOut:
    return PaymentOut(
        id=payment.public_id,
        order_id=payment.order_id,
        merchant_id=payment.merchant_id,
        store_id=payment.store_id,
        method=Method(payment.method),
        qr_kind=payment.qr_kind,
        status=PaymentStatus(payment.status),
        amount=payment.amount,
        currency=payment.currency,
        tendered=payment.tendered,
        change=payment.change,
        card=masked_card(payment),
        entry_mode=payment.entry_mode,
        response_code=payment.response_code,
        refunded=payment.refunded,
        fee=FeeOut(
            issuer=payment.fee_issuer,
            network=payment.fee_network,
            acquirer=payment.fee_acquirer,
            total=payment.fee_amount,
        ),
        created_at=payment.created_at,
    )


def tender_out(payment: Payment, order: OrderOut | None) -> TenderOut:
    return TenderOut(
        **payment_out(payment).model_dump(),
        order_status=None if order is None else order.status.value,
        order_paid=None if order is None else order.paid,
        order_outstanding=None if order is None else order.total - order.paid,
    )


def record_payment(session: Session, actor: Actor, payment: Payment) -> None:
    """Store the payment and record it: audit and outbox ``payment.approved`` or ``payment.declined``.

    The row is append-only here (a refund reads it in a later unit of work), so it is queued with
    the unit of work's other writes (``kit.pipeline``) rather than flushed on its own; a read of
    payments later in the same unit of work writes the queue first. ``payment`` stays transient."""
    defer_insert(session, _PAYMENTS, {column: getattr(payment, column) for column in _PAYMENT_COLUMNS})
    facts = {
        "order_id": payment.order_id,
        "merchant_id": payment.merchant_id,
        "store_id": payment.store_id,
        "method": payment.method,
        "amount": payment.amount,
        "currency": payment.currency,
        "card": masked_card(payment),
        "response_code": payment.response_code,
        "entry_id": payment.entry_id,
        "fee": payment.fee_amount,
    }
    record_change(session, actor, f"payment.{payment.status}", subject_id=payment.public_id, facts=facts)


_PAYMENTS = table_of(Payment)
_PAYMENT_COLUMNS = tuple(column.key for column in _PAYMENTS.columns if column.key != "id")


def record_change(
    session: Session, actor: Actor, event: str, *, subject_id: str, facts: dict[str, Any]
) -> None:
    """Audit event and outbox event of one change, in the change's transaction (masked data only)."""
    subject_type = event.split(".", 1)[0]
    audit.record(session, actor, event, subject_type=subject_type, subject_id=subject_id, details=facts)
    outbox.publish(session, event, {f"{subject_type}_id": subject_id, **facts}, channel=actor.channel.value)
