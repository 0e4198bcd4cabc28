"""How busy stores are: paid orders counted per store (Life channel popularity); read-only."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from finlife.cashier.models import Order
from finlife.cashier.schemas import OrderStatus

# Above this many stores one pass over the period's orders is cheaper than sending their ids.
MANY_STORES = 1_000


def paid_order_counts(session: Session, *, since: datetime, store_ids: Collection[str]) -> dict[str, int]:
    """Orders of ``store_ids`` paid in full at or after ``since``, counted per store id.

    A few stores (a radius, a page of results, one store's page) are counted on the (store, paid at)
    index, so the cost follows those stores' orders, not every order of the period; for many stores
    one grouped pass is cheaper than thousands of ids."""
    if not store_ids:
        return {}
    stmt = (
        select(Order.store_id, func.count())
        .where(Order.status == OrderStatus.PAID, Order.paid_at >= since)
        .group_by(Order.store_id)
    )
    if len(store_ids) <= MANY_STORES:
        stmt = stmt.where(Order.store_id.in_(sorted(store_ids)))
    wanted = set(store_ids)
    return {store_id: count for store_id, count in session.execute(stmt) if store_id in wanted}
