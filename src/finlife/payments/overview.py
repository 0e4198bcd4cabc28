"""Today's takings on the merchant home: takings, orders, average ticket, against the same weekday.

The comparison is like for like: today so far against the same weekday a week ago up to the same
time of day, so a morning is not measured against a whole day. Takings are the approved tenders less
the refunds given in the window; orders are the orders paid in it (a static-QR payment, which has no
order, counts as one). Only those who may read the merchant's money see it (the owner, not a cashier).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from markupsafe import Markup
from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.i18n import register
from finlife.kit.permissions import Capability, may
from finlife.payments.models import Payment, Refund, RefundPart
from finlife.payments.overview_messages import MESSAGES
from finlife.payments.schemas import PaymentStatus
from finlife.web.render import render_fragment

register(MESSAGES)


@dataclass(frozen=True)
class Takings:
    takings: int
    orders: int

    @property
    def average_ticket(self) -> int:
        return self.takings // self.orders if self.orders else 0


def takings_between(session: Session, merchant_id: str, start: datetime, end: datetime) -> Takings:
    approved = (Payment.merchant_id == merchant_id, Payment.status == PaymentStatus.APPROVED.value)
    window = (Payment.created_at >= start, Payment.created_at < end)
    taken, orders, orderless = session.execute(
        select(
            func.coalesce(func.sum(Payment.amount), 0),
            func.count(distinct(Payment.order_id)),
            func.count(Payment.id).filter(Payment.order_id.is_(None)),
        ).where(*approved, *window)
    ).one()
    refunded = session.execute(
        select(func.coalesce(func.sum(RefundPart.amount), 0))
        .join(Payment, Payment.id == RefundPart.payment_pk)
        .join(Refund, Refund.id == RefundPart.refund_pk)
        .where(Payment.merchant_id == merchant_id, Refund.created_at >= start, Refund.created_at < end)
    ).scalar_one()
    return Takings(takings=int(taken) - int(refunded), orders=int(orders) + int(orderless))


def change(now: int, before: int) -> int | None:
    """Percent change, rounded; None when there is nothing to compare with."""
    return round((now - before) * 100 / before) if before else None


def takings_section(request: Request, session: Session, actor: Actor, merchant_id: str) -> Markup | None:
    if not may(actor, Capability.MERCHANT_BOOKS):
        return None
    now = clock.now()
    local = now.astimezone(clock.business_zone)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    today = takings_between(session, merchant_id, start, now)
    week_ago = takings_between(session, merchant_id, start - timedelta(days=7), now - timedelta(days=7))
    return render_fragment(
        request,
        "payments/home_takings.html",
        today=today,
        week_ago=week_ago,
        takings_change=change(today.takings, week_ago.takings),
        orders_change=change(today.orders, week_ago.orders),
        ticket_change=change(today.average_ticket, week_ago.average_ticket),
        weekday=(local - timedelta(days=7)).isoweekday(),
    )
