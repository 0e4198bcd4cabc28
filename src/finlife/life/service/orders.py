"""The customer's own orders ("我的订单"): every payment they made from an account, newest first, each
with its store by name and where it stands for a review. "待评价" are the paid orders not reviewed yet
and still within the review window, one line per order (an order paid in two tenders is one visit).

A review starts from one of these lines (or a payment's result page): the customer never types an id.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.errors import NotFound
from finlife.life.models import Review
from finlife.life.schemas import MyOrderOut, ReviewState
from finlife.life.service.reviews import REVIEW_WINDOW_DAYS
from finlife.merchants import service as merchants
from finlife.payments import service as payments


def _lines(session: Session, paid: list[payments.CustomerPayment]) -> list[MyOrderOut]:
    order_ids = [p.order_id for p in paid if p.order_id is not None]
    ratings: dict[str, int] = {}
    if order_ids:
        rows = session.execute(select(Review.order_id, Review.rating).where(Review.order_id.in_(order_ids)))
        ratings = {order_id: rating for order_id, rating in rows}
    stores = {s.id: s for s in merchants.stores_for_discovery(session, sorted({p.store_id for p in paid}))}
    opens_after = clock.now() - timedelta(days=REVIEW_WINDOW_DAYS)
    lines = []
    for p in paid:
        store = stores.get(p.store_id)
        if p.order_id is None:
            state = ReviewState.NONE
        elif p.order_id in ratings:
            state = ReviewState.REVIEWED
        elif p.paid_at < opens_after:
            state = ReviewState.CLOSED
        else:
            state = ReviewState.TO_REVIEW
        lines.append(
            MyOrderOut(
                payment_id=p.id,
                order_id=p.order_id,
                store_id=p.store_id,
                store_name=store.name if store else "",
                merchant_name=store.merchant_name if store else "",
                method=p.method,
                amount=p.amount,
                refunded=p.refunded,
                account_id=p.account_id,
                paid_at=p.paid_at,
                review=state,
                rating=ratings.get(p.order_id) if p.order_id else None,
            )
        )
    return lines


def my_orders(session: Session, actor: Actor, *, to_review: bool = False) -> list[MyOrderOut]:
    """The signed-in customer's payments, newest first; with ``to_review`` only the orders they may
    still review, once each."""
    if actor.customer_id is None:
        return []
    lines = _lines(session, payments.customer_payments(session, actor.customer_id))
    if not to_review:
        return lines
    seen: set[str | None] = set()
    waiting = []
    for line in lines:
        if line.review is ReviewState.TO_REVIEW and line.order_id not in seen:
            seen.add(line.order_id)
            waiting.append(line)
    return waiting


def my_order(session: Session, actor: Actor, payment_id: str) -> MyOrderOut:
    """One of the customer's payments (404 for anyone else's or an unknown one)."""
    if actor.customer_id is None:
        raise NotFound("payment")
    return _lines(session, [payments.customer_payment(session, actor.customer_id, payment_id)])[0]
