"""Orders with their lines and applied payments; shifts with the movements of their cash drawer.

Other modules are referred to by public ids (``mer_…``, ``sto_…``, terminal ids, ``var_…``, user ids),
never by their tables. Amounts are integer fen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Order(Base):
    """What a customer buys at one store's terminal: open until paid in full, or cancelled."""

    __tablename__ = "cashier_orders"
    __table_args__ = (
        CheckConstraint("paid >= 0 AND paid <= total", name="paid_within_total"),
        CheckConstraint("refunded >= 0 AND refunded <= paid", name="refunded_within_paid"),
        # The store's order list, newest first, optionally of one day.
        Index("ix_cashier_orders_store_created", "store_id", "created_at"),
        # A store's paid orders of the last days: its popularity in the Life channel.
        Index("ix_cashier_orders_store_paid", "store_id", "paid_at"),
        # Every store's orders paid in a span of time: those that leave the popularity counts as the
        # month moves on (service.popularity). Only paid orders have a time, so only they are indexed.
        Index(
            "ix_cashier_orders_paid_at",
            "paid_at",
            postgresql_where=text("paid_at IS NOT NULL"),
            sqlite_where=text("paid_at IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    # Not indexed: no query reads orders by merchant (a store's are read by store), and an index
    # here was written at each order's insert and again at its payment.
    merchant_id: Mapped[str] = mapped_column(String(32))
    store_id: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str] = mapped_column(String(32))
    cashier_user_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    subtotal: Mapped[int] = mapped_column(BigInteger)
    discount: Mapped[int] = mapped_column(BigInteger)
    total: Mapped[int] = mapped_column(BigInteger)
    paid: Mapped[int] = mapped_column(BigInteger)
    refunded: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class OrderLine(Base):
    """A catalog variation at the price of the moment, or a free-amount line (no variation)."""

    __tablename__ = "cashier_order_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("returned_quantity >= 0 AND returned_quantity <= quantity", name="returned_within"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_pk: Mapped[int] = mapped_column(BigId, ForeignKey("cashier_orders.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    variation_id: Mapped[str | None] = mapped_column(String(32))
    sku: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    unit_price: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column(Integer)
    line_total: Mapped[int] = mapped_column(BigInteger)
    # Pieces given back to stock by refunds, so a line is never returned twice.
    returned_quantity: Mapped[int] = mapped_column(Integer)


class AppliedPayment(Base):
    """A payment (by the payments module's id) counted towards an order, so a retry counts once."""

    __tablename__ = "cashier_applied_payments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    order_pk: Mapped[int] = mapped_column(BigId, ForeignKey("cashier_orders.id"), index=True)
    payment_id: Mapped[str] = mapped_column(String(32), unique=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Shift(Base):
    """One cashier's stint at a terminal: the drawer starts with a float and is counted at the end."""

    __tablename__ = "cashier_shifts"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(32), index=True)
    store_id: Mapped[str] = mapped_column(String(32), index=True)
    terminal_id: Mapped[str] = mapped_column(String(32), index=True)
    # The terminal id while the shift is open, NULL once closed: the database itself keeps one open
    # shift per terminal, even against two concurrent opens (NULLs never collide in a unique index).
    open_terminal_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    cashier_user_id: Mapped[str] = mapped_column(String(32))
    opening_float: Mapped[int] = mapped_column(BigInteger)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(32))
    counted_cash: Mapped[int | None] = mapped_column(BigInteger)
    expected_cash: Mapped[int | None] = mapped_column(BigInteger)


class CashMovement(Base):
    """Cash into or out of a shift's drawer: a cash sale or refund, or money paid in or out."""

    __tablename__ = "cashier_cash_movements"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    shift_pk: Mapped[int] = mapped_column(BigId, ForeignKey("cashier_shifts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class PopularityMark(Base):
    """The time from which the stores' popularity counts hold paid orders (one row; none yet: from the
    beginning). ``finlife popularity roll`` moves it to a month ago and takes the orders paid before it
    out of the counts, in one transaction (service.popularity)."""

    __tablename__ = "cashier_popularity_marks"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    counted_since: Mapped[datetime] = mapped_column(UTCDateTime)
