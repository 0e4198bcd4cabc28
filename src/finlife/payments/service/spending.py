"""What customers spent, store by store and hour by hour: the sums the 360 view's preferences are
computed from, added up by the database (a refresh over every customer reads sums, not payments)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Integer, case, cast, func, select
from sqlalchemy.orm import Session

from finlife.payments.models import Payment

APPROVED = "approved"
BUSINESS_ZONE = "Asia/Shanghai"  # no daylight saving: SQLite's fixed "+8 hours" is the same clock


@dataclass(frozen=True, slots=True)
class StoreSpend:
    """One customer's approved payments at one store since the window's start (fen, net of refunds)."""

    customer_id: str
    store_id: str
    payments: int
    spend: int  # the whole window
    spend_recent: int  # from ``recent`` on
    spend_before: int  # from ``before`` until ``recent``
    last_at: datetime


def _approved(since: datetime, customer_ids: Collection[str] | None) -> list[ColumnElement[bool]]:
    """Approved payments of known customers since ``since`` (of the given customers only)."""
    conditions = [Payment.status == APPROVED, Payment.customer_id.is_not(None), Payment.created_at >= since]
    if customer_ids is not None:
        conditions.append(Payment.customer_id.in_(list(customer_ids)))
    return conditions


def spending_by_store(
    session: Session,
    *,
    since: datetime,
    recent: datetime,
    before: datetime,
    customer_ids: Collection[str] | None = None,
) -> list[StoreSpend]:
    """Each customer's spending at each store since ``since``, with the parts from ``recent`` on and
    from ``before`` until ``recent`` (of the given customers only)."""
    net = Payment.amount - Payment.refunded
    stmt = select(
        Payment.customer_id,
        Payment.store_id,
        func.count(),
        func.sum(net),
        func.sum(case((Payment.created_at >= recent, net), else_=0)),
        func.sum(case(((Payment.created_at >= before) & (Payment.created_at < recent), net), else_=0)),
        func.max(Payment.created_at),
    ).group_by(Payment.customer_id, Payment.store_id)
    rows = session.execute(stmt.where(*_approved(since, customer_ids)))
    return [
        StoreSpend(customer_id, store_id, count, int(spend), int(recent_part), int(before_part), last_at)
        for customer_id, store_id, count, spend, recent_part, before_part, last_at in rows
        if customer_id is not None
    ]


def _local_hour(session: Session) -> ColumnElement[int]:
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("hour", func.timezone(BUSINESS_ZONE, Payment.created_at)), Integer)
    return cast(func.strftime("%H", Payment.created_at, "+8 hours"), Integer)


def payment_hours(
    session: Session, *, since: datetime, customer_ids: Collection[str] | None = None
) -> list[tuple[str, int, int]]:
    """(customer, hour of the day in Shanghai, payments) since ``since``."""
    hour = _local_hour(session).label("hour")
    stmt = select(Payment.customer_id, hour, func.count()).group_by(Payment.customer_id, hour)
    rows = session.execute(stmt.where(*_approved(since, customer_ids)))
    return [(customer_id, int(h), count) for customer_id, h, count in rows if customer_id is not None]


def paid_before(session: Session, customer_id: str, merchant_ids: Collection[str] | None) -> bool:
    """Whether the customer has an approved payment at any of these merchants (None: at any store),
    refunded or not: marketing's test of a new customer (``marketing.register_purchase_history``)."""
    conditions = [Payment.customer_id == customer_id, Payment.status == APPROVED]
    if merchant_ids is not None:
        conditions.append(Payment.merchant_id.in_(list(merchant_ids)))
    return session.execute(select(Payment.id).where(*conditions).limit(1)).first() is not None
