"""Payments (one per tender), refunds split over them, one-use QR and payment codes, QR day usage.

Other modules are referred to by public ids (orders, stores, merchants, accounts, ledger entries),
never by their tables. Amounts are integer fen. No PAN, PIN, expiry or payment code is stored in
clear: a card payment keeps the card's id and first six / last four digits, a payment code its HMAC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Payment(Base):
    """One tender: approved (money booked, counted towards the order) or a declined card attempt."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("refunded >= 0 AND refunded <= amount", name="refunded_within_amount"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    # NULL for a static QR payment: the customer paid the store a typed amount, without an order.
    order_id: Mapped[str | None] = mapped_column(String(32), index=True)
    merchant_id: Mapped[str] = mapped_column(String(32), index=True)
    store_id: Mapped[str] = mapped_column(String(32))
    terminal_id: Mapped[str | None] = mapped_column(String(32))
    method: Mapped[str] = mapped_column(String(16))  # cash | card | qr_merchant | payment_code
    qr_kind: Mapped[str | None] = mapped_column(String(8))  # static | dynamic (qr_merchant only)
    status: Mapped[str] = mapped_column(String(16))  # approved | declined
    amount: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    tendered: Mapped[int | None] = mapped_column(BigInteger)
    change: Mapped[int | None] = mapped_column(BigInteger)
    card_id: Mapped[str | None] = mapped_column(String(32))
    card_first6: Mapped[str | None] = mapped_column(String(6))
    card_last4: Mapped[str | None] = mapped_column(String(4))
    entry_mode: Mapped[str | None] = mapped_column(String(16))
    response_code: Mapped[str | None] = mapped_column(String(2))  # ISO 8583 field 39
    # The customer's deposit account debited (card, QR, payment code); refunds go back to it.
    account_id: Mapped[str | None] = mapped_column(String(32))
    customer_id: Mapped[str | None] = mapped_column(String(32), index=True)
    entry_id: Mapped[str | None] = mapped_column(String(32))
    refunded: Mapped[int] = mapped_column(BigInteger)
    # The merchant fee accrued (booked at settlement) and its split; zero for cash and declines.
    fee_amount: Mapped[int] = mapped_column(BigInteger)
    fee_issuer: Mapped[int] = mapped_column(BigInteger)
    fee_network: Mapped[int] = mapped_column(BigInteger)
    fee_acquirer: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Refund(Base):
    """Money given back on an order, split over its tenders (RefundPart), newest tender first."""

    __tablename__ = "payment_refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[str] = mapped_column(String(32), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class RefundPart(Base):
    __tablename__ = "payment_refund_parts"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    refund_pk: Mapped[int] = mapped_column(BigId, ForeignKey("payment_refunds.id"), index=True)
    payment_pk: Mapped[int] = mapped_column(BigId, ForeignKey("payments.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    entry_id: Mapped[str] = mapped_column(String(32))


class QrToken(Base):
    """The one-use token inside an order's dynamic QR code (template 26, sub-field 01)."""

    __tablename__ = "payment_qr_tokens"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[str] = mapped_column(String(32), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StoreQr(Base):
    """A store whose static QR code finlife issued: a scanned static code pays only a known store."""

    __tablename__ = "payment_store_qrs"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(32), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PaymentCode(Base):
    """A customer-presented one-use code bound to one account; only its HMAC is kept."""

    __tablename__ = "payment_codes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Named in answers (a replay of the request that issued it names it again); null before 0007.
    public_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    code_digest: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[str] = mapped_column(String(32))
    customer_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class QrUsage(Base):
    """Barcode payments of one customer on one business day, per kind ("static" or "dynamic")."""

    __tablename__ = "payment_qr_usage"

    customer_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    used: Mapped[int] = mapped_column(BigInteger, default=0)


class CashBook(Base):
    """A merchant's own cash ledger pair: drawer (asset) and cash sales (income), opened on first use."""

    __tablename__ = "payment_cash_books"
    __table_args__ = (UniqueConstraint("merchant_id", "currency"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(String(32))
    currency: Mapped[str] = mapped_column(String(3))
    drawer_ledger_id: Mapped[str | None] = mapped_column(String(32))
    sales_ledger_id: Mapped[str | None] = mapped_column(String(32))
