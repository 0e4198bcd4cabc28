"""Orders: priced from the catalog when opened, previewed without a trace, listed, cancelled.

An order is ``open`` until payments reach its total (``paid``) or it is cancelled with nothing paid
(``cancelled``); both are final. Prices are the catalog's at the moment the order is opened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from finlife.cashier.errors import (
    OrderHasPayments,
    OrderMismatch,
    OrderNotOpen,
    UnknownVariation,
    VariationArchived,
)
from finlife.cashier.models import Order, OrderLine
from finlife.cashier.schemas import (
    CatalogLineIn,
    LineIn,
    OrderDraftIn,
    OrderFacts,
    OrderIn,
    OrderLineOut,
    OrderOut,
    OrderPreviewOut,
    OrderStatus,
)
from finlife.cashier.service.common import (
    SELLERS,
    access_as,
    check_terminal,
    record_change,
    seller_access,
    user_of,
)
from finlife.catalog import service as catalog
from finlife.kit.auth import Actor
from finlife.kit.clock import clock
from finlife.kit.db import for_update, table_of
from finlife.kit.errors import Forbidden, NotFound
from finlife.kit.ids import new_id
from finlife.kit.pagination import Page, PageParams, paginate
from finlife.kit.pipeline import DriverSQL, Params, Rows, defer_insert, defer_sql, is_postgresql
from finlife.marketing import service as marketing
from finlife.marketing.schemas import Discount, PricedLine
from finlife.merchants import service as merchants


def price_lines(session: Session, merchant_id: str, lines: Sequence[LineIn]) -> list[OrderLineOut]:
    """Each line at the catalog's current price (variations of this merchant, not archived) or at
    its own amount (a free line, quantity one)."""
    wanted = [line.variation_id for line in lines if isinstance(line, CatalogLineIn)]
    facts = catalog.variation_facts(session, wanted)
    priced = []
    for index, line in enumerate(lines):
        if not isinstance(line, CatalogLineIn):
            priced.append(
                OrderLineOut(
                    variation_id=None,
                    sku=None,
                    name=line.name,
                    unit_price=line.amount,
                    quantity=1,
                    line_total=line.amount,
                )
            )
            continue
        fact = facts.get(line.variation_id)
        if fact is None or fact.merchant_id != merchant_id:
            raise UnknownVariation(index)
        name = f"{fact.item_name} {fact.name}"
        if fact.archived:
            raise VariationArchived(index, name)
        priced.append(
            OrderLineOut(
                variation_id=fact.id,
                sku=fact.sku,
                name=name,
                unit_price=fact.price,
                quantity=line.quantity,
                line_total=fact.price * line.quantity,
            )
        )
    return priced


def _coupon_facts(
    session: Session, merchant_id: str, store_id: str, lines: Sequence[OrderLineOut]
) -> marketing.OrderFacts:
    wanted = [line.variation_id for line in lines if line.variation_id]
    categories = {fact.id: fact.category for fact in catalog.variation_facts(session, wanted).values()}
    priced = [
        PricedLine(
            variation_id=line.variation_id,
            category=categories.get(line.variation_id) if line.variation_id else None,
            unit_price=line.unit_price,
            quantity=line.quantity,
            line_total=line.line_total,
        )
        for line in lines
    ]
    return marketing.OrderFacts(merchant_id=merchant_id, store_id=store_id, lines=priced)


def _preview(
    session: Session,
    merchant_id: str,
    store_id: str,
    terminal_id: str,
    body: OrderDraftIn,
    *,
    hold: tuple[Actor, str] | None = None,
) -> OrderPreviewOut:
    """Price the lines and the coupons; ``hold`` (the actor and the new order's id) holds the coupons
    and their budget for that order, otherwise nothing changes."""
    lines = price_lines(session, merchant_id, body.lines)
    subtotal = sum(line.line_total for line in lines)
    discount = Discount(uses=())
    if body.coupon_codes:
        facts = _coupon_facts(session, merchant_id, store_id, lines)
        if hold is None:
            discount = marketing.quote(session, facts, body.coupon_codes)
        else:
            discount = marketing.hold_for_order(session, hold[0], hold[1], facts, body.coupon_codes)
    return OrderPreviewOut(
        store_id=store_id,
        terminal_id=terminal_id,
        lines=lines,
        subtotal=subtotal,
        discount=discount.total,
        total=subtotal - discount.total,
    )


def calculate(session: Session, actor: Actor, body: OrderIn) -> OrderPreviewOut:
    """What opening an order with this body would cost, checked the same way; nothing is stored."""
    access, store = seller_access(session, actor, body.store_id)
    check_terminal(session, store.id, body.terminal_id)
    return _preview(session, access.merchant_id, store.id, body.terminal_id, body)


def calculate_for_order(session: Session, actor: Actor, order_id: str, body: OrderDraftIn) -> OrderPreviewOut:
    """Totals of other lines at an open order's store and terminal; the order itself is unchanged."""
    order = visible_order(session, actor, order_id, sell=True)
    if order.status != OrderStatus.OPEN:
        raise OrderNotOpen(order.status)
    if body.store_id is not None and body.store_id != order.store_id:
        raise OrderMismatch("store_id")
    if body.terminal_id is not None and body.terminal_id != order.terminal_id:
        raise OrderMismatch("terminal_id")
    return _preview(session, order.merchant_id, order.store_id, order.terminal_id, body)


def open_order(session: Session, actor: Actor, body: OrderIn) -> OrderOut:
    """Open an order at a store's terminal (its owner or one of its cashiers), priced by the service."""
    access, store = seller_access(session, actor, body.store_id)
    check_terminal(session, store.id, body.terminal_id)
    order_id = new_id("ord")
    preview = _preview(session, access.merchant_id, store.id, body.terminal_id, body, hold=(actor, order_id))
    order = Order(
        public_id=order_id,
        merchant_id=access.merchant_id,
        store_id=store.id,
        terminal_id=body.terminal_id,
        cashier_user_id=user_of(actor),
        status=OrderStatus.OPEN,
        subtotal=preview.subtotal,
        discount=preview.discount,
        total=preview.total,
        paid=0,
        refunded=0,
        created_at=clock.now(),
    )
    if is_postgresql(session):
        rows = _queue_order(session, order, preview.lines)
    else:
        session.add(order)
        session.flush()
        rows = [
            OrderLine(
                order_pk=order.id,
                position=position,
                returned_quantity=0,
                **line.model_dump(exclude={"returned_quantity"}),
            )
            for position, line in enumerate(preview.lines)
        ]
        # Nothing reads the lines back in this unit of work: they go out with its other writes
        # (kit.pipeline), not through a flush of their own.
        for row in rows:
            defer_insert(session, _LINES, {column: getattr(row, column) for column in _LINE_COLUMNS})
    facts = {
        "store_id": store.id,
        "terminal_id": order.terminal_id,
        "total": order.total,
        "discount": order.discount,
        "lines": len(rows),
    }
    record_change(
        session, actor, "order.opened", subject_type="order", subject_id=order.public_id, facts=facts
    )
    return order_out(order, rows)


def _queue_order(session: Session, order: Order, lines: Sequence[OrderLineOut]) -> list[OrderLine]:
    """PostgreSQL: the order and its lines queued with the unit of work's other writes (sent with
    its COMMIT, or before any later statement reads them), instead of an ORM flush of the order
    alone to learn its id: each line finds the order by its public id. Nothing in the unit of work
    needs the row id (the answer and the events name the order by its public id). The order stays
    outside the session; the lines returned are what was queued."""
    values = {column: getattr(order, column) for column in _ORDER_INSERT_COLUMNS}
    values["status"] = str(order.status)
    defer_sql(session, DriverSQL(_INSERT_ORDER_SQL, values, what="an order opened"))
    rows = []
    for position, line in enumerate(lines):
        row = OrderLine(
            position=position, returned_quantity=0, **line.model_dump(exclude={"returned_quantity"})
        )
        params = {column: getattr(row, column) for column in _LINE_COLUMNS if column != "order_pk"}
        defer_sql(
            session, DriverSQL(_INSERT_LINE_SQL, params | {"order": order.public_id}, what="an order line")
        )
        rows.append(row)
    return rows


_LINES = table_of(OrderLine)
_LINE_COLUMNS = tuple(column.key for column in _LINES.columns if column.key != "id")
# Column names from the models, no input: built once, sent by the driver.
_ORDER_INSERT_COLUMNS = tuple(column.key for column in table_of(Order).columns if column.key != "id")
_INSERT_ORDER_SQL = (
    f"INSERT INTO cashier_orders ({', '.join(_ORDER_INSERT_COLUMNS)})"  # noqa: S608
    f" VALUES ({', '.join(f'%({c})s' for c in _ORDER_INSERT_COLUMNS)})"
)
_LINE_VALUES = tuple(c for c in _LINE_COLUMNS if c != "order_pk")
_INSERT_LINE_SQL = (
    f"INSERT INTO cashier_order_lines (order_pk, {', '.join(_LINE_VALUES)})"  # noqa: S608
    f" SELECT id, {', '.join(f'%({c})s' for c in _LINE_VALUES)}"
    " FROM cashier_orders WHERE public_id = %(order)s"
)


def lines_of(session: Session, order_pks: Sequence[int]) -> dict[int, list[OrderLine]]:
    by_order: dict[int, list[OrderLine]] = {pk: [] for pk in order_pks}
    if order_pks:
        for line in session.execute(_LINES_OF, {"orders": list(order_pks)}).scalars():
            by_order[line.order_pk].append(line)
    return by_order


# Statements of every checkout and card payment, built once with bound parameters: SQLAlchemy keys a
# statement object once, where one built per call was keyed on every call (py-spy, bench/interbank.py).
_LINES_OF = (
    select(OrderLine)
    .where(OrderLine.order_pk.in_(bindparam("orders", expanding=True)))
    .order_by(OrderLine.order_pk, OrderLine.position)
)
_ORDER = select(Order).where(Order.public_id == bindparam("order"))
_ORDER_LOCKED = for_update(_ORDER).execution_options(populate_existing=True)


# The same reads by the driver, for callers that send them with others in one round trip
# (``kit.pipeline.fetch_together``); column names from the model, no input.
ORDER_COLUMNS = tuple(column.key for column in table_of(Order).columns)
LINE_COLUMNS = tuple(column.key for column in _LINES.columns)
_ORDER_SQL = f"SELECT {', '.join(ORDER_COLUMNS)} FROM cashier_orders WHERE public_id = %(order)s"  # noqa: S608


def order_query(order_id: str) -> tuple[str, Params]:
    """PostgreSQL: the order's row (``order_snapshot``), for ``order_for_seller``'s ``found``."""
    return _ORDER_SQL, {"order": order_id}


def order_snapshot(row: Sequence[Any]) -> Order:
    """An order row read by the driver, as an ``Order`` outside the session (nothing flushes it)."""
    order = Order(**dict(zip(ORDER_COLUMNS, row, strict=True)))
    order.created_at = order.created_at.astimezone(UTC)  # as ``UTCDateTime`` reads it
    return order


def order_out(order: Order, lines: Sequence[OrderLine]) -> OrderOut:
    return OrderOut(
        id=order.public_id,
        status=OrderStatus(order.status),
        merchant_id=order.merchant_id,
        store_id=order.store_id,
        terminal_id=order.terminal_id,
        cashier=order.cashier_user_id,
        lines=[
            OrderLineOut(
                variation_id=line.variation_id,
                sku=line.sku,
                name=line.name,
                unit_price=line.unit_price,
                quantity=line.quantity,
                line_total=line.line_total,
                returned_quantity=line.returned_quantity,
            )
            for line in lines
        ],
        subtotal=order.subtotal,
        discount=order.discount,
        total=order.total,
        paid=order.paid,
        refunded=order.refunded,
        created_at=order.created_at,
        paid_at=order.paid_at,
        cancelled_at=order.cancelled_at,
    )


def full_out(session: Session, order: Order) -> OrderOut:
    return order_out(order, lines_of(session, [order.id])[order.id])


def load_order(session: Session, order_id: str, *, lock: bool = False) -> Order:
    """The order row; ``lock`` takes its row lock and re-reads it (whatever this session saw before)."""
    stmt = _ORDER_LOCKED if lock else _ORDER
    order: Order | None = session.execute(stmt, {"order": order_id}).scalar_one_or_none()
    if order is None:
        raise NotFound("order")
    return order


def visible_order(
    session: Session, actor: Actor, order_id: str, *, sell: bool = False, lock: bool = False
) -> Order:
    """The order if the actor may see it (``sell``: work on it); outsiders get NotFound("order")."""
    order = load_order(session, order_id)
    access_as(session, actor, order.store_id, "order", sell=sell)
    return load_order(session, order_id, lock=True) if lock else order


def order_for_seller(
    session: Session, actor: Actor, order_id: str, *, found: Rows | None = None
) -> OrderFacts:
    """The order's figures (no lines) if the actor sells at its store (owner or the store's cashier);
    NotFound("order") to outsiders, 403 to bank staff, who read orders but take no money. One access
    check and one read of the order, for a payment's QR code. ``found``: the rows of ``order_query``,
    when the caller sent it together with its own reads (PostgreSQL)."""
    if found is None:
        order = load_order(session, order_id)
    elif not found:
        raise NotFound("order")
    else:
        order = order_snapshot(found[0])
    access, _ = access_as(session, actor, order.store_id, "order", sell=False)
    if access.role not in SELLERS:
        raise Forbidden()
    return facts_of(order)


def facts_of(order: Order) -> OrderFacts:
    """The order's figures, without its lines."""
    return OrderFacts(
        id=order.public_id,
        status=OrderStatus(order.status),
        merchant_id=order.merchant_id,
        store_id=order.store_id,
        terminal_id=order.terminal_id,
        total=order.total,
        paid=order.paid,
    )


def get_order(session: Session, actor: Actor, order_id: str) -> OrderOut:
    """One order with its lines, for its store's sellers and for bank staff."""
    return full_out(session, visible_order(session, actor, order_id))


def _business_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=clock.business_zone).astimezone(UTC)
    return start, start + timedelta(days=1)


