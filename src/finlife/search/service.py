"""The search module's public face: keep each store's words current, and find stores by text.

The merchants module indexes a store when it is opened; the catalog indexes a merchant's goods when
they change. This module sits below both (it needs only the kit), so they can call it and keep
their layers; it knows stores and merchants only by their public ids.

Each store's popularity count lives here too, beside its words, so that "most popular first" is one
indexed query over the matches: the cashier keeps it (``add_popularity`` as an order is paid,
``take_popularity`` as orders grow old) and says what it counts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, column, false, func, literal_column, select, table, update
from sqlalchemy.orm import Session

from finlife.kit.db import for_update, increment_counter, insert_if_absent, table_of
from finlife.kit.pipeline import DriverSQL, defer_to_commit, is_postgresql, write_deferred
from finlife.search import text
from finlife.search.models import MerchantGoods, StoreDocument, StorePopularity

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
    # A new store starts at nothing; a store indexed again keeps its count.
    insert_if_absent(
        session,
        table_of(StorePopularity),
        {"store_id": store_id, "popularity": 0},
        conflict_columns=["store_id"],
    )


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
    return ids.where(_matches(session, node))


def _matches(session: Session, node: text.Node) -> ColumnElement[bool]:
    """The condition on a row of ``search_store_documents`` that its words match ``node``."""
    if session.get_bind().dialect.name == "postgresql":
        vector: ColumnElement[Any] = literal_column(f"{StoreDocument.__tablename__}.{TSVECTOR_COLUMN}")
        return vector.op("@@")(func.to_tsquery("simple", text.tsquery(node)))
    matched = select(_fts5.c.rowid).where(_fts5.c[FTS5_TABLE].op("MATCH")(text.fts5(node)))
    return StoreDocument.id.in_(matched)


def tsquery_of(query: str) -> str | None:
    """``query`` as the text of PostgreSQL's ``to_tsquery('simple', …)`` for ``DOCUMENT_MATCH``; None
    when it has no letters or digits (it matches nothing)."""
    node = text.parse(query)
    return None if node is None else text.tsquery(node)


# On PostgreSQL: whether the store ``{store_id}`` (an SQL expression) has a document matching the bound
# ``:tsquery`` (``tsquery_of``), by the document's unique store id: for statements of fixed text that
# check the stores one by one in their own order and stop at a page (merchants.nearest_store_points),
# as ``most_popular`` does.
DOCUMENT_MATCH = (
    f"EXISTS (SELECT 1 FROM {StoreDocument.__tablename__} d WHERE d.store_id = {{store_id}}"  # noqa: S608
    f" AND d.{TSVECTOR_COLUMN} @@ to_tsquery('simple', :tsquery))"
)


def first_matching_store_ids(session: Session, query: str, most: int) -> list[str] | None:
    """The ids of the stores matching ``query`` if there are at most ``most`` of them, else None (read
    no further than one past ``most``)."""
    found = list(session.execute(matching_store_ids(session, query).limit(most + 1)).scalars())
    return found if len(found) <= most else None


def add_popularity(session: Session, store_id: str, amount: int = 1) -> None:
    """Add to a store's popularity count (the row is made if the store has none yet); concurrent
    additions queue on the row, none is lost.

    On PostgreSQL the statement goes out with the unit of work's COMMIT (``kit.pipeline.defer_to_commit``),
    not before its next statement: no rule reads the count, so the row is locked for that last round
    trip only, and one store's payments at once do not queue on it for the rest of their requests
    (as the merchant's pending account, CONTRIBUTING "Hot accounts"). The readers of the counts in
    this module write what is queued first (``_counts_current``)."""
    if not is_postgresql(session):
        increment_counter(
            session,
            table_of(StorePopularity),
            keys={"store_id": store_id},
            column="popularity",
            amount=amount,
        )
        return
    name = StorePopularity.__tablename__
    defer_to_commit(
        session,
        DriverSQL(
            f"INSERT INTO {name} (store_id, popularity) VALUES (%(store_id)s, %(amount)s)"  # noqa: S608
            f" ON CONFLICT (store_id) DO UPDATE SET popularity = {name}.popularity + EXCLUDED.popularity",
            {"store_id": store_id, "amount": amount},
            what="a store's popularity count",
            independent_of_rows=True,
        ),
    )


def _counts_current(session: Session) -> None:
    """Read-your-writes for the counts: a count queued for the COMMIT of this unit of work
    (``add_popularity``) is written before the counts are read or changed here."""
    write_deferred(session, at_commit_too=True)


def take_popularity(session: Session, amounts: Select[str, int]) -> None:
    """Take from each store's count what ``amounts`` says: a SELECT of (store id, amount) rows, each
    store once, labelled ``store_id`` and ``amount``, run as a subquery of one UPDATE."""
    _counts_current(session)
    taken = amounts.subquery()
    own = select(taken.c.amount).where(taken.c.store_id == StorePopularity.store_id).scalar_subquery()
    session.execute(
        update(StorePopularity)
        .where(StorePopularity.store_id.in_(select(taken.c.store_id)))
        .values(popularity=StorePopularity.popularity - own)
        .execution_options(synchronize_session=False)
    )


def most_popular(
    session: Session, among: Select[Any], limit: int, *, query: str | None = None, within: int | None = None
) -> Select[Any]:
    """A SELECT of (store id, count) of the stores in ``among`` (a SELECT of store ids) whose words
    match ``query`` (if given), the highest count first and ties by store id, the first ``limit``;
    with ``within``, only among the ``within`` highest counts of all stores.

    It reads ``ix_search_store_popularity_rank`` in order and stops at the page: ``query`` is checked
    store by store (its document found by store id), a condition the planner cannot turn into a join
    of every match. That suits a query found in many stores (a few hundred rows read for a word in
    one store of ten); ``within`` bounds the reading for one found in few, whose ids are better given
    in ``among`` (``first_matching_store_ids``)."""
    _counts_current(session)
    source: Any = table_of(StorePopularity)
    if within is not None:
        source = (
            select(StorePopularity.store_id, StorePopularity.popularity)
            .order_by(StorePopularity.popularity.desc(), StorePopularity.store_id)
            .limit(within)
            .subquery("walked")
        )
    stmt = select(source.c.store_id, source.c.popularity).where(source.c.store_id.in_(among))
    if query is not None:
        node = text.parse(query)
        if node is None:
            return stmt.where(false())
        own = select(_matches(session, node)).where(StoreDocument.store_id == source.c.store_id)
        stmt = stmt.where(own.scalar_subquery().is_(True))
    return stmt.order_by(source.c.popularity.desc(), source.c.store_id).limit(limit)
