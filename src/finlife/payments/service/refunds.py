"""Refunds of a paid order, back to its original tenders, newest tender first.

Newest first (rather than proportionally) because it is what a cashier does by hand: the last
tender is given back first, and most refunds then touch a single tender, so a customer sees one
refund per payment method rather than fen-sized slivers on each. Cash comes out of the drawer of
the terminal's open shift and out of the merchant's cash ledger pair; a card, QR or payment-code
tender goes back to the customer's account from the merchant's pending-settlement account.

``cashier.apply_refund`` takes the order's row lock first and refuses more than was paid, so two
concurrent refunds queue on that lock and the second sees what the first took.

A cashier's refund above ``refund_approval_threshold`` needs the merchant owner's approval (403
refund_needs_approval): the cashier asks with a refund request (``payments.approvals``) and the money
moves when the owner approves it. The owner refunds any amount directly.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.accounts import service as accounts
from finlife.cashier import service as cashier
from finlife.cashier.schemas import CashKind, OrderOut
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update
from finlife.kit.ids import new_id
from finlife.merchants import service as merchants
from finlife.payments.errors import OffUsRefundUnsupported, RefundNeedsApproval
from finlife.payments.models import Payment, Refund, RefundPart
from finlife.payments.schemas import Method, PaymentStatus, RefundIn, RefundOut, RefundPartOut
from finlife.payments.service.cash import book_cash, open_shift_of
from finlife.payments.service.common import CURRENCY, pending_account, record_change, seller_order
from finlife.settings import Settings


def _split(payments: list[Payment], amount: int) -> list[tuple[Payment, int]]:
    """``amount`` over the payments, newest first, each up to what is left of it to refund."""
    parts = []
    left = amount
    for payment in payments:
        take = min(left, payment.amount - payment.refunded)
        if take > 0:
            parts.append((payment, take))
            left -= take
    # cashier.apply_refund has checked amount ≤ paid − refunded, and every paid fen is a payment here.
    assert left == 0, "order payments and payment rows disagree"
    return parts


def _give_back(
    session: Session,
    settings: Settings,
    actor: Actor,
    order: OrderOut,
    payment: Payment,
    amount: int,
    refund_id: str,
) -> str:
    """Return ``amount`` of one tender; the ledger entry id."""
    details = {"refund": refund_id, "payment": payment.public_id, "order": order.id}
    if payment.method == Method.CASH:
        shift = open_shift_of(session, order.terminal_id)
        cashier.record_cash(session, shift.id, kind=CashKind.REFUND, amount=amount)
        return book_cash(session, actor, order.merchant_id, amount, sale=False, details=details).id
    assert payment.account_id is not None  # every non-cash tender was debited from an account
    entry = accounts.refund(
        session,
        settings,
        actor,
        account_id=payment.account_id,
        amount=amount,
        currency=CURRENCY,
        source_ledger_account_id=pending_account(session, order.merchant_id),
        kind=f"{payment.method}_refund",
        memo=f"refund {order.id}",
        details={**details, "merchant": order.merchant_id},
        source_is_hot=True,
    )
    return entry.id


def needs_approval(session: Session, settings: Settings, actor: Actor, order: OrderOut, amount: int) -> bool:
    """Whether this refund waits for the owner: a cashier's (not the owner's) above the threshold."""
    if amount <= settings.refund_approval_threshold:
        return False
    access, _ = merchants.store_access(session, actor, order.store_id)
    return access.role != "owner"


def _approved_payments(session: Session, order_id: str, *, lock: bool) -> list[Payment]:
    stmt = (
        select(Payment)
        .where(Payment.order_id == order_id, Payment.status == PaymentStatus.APPROVED.value)
        .order_by(Payment.id.desc())
    )
    if lock:
        stmt = for_update(stmt).execution_options(populate_existing=True)
    return list(session.execute(stmt).scalars())


def refund_preview(session: Session, actor: Actor, order_id: str, amount: int) -> list[RefundPartOut]:
    """Where ``amount`` would go back (newest tender first), moving nothing: the review step shows it.
    An amount above what is refundable previews as much as there is; the refund itself refuses it."""
    order = seller_order(session, actor, order_id)
    amount = min(amount, order.paid - order.refunded)
    payments = _approved_payments(session, order.id, lock=False)
    return [
        RefundPartOut(payment_id=payment.public_id, method=Method(payment.method), amount=take)
        for payment, take in _split(payments, amount)
    ]


def refund_order(
    session: Session,
    settings: Settings,
    actor: Actor,
    order_id: str,
    body: RefundIn,
    *,
    approved_by: str | None = None,
) -> RefundOut:
    """Give back ``amount`` of a paid order (never more than paid less refunded: 422 refund_exceeds_paid)
    to its tenders, newest first; ``lines`` return goods to stock (see cashier.apply_refund).
    ``approved_by`` is the owner who approved a cashier's refund request (payments.approvals)."""
    asked = seller_order(session, actor, order_id)
    if approved_by is None and needs_approval(session, settings, actor, asked, body.amount):
        raise RefundNeedsApproval(settings.refund_approval_threshold)
    order = cashier.apply_refund(session, order_id, amount=body.amount, lines=body.lines, actor=actor)
    payments = _approved_payments(session, order.id, lock=True)
    refund = Refund(
        public_id=new_id("rfd"),
        order_id=order.id,
        amount=body.amount,
        reason=body.reason,
        user_id=actor.user_id,
        created_at=clock.now(),
    )
    session.add(refund)
    session.flush()
    split = _split(payments, body.amount)
    for payment, _ in split:
        if payment.method == Method.CARD and payment.account_id is None:  # another bank's card
            raise OffUsRefundUnsupported(payment.public_id)
    parts = []
    for payment, amount in split:
        entry_id = _give_back(session, settings, actor, order, payment, amount, refund.public_id)
        payment.refunded += amount
        session.add(RefundPart(refund_pk=refund.id, payment_pk=payment.id, amount=amount, entry_id=entry_id))
        parts.append(
            RefundPartOut(payment_id=payment.public_id, method=Method(payment.method), amount=amount)
        )
    session.flush()
    facts = {
        "order_id": order.id,
        "merchant_id": order.merchant_id,
        "store_id": order.store_id,
        "amount": body.amount,
        "reason": body.reason,
        "approved_by": approved_by,
        "parts": [part.model_dump(mode="json") for part in parts],
    }
    record_change(session, actor, "refund.completed", subject_id=refund.public_id, facts=facts)
    return RefundOut(
        id=refund.public_id,
        order_id=order.id,
        amount=body.amount,
        reason=body.reason,
        parts=parts,
        order_refunded=order.refunded,
        created_at=refund.created_at,
    )