def list_orders(
    session: Session,
    actor: Actor,
    store_id: str,
    params: PageParams,
    *,
    status: OrderStatus | None = None,
    day: date | None = None,
) -> Page[OrderOut]:
    """A store's orders, newest first; ``day`` is a business day (Asia/Shanghai)."""
    merchants.store_access(session, actor, store_id)
    stmt = select(Order).where(Order.store_id == store_id)
    if status is not None:
        stmt = stmt.where(Order.status == status)
    if day is not None:
        start, end = _business_day_bounds(day)
        stmt = stmt.where(Order.created_at >= start, Order.created_at < end)
    rows, has_more = paginate(
        session, stmt, id_column=Order.id, public_id_column=Order.public_id, params=params
    )
    lines = lines_of(session, [order.id for order in rows])
    return Page[OrderOut](data=[order_out(order, lines[order.id]) for order in rows], has_more=has_more)


def cancel_order(session: Session, actor: Actor, order_id: str) -> OrderOut:
    """Cancel an open order on which nothing was paid (409 order_has_payments otherwise)."""
    order = visible_order(session, actor, order_id, sell=True, lock=True)
    if order.paid > 0:
        raise OrderHasPayments()
    if order.status != OrderStatus.OPEN:
        raise OrderNotOpen(order.status)
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = clock.now()
    if order.discount:
        marketing.release_order(session, actor, order.public_id)
    session.flush()
    facts = {"store_id": order.store_id, "total": order.total}
    record_change(
        session, actor, "order.cancelled", subject_type="order", subject_id=order.public_id, facts=facts
    )
    return full_out(session, order)
