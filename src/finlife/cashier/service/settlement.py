"""What the payments module does to an order: lock it, count a payment towards it, refund from it.

Each call runs inside the payment's own unit of work and holds the order's row lock (``for_update``):
two payments on one order queue, and the second sees what the first did. Reaching the total marks the
order paid and takes its goods from stock, once; a refund may give goods back, never more than sold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from finlife.cashier.errors import (
    InvalidAmount,
    OrderNotOpen,
    OrderNotPaid,
    Overpayment,
    PaymentAlreadyApplied,
    RefundExceedsPaid,
    RefundExceedsQuantity,
)
from finlife.cashier.models import AppliedPayment, Order, OrderLine
from finlife.cashier.schemas import OrderFacts, OrderOut, OrderStatus, RefundLine
from finlife.cashier.service.common import record_change
from finlife.cashier.service.orders import (
    LINE_COLUMNS,
    ORDER_COLUMNS,
    facts_of,
    full_out,
    lines_of,
    load_order,
    order_out,
    order_snapshot,
    visible_order,
)
from finlife.cashier.service.popularity import count_paid_order
from finlife.catalog import service as catalog
from finlife.catalog.schemas import StockLine
from finlife.kit.auth import Actor, Channel
from finlife.kit.clock import clock
from finlife.kit.db import table_of
from finlife.kit.errors import NotFound
from finlife.kit.pipeline import (
    DriverSQL,
    Params,
    Rows,
    defer_insert,
    defer_sql,
    fetch_together,
    is_postgresql,
)
from finlife.marketing import service as marketing

_APPLIED = table_of(AppliedPayment)


def lock_order_for_payment(session: Session, actor: Actor, order_id: str) -> OrderOut:
    """Lock an open order for a payment by one of its store's sellers.

    404 outside the actor's stores (403 for bank staff, who do not sell), 409 order_not_open when the
    order is already paid or cancelled. The lock lasts until the payment's transaction ends.
    """
    order = visible_order(session, actor, order_id, sell=True, lock=True)
    if order.status != OrderStatus.OPEN:
        raise OrderNotOpen(order.status)
    return full_out(session, order)


@dataclass(frozen=True, slots=True)
class LockedOrder:
    """An open order this unit of work has locked (``lock_open_order``): its figures, and its row for
    ``apply_new_payment``, which counts a payment towards it without reading it again. On PostgreSQL
    the row is a snapshot read by the driver (not in the session) with its ``lines``, and ``also``
    holds the rows of the caller's queries sent in the same round trip."""

    facts: OrderFacts
    row: Order
    lines: list[OrderLine] | None = None
    also: list[Rows] = field(default_factory=list)


def lock_open_order(
    session: Session, order_id: str, *, also: Sequence[tuple[str, Params]] = ()
) -> LockedOrder:
    """Lock an open order for a payment whose seller this request has already checked
    (``order_for_seller``, as another bank's card is before its issuer is asked): one locked read,
    no lines and no second access check. 409 order_not_open when it was paid or cancelled meanwhile.
    The lock lasts until the payment's transaction ends.

    On PostgreSQL the locked row, the order's lines and ``also`` (the caller's own queries, run
    after the order's lock, in order) go out in one round trip (``kit.pipeline.fetch_together``)
    instead of three; an open order's lines never change, so reading them with the lock is safe."""
    if not is_postgresql(session):
        if also:
            raise TypeError("queries sent with the order's lock are driver-level SQL: PostgreSQL only")
        order = load_order(session, order_id, lock=True)
        if order.status != OrderStatus.OPEN:
            raise OrderNotOpen(order.status)
        return LockedOrder(facts_of(order), order)
    found, lines, *rest = fetch_together(
        session, (_ORDER_LOCKED_SQL, {"order": order_id}), (_LINES_SQL, {"order": order_id}), *also
    )
    if not found:
        raise NotFound("order")
    order = order_snapshot(found[0])
    if order.status != OrderStatus.OPEN:
        raise OrderNotOpen(order.status)
    rows = [OrderLine(**dict(zip(LINE_COLUMNS, line, strict=True))) for line in lines]
    return LockedOrder(facts_of(order), order, rows, rest)


