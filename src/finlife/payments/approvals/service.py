"""Refund requests: a cashier asks, the merchant's owner approves (the money moves then) or rejects.

Maker and checker are different people: the owner cannot approve a request of their own (they refund
directly anyway). A request is decided once under its row lock, so two approvals of one request make
one refund; the refund itself re-checks what is still refundable, so two requests that together
exceed the order are refused at the second approval (422 refund_exceeds_paid).
"""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.audit import service as audit
from finlife.cashier.errors import OrderNotPaid, RefundExceedsPaid, RefundExceedsQuantity
from finlife.cashier.schemas import OrderLineOut, OrderStatus, RefundLine
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update
from finlife.kit.errors import Conflict, Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.merchants import service as merchants
from finlife.payments.approvals.models import RefundRequest
from finlife.payments.approvals.schemas import RefundRequestIn, RefundRequestOut, RejectIn, RequestStatus
from finlife.payments.schemas import RefundIn, RefundOut
from finlife.payments.service.common import record_change, seller_order
from finlife.payments.service.refunds import refund_order
from finlife.settings import Settings


class RequestDecided(Conflict):
    def __init__(self, status: str) -> None:
        super().__init__("refund_request_decided", params={"status": status})


class OwnRequest(Forbidden):
    code = "refund_request_own"


def _out(row: RefundRequest, refund: RefundOut | None = None) -> RefundRequestOut:
    return RefundRequestOut(
        id=row.public_id,
        order_id=row.order_id,
        merchant_id=row.merchant_id,
        amount=row.amount,
        reason=row.reason,
        lines=row.lines,
        status=RequestStatus(row.status),
        requested_by=row.requested_by,
        decided_by=row.decided_by,
        decision_note=row.decision_note,
        created_at=row.created_at,
        decided_at=row.decided_at,
        refund=refund,
    )


def ask(session: Session, actor: Actor, order_id: str, body: RefundRequestIn) -> RefundRequestOut:
    """Record the cashier's request; nothing is refunded yet. What is asked must fit the order now
    (the approval checks again, since other refunds may come first)."""
    order = seller_order(session, actor, order_id)
    if order.status != OrderStatus.PAID:
        raise OrderNotPaid(order.status)
    fits(order.paid - order.refunded, order.lines, body)
    assert actor.user_id is not None  # sellers are signed-in users
    row = RefundRequest(
        public_id=new_id("rfq"),
        order_id=order.id,
        merchant_id=order.merchant_id,
        amount=body.amount,
        reason=body.reason,
        lines=[asdict(line) for line in body.lines or []],
        status=RequestStatus.AWAITING_APPROVAL.value,
        requested_by=actor.user_id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    facts = {"order_id": order.id, "amount": body.amount, "reason": body.reason}
    record_change(session, actor, "refund_request.created", subject_id=row.public_id, facts=facts)
    return _out(row)


def fits(refundable: int, order_lines: list[OrderLineOut], body: RefundIn) -> None:
    """The cashier's own checks (cashier.apply_refund), made early so a request that cannot be
    approved is refused when asked."""
    if body.amount > refundable:
        raise RefundExceedsPaid(refundable)
    left = {line.variation_id: line.quantity - line.returned_quantity for line in order_lines}
    for line in body.lines or []:
        if line.quantity > left.get(line.variation_id, 0):
            raise RefundExceedsQuantity(line.variation_id)


def _owned(session: Session, actor: Actor, request_id: str, *, lock: bool) -> RefundRequest:
    stmt = select(RefundRequest).where(RefundRequest.public_id == request_id)
    if lock:
        stmt = for_update(stmt).execution_options(populate_existing=True)
    row = session.execute(stmt).scalar_one_or_none()
    if row is None:
        raise NotFound("refund_request")
    try:
        access = merchants.merchant_access(session, actor, row.merchant_id)
    except NotFound as exc:  # another merchant's request does not exist for this actor
        raise NotFound("refund_request") from exc
    if access.role != "owner":
        raise Forbidden()
    return row


def _decidable(row: RefundRequest, actor: Actor) -> None:
    if row.status != RequestStatus.AWAITING_APPROVAL:
        raise RequestDecided(row.status)
    if row.requested_by == actor.user_id:
        raise OwnRequest()


def approve(session: Session, settings: Settings, actor: Actor, request_id: str) -> RefundRequestOut:
    """The owner approves: the refund is made now, as the request asked, in this transaction."""
    row = _owned(session, actor, request_id, lock=True)
    _decidable(row, actor)
    lines = [RefundLine(**line) for line in row.lines] or None
    body = RefundIn(amount=row.amount, reason=row.reason, lines=lines)
    refund = refund_order(session, settings, actor, row.order_id, body, approved_by=actor.user_id)
    row.status = RequestStatus.APPROVED.value
    row.decided_by = actor.user_id
    row.decided_at = clock.now()
    row.refund_id = refund.id
    audit.record(
        session,
        actor,
        "refund_request.approved",
        subject_type="refund_request",
        subject_id=row.public_id,
        details={"refund_id": refund.id, "amount": row.amount},
    )
    return _out(row, refund)


def reject(session: Session, actor: Actor, request_id: str, body: RejectIn) -> RefundRequestOut:
    row = _owned(session, actor, request_id, lock=True)
    _decidable(row, actor)
    row.status = RequestStatus.REJECTED.value
    row.decided_by = actor.user_id
    row.decision_note = body.reason
    row.decided_at = clock.now()
    audit.record(
        session,
        actor,
        "refund_request.rejected",
        subject_type="refund_request",
        subject_id=row.public_id,
        details={"reason": body.reason},
    )
    return _out(row)


def awaiting(
    session: Session, actor: Actor, merchant_id: str, *, status: RequestStatus | None
) -> list[RefundRequestOut]:
    """The merchant's requests (owner only), newest first; ``status`` narrows them."""
    access = merchants.merchant_access(session, actor, merchant_id)
    if access.role != "owner":
        raise Forbidden()
    stmt = select(RefundRequest).where(RefundRequest.merchant_id == merchant_id)
    if status is not None:
        stmt = stmt.where(RefundRequest.status == status.value)
    return [_out(row) for row in session.execute(stmt.order_by(RefundRequest.id.desc()).limit(200)).scalars()]


def pending_for_order(session: Session, order_id: str) -> int:
    """How many of the order's requests wait (the order page says so, to cashier and owner alike)."""
    stmt = select(RefundRequest.id).where(
        RefundRequest.order_id == order_id, RefundRequest.status == RequestStatus.AWAITING_APPROVAL.value
    )
    return len(session.execute(stmt).all())
