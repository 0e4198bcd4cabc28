"""The cashier's public face: the API, pages and the payments module call these functions."""

from finlife.cashier.service.orders import (
    calculate,
    calculate_for_order,
    cancel_order,
    get_order,
    list_orders,
    open_order,
    order_for_seller,
    order_query,
)
from finlife.cashier.service.popularity import (
    POPULARITY_DAYS,
    ROLL_LEASE,
    Ranked,
    most_popular,
    paid_order_counts,
    popularity_since,
    roll_popularity,
)
from finlife.cashier.service.receipts import (
    receipt,
    register_payment_source,
    render_receipt,
    unregister_payment_source,
)
from finlife.cashier.service.settlement import (
    LockedOrder,
    apply_new_payment,
    apply_payment,
    apply_refund,
    lock_open_order,
    lock_order_for_payment,
)
from finlife.cashier.service.shifts import (
    add_cash_movement,
    close_shift,
    current_shift,
    get_shift,
    open_shift,
    record_cash,
)

__all__ = [
    "POPULARITY_DAYS",
    "ROLL_LEASE",
    "LockedOrder",
    "Ranked",
    "add_cash_movement",
    "apply_new_payment",
    "apply_payment",
    "apply_refund",
    "calculate",
    "calculate_for_order",
    "cancel_order",
    "close_shift",
    "current_shift",
    "get_order",
    "get_shift",
    "list_orders",
    "lock_open_order",
    "lock_order_for_payment",
    "most_popular",
    "open_order",
    "open_shift",
    "order_for_seller",
    "order_query",
    "paid_order_counts",
    "popularity_since",
    "receipt",
    "record_cash",
    "register_payment_source",
    "render_receipt",
    "roll_popularity",
    "unregister_payment_source",
]