# Column names from the models, no input: built once, sent by the driver (``lock_open_order``).
_ORDER_LOCKED_SQL = (
    f"SELECT {', '.join(ORDER_COLUMNS)} FROM cashier_orders WHERE public_id = %(order)s FOR UPDATE"  # noqa: S608
)
_LINES_SQL = (
    f"SELECT {', '.join('l.' + c for c in LINE_COLUMNS)} FROM cashier_order_lines l"  # noqa: S608
    " JOIN cashier_orders o ON o.id = l.order_pk WHERE o.public_id = %(order)s ORDER BY l.position"
)
_PAID_SQL = (
    "UPDATE cashier_orders SET paid = %(paid)s, status = %(status)s, paid_at = %(paid_at)s WHERE id = %(id)s"
)


def _on_behalf(actor: Actor | None) -> Actor:
    # The payments module passes the paying cashier; finlife itself otherwise (e.g. a settled webhook).
    return actor or Actor.system(Channel.POS)


def apply_payment(
    session: Session, order_id: str, *, amount: int, payment_id: str, actor: Actor | None = None
) -> OrderOut:
    """Count a payment towards an open order; the payment that reaches the total marks it paid.

    ``paid`` never passes ``total`` (422 overpayment). On reaching the total the order becomes
    ``paid`` with ``paid_at`` and its catalog lines are taken from stock (422 out_of_stock refuses the
    whole payment). Applying the same ``payment_id`` again changes nothing and returns the order.
    """
    if amount <= 0:
        raise InvalidAmount()
    order = load_order(session, order_id, lock=True)
    applied = session.execute(
        select(AppliedPayment.order_pk, AppliedPayment.amount).where(AppliedPayment.payment_id == payment_id)
    ).one_or_none()
    if applied is not None:
        if applied.order_pk != order.id or applied.amount != amount:
            raise PaymentAlreadyApplied()
        return full_out(session, order)
    return _count(session, order, amount=amount, payment_id=payment_id, actor=actor)


def apply_new_payment(
    session: Session, locked: LockedOrder, *, amount: int, payment_id: str, actor: Actor | None = None
) -> OrderOut:
    """``apply_payment`` for a payment made in this unit of work (so never applied before) to an order
    ``lock_open_order`` locked in it: neither the order nor the payment's application is read again."""
    if amount <= 0:
        raise InvalidAmount()
    return _count(session, locked.row, amount=amount, payment_id=payment_id, actor=actor, lines=locked.lines)


def _count(
    session: Session,
    order: Order,
    *,
    amount: int,
    payment_id: str,
    actor: Actor | None,
    lines: list[OrderLine] | None = None,
) -> OrderOut:
    """Count the payment towards the locked order (``apply_payment``'s rules, after its checks).
    ``order`` is in the session (written by its flush) or a snapshot ``lock_open_order`` read with
    its ``lines`` on PostgreSQL (written by one UPDATE queued with the unit of work's writes)."""
    if order.status != OrderStatus.OPEN:
        raise OrderNotOpen(order.status)
    outstanding = order.total - order.paid
    if amount > outstanding:
        raise Overpayment(outstanding)
    now = clock.now()
    order.paid += amount
    if lines is None:
        lines = lines_of(session, [order.id])[order.id]
    if order.paid == order.total:
        order.status = OrderStatus.PAID
        order.paid_at = now
        count_paid_order(session, order.store_id)  # its store's popularity, in this transaction
        catalog.take_stock(session, _stock_lines(lines))
        if order.discount:
            marketing.redeem_order(
                session, _on_behalf(actor), order.public_id, merchant_id=order.merchant_id, paid=order.paid
            )
        facts = {"store_id": order.store_id, "total": order.total, "payment_id": payment_id}
        record_change(
            session,
            _on_behalf(actor),
            "order.paid",
            subject_type="order",
            subject_id=order.public_id,
            facts=facts,
        )
    # Append-only: queued with the unit of work's writes (kit.pipeline), last, so that it travels
    # with the next round trip that has to be made anyway; a later read of it in the same unit of
    # work (the check above, for the same payment id) writes the queue first.
    applied_row = {"order_pk": order.id, "payment_id": payment_id, "amount": amount, "applied_at": now}
    defer_insert(session, _APPLIED, applied_row)
    if inspect(order).transient:  # the row is locked: its new figures go out before any later read
        paid = {"id": order.id, "paid": order.paid, "status": str(order.status), "paid_at": order.paid_at}
        defer_sql(session, DriverSQL(_PAID_SQL, paid, what="a payment counted towards an order"))
    session.flush()
    return order_out(order, lines)  # the lines read above: paying changes none of them


