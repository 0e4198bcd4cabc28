"""The words of every store, as the full-text index reads them.

The index itself is not a table of these models: an FTS5 virtual table (SQLite) or a generated
tsvector column with a GIN index (PostgreSQL), both made by the hand-written migration
``2026_11_30_0300_store_search`` because Alembic cannot generate them from models.
Stores and merchants belong to the merchants module and are referred to by their public ids.

Each store also has a popularity row: a count the cashier keeps current (its paid orders since the
cashier's mark, see ``cashier.service.popularity``), so that "most popular first" reads the first
stores of an index instead of counting every match's orders.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from finlife.kit.db import Base, BigId


class StoreDocument(Base):
    """One store's tokens: its own (name, category, merchant's name) followed by its goods'."""

    __tablename__ = "search_store_documents"

    # The integer id is the FTS5 row id (content_rowid) on SQLite.
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(32), unique=True)
    merchant_id: Mapped[str] = mapped_column(String(32), index=True)
    store_tokens: Mapped[str] = mapped_column(Text)
    # store_tokens, a space, then the merchant's goods tokens: what the full-text index reads.
    document: Mapped[str] = mapped_column(Text)


class MerchantGoods(Base):
    """The tokens of a merchant's listed goods, kept so that a store opened later gets them too."""

    __tablename__ = "search_merchant_goods"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    merchant_id: Mapped[str] = mapped_column(String(32), unique=True)
    tokens: Mapped[str] = mapped_column(Text)


class StorePopularity(Base):
    """One store's count for "most popular first", made with its document and kept by the cashier in
    the transaction that pays an order. A table of its own: the count changes with every paid order,
    and an update of the document's row would write its tsvector and GIN entries again."""

    __tablename__ = "search_store_popularity"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[str] = mapped_column(String(32), unique=True)
    popularity: Mapped[int] = mapped_column(Integer)


# Most popular first, ties by store id: the order discovery shows, read from the index as it stands.
Index("ix_search_store_popularity_rank", StorePopularity.popularity.desc(), StorePopularity.store_id)
