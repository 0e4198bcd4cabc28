"""The search module's public face: keep each store's words current, and find stores by text.

The merchants module indexes a store when it is opened; the catalog indexes a merchant's goods when
they change. This module sits below both (it needs only the kit), so they can call it and keep
their layers; it knows stores and merchants only by their public ids.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, column, false, func, literal_column, select, table, update
from sqlalchemy.orm import Session

from finlife.kit.db import for_update, insert_if_absent, table_of
from finlife.search import text
from finlife.search.models import MerchantGoods, StoreDocument

# Made by the migration 2026_11_30_0300_store_search, not by the models (see models.py).
FTS5_TABLE = "search_store_documents_fts"
TSVECTOR_COLUMN = "document_tsv"

_fts5 = table(FTS5_TABLE, column("rowid"), column(FTS5_TABLE))


def _document(store_tokens: str, goods_tokens: str) -> str:
    return f"{store_tokens} {goods_tokens}".strip()


def _locked_goods(session: Session, merchant_id: str) -> MerchantGoods:
    """The merchant's goods row, created empty if missing, locked until the transaction ends: opening a
    store and changing goods queue on it, so neither writes a document from the other's old state."""
    insert_if_absent(
        session,
        table_of(MerchantGoods),
        {"merchant_id": merchant_id, "tokens": ""},
        conflict_columns=["merchant_id"],
    )
    goods: MerchantGoods = session.execute(
        for_update(select(MerchantGoods).where(MerchantGoods.merchant_id == merchant_id))
    ).scalar_one()
    return goods


def index_store(session: Session, *, store_id: str, merchant_id: str, texts: Sequence[str]) -> None:
    """Set a store's own words (its name, category, merchant's name…); its goods' words stay."""
    store_tokens = text.document(texts)
    goods = _locked_goods(session, merchant_id)
    doc = session.execute(
        select(StoreDocument).where(StoreDocument.store_id == store_id)
    ).scalar_one_or_none()
    if doc is None:
        doc = StoreDocument(store_id=store_id, merchant_id=merchant_id, store_tokens="", document="")
        session.add(doc)
    doc.merchant_id = merchant_id
    doc.store_tokens = store_tokens
    doc.document = _document(store_tokens, goods.tokens)
    session.flush()


def index_goods(session: Session, *, merchant_id: str, names: Callable[[], Iterable[str]]) -> None:
    """Set the words of a merchant's goods in every one of its stores' documents.

    ``names`` is called once the merchant's goods row is locked: two transactions changing the same
    merchant's goods queue there, and the later one reads the names the earlier one committed, so the
    index never keeps the older list.
    """
    goods = _locked_goods(session, merchant_id)
    goods.tokens = text.document(names())
    session.flush()
    session.execute(
        update(StoreDocument)
        .where(StoreDocument.merchant_id == merchant_id)
        .values(document=func.trim(StoreDocument.store_tokens + " " + goods.tokens))
        .execution_options(synchronize_session=False)
    )


def matching_store_ids(session: Session, query: str) -> Select[Any]:
    """A SELECT of the ids of the stores whose words match ``query`` (every word of it; see
    ``search.text``), to be used as a subquery; nothing matches a query without letters or digits."""
    node = text.parse(query)
    ids = select(StoreDocument.store_id)
    if node is None:
        return ids.where(false())
    if session.get_bind().dialect.name == "postgresql":
        vector: ColumnElement[Any] = literal_column(f"{StoreDocument.__tablename__}.{TSVECTOR_COLUMN}")
        return ids.where(vector.op("@@")(func.to_tsquery("simple", text.tsquery(node))))
    matched = select(_fts5.c.rowid).where(_fts5.c[FTS5_TABLE].op("MATCH")(text.fts5(node)))
    return ids.where(StoreDocument.id.in_(matched))
