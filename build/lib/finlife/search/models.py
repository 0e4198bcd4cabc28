"""The words of every store, as the full-text index reads them.

The index itself is not a table of these models: an FTS5 virtual table (SQLite) or a generated
tsvector column with a GIN index (PostgreSQL), both made by the hand-written migration
``2026_11_30_0300_store_search`` because Alembic cannot generate them from models.
Stores and merchants belong to the merchants module and are referred to by their public ids.
"""

from __future__ import annotations

from sqlalchemy import String, Text
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
