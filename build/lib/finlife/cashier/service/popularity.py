"""How busy stores are: paid orders counted per store (Life channel popularity); read-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.cashier.models import Order
from finlife.cashier.schemas import OrderStatus


def paid_order_counts(session: Session, *, since: datetime) -> dict[str, int]:
    """Orders paid in full at or after ``since``, counted per store id."""
    rows = session.execute(
        select(Order.store_id, func.count())
        .where(Order.status == OrderStatus.PAID, Order.paid_at >= since)
        .group_by(Order.store_id)
    ).all()
    return {store_id: count for store_id, count in rows}