def _stock_lines(lines: Sequence[OrderLine]) -> list[StockLine]:
    return [
        StockLine(variation_id=line.variation_id, quantity=line.quantity - line.returned_quantity)
        for line in lines
        if line.variation_id is not None and line.quantity > line.returned_quantity
    ]


def _give_back(lines: Sequence[OrderLine], wanted: Sequence[RefundLine]) -> list[StockLine]:
    """Mark the wanted pieces returned, line by line; more than is left of a variation is refused."""
    asked: dict[str, int] = {}
    for refund in wanted:
        asked[refund.variation_id] = asked.get(refund.variation_id, 0) + refund.quantity
    for variation_id, quantity in asked.items():
        left = quantity
        for line in lines:
            if line.variation_id == variation_id and left > 0:
                taken = min(left, line.quantity - line.returned_quantity)
                line.returned_quantity += taken
                left -= taken
        if left > 0:
            raise RefundExceedsQuantity(variation_id)
    return [StockLine(variation_id=v, quantity=q) for v, q in asked.items()]


def apply_refund(
    session: Session,
    order_id: str,
    *,
    amount: int,
    lines: list[RefundLine] | None,
    actor: Actor | None = None,
) -> OrderOut:
    """Count a refund against a paid order and give the refunded goods back to stock.

    ``refunded`` never passes ``paid`` (422 refund_exceeds_paid). ``lines`` names the pieces returned
    (422 refund_exceeds_quantity beyond what was sold and not yet returned); without lines, the refund
    that makes the order fully refunded returns every piece still out, a partial one returns none.
    """
    if amount <= 0:
        raise InvalidAmount()
    order: Order = load_order(session, order_id, lock=True)
    if order.status != OrderStatus.PAID:
        raise OrderNotPaid(order.status)
    refundable = order.paid - order.refunded
    if amount > refundable:
        raise RefundExceedsPaid(refundable)
    order_lines = lines_of(session, [order.id])[order.id]
    if lines:
        returned = _give_back(order_lines, lines)
    elif amount == refundable:
        returned = _stock_lines(order_lines)
        for line in order_lines:
            line.returned_quantity = line.quantity
    else:
        returned = []
    catalog.return_stock(session, returned)
    order.refunded += amount
    if order.discount:
        marketing.refund_order(
            session,
            _on_behalf(actor),
            order.public_id,
            merchant_id=order.merchant_id,
            refunded_before=order.refunded - amount,
            refunded_after=order.refunded,
        )
    session.flush()
    facts = {
        "store_id": order.store_id,
        "amount": amount,
        "refunded": order.refunded,
        "returned": [{"variation_id": s.variation_id, "quantity": s.quantity} for s in returned],
    }
    record_change(
        session,
        _on_behalf(actor),
        "order.refunded",
        subject_type="order",
        subject_id=order.public_id,
        facts=facts,
    )
    return full_out(session, order)
