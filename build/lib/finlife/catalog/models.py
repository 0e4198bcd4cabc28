"""A merchant's goods: items (with a category string) and their sellable variations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId, UTCDateTime


class Item(Base):
    """One product as the merchant lists it; what is sold and priced is one of its variations."""

    __tablename__ = "catalog_items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    # The merchant's public id (mer_…): modules refer to each other by public ids, never by tables.
    merchant_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(128))
    # A plain string: categories are what items say they are (no table to keep in step).
    category: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(2000))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Variation(Base):
    """A sellable size/flavour of an item: its own SKU, price in fen and (optionally tracked) stock."""

    __tablename__ = "catalog_variations"
    __table_args__ = (
        # SKUs are unique per merchant; the column is copied from the item so the database enforces it.
        UniqueConstraint("merchant_id", "sku"),
        CheckConstraint("price > 0", name="price_positive"),
        # The last line of defence for take_stock: a tracked stock can never go below zero.
        CheckConstraint("stock IS NULL OR stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    item_pk: Mapped[int] = mapped_column(BigId, ForeignKey("catalog_items.id"), index=True)
    merchant_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    sku: Mapped[str] = mapped_column(String(64))
    price: Mapped[int] = mapped_column(BigInteger)
    # NULL means "not tracked": the variation can always be sold.
    stock: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
