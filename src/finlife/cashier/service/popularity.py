"""How busy stores are: paid orders of the last 30 days per store (Life channel popularity).

Two ways to the same numbers:

* ``paid_order_counts`` counts a few stores' orders (a radius, a page of results, one store's page)
  on the (store, paid at) index, or makes one grouped pass over the period's orders for many.
* ``most_popular`` ranks any number of stores (every match of a common word) by reading the search
  module's popularity counts in index order, and stops at the page. The counts are kept here: an
  order adds one to its store's count in the transaction that pays it (``count_paid_order``; an
  order stays paid once paid, and a refund leaves it so), and a count holds the store's paid orders
  since the **mark** (``PopularityMark``; no mark: since the beginning). ``roll`` moves the mark to
  a month ago and takes the orders paid before it out of the counts, in one transaction; the
  scheduled ``finlife popularity roll`` runs it. The counts are never stale: between two rolls a
  count is too high by the orders paid between the mark and the month's start, which ``most_popular``
  counts (on ``ix_cashier_orders_paid_at``) and takes off. How often the roll runs changes only how
  many such orders there are, never an answer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from finlife.cashier.models import Order, PopularityMark
from finlife.cashier.schemas import OrderStatus
from finlife.kit.db import for_update, insert_if_absent, table_of
from finlife.search import service as search

POPULARITY_DAYS = 30
# Above this many stores one pass over the period's orders is cheaper than sending their ids.
MANY_STORES = 1_000
# Above this many stores with orders between the mark and the month's start (the roll has not run
# for a long while), ``most_popular`` declines and its caller counts the usual way.
MANY_CORRECTIONS = 1_000
# "Since the beginning": the mark before the first roll (or after every row was deleted).
BEGINNING = datetime(1970, 1, 1, tzinfo=UTC)
ROLL_LEASE = "popularity.roll"
_MARK_ID = 1


def popularity_since(now: datetime) -> datetime:
    """The start of the period whose paid orders make a store's popularity at ``now``."""
    return now - timedelta(days=POPULARITY_DAYS)


def paid_order_counts(session: Session, *, since: datetime, store_ids: Collection[str]) -> dict[str, int]:
    """Orders of ``store_ids`` paid in full at or after ``since``, counted per store id.

    A few stores (a radius, a page of results, one store's page) are counted on the (store, paid at)
    index, so the cost follows those stores' orders, not every order of the period; for many stores
    one grouped pass is cheaper than thousands of ids."""
    if not store_ids:
        return {}
    params: dict[str, Any] = {"paid": OrderStatus.PAID.value, "since": since}
    stmt = _PAID_COUNTS_OF_EVERY_STORE
    if len(store_ids) <= MANY_STORES:
        stmt, params["ids"] = _PAID_COUNTS, sorted(store_ids)
    wanted = set(store_ids)
    return {store_id: count for store_id, count in session.execute(stmt, params) if store_id in wanted}


# Built once, the values bound at each call: discovery counts a page's stores on every request, and
# building, keying and compiling the expression anew cost more than the database's answer.
_PAID_COUNTS_OF_EVERY_STORE = (
    select(Order.store_id, func.count())
    .where(Order.status == bindparam("paid"), Order.paid_at >= bindparam("since"))
    .group_by(Order.store_id)
)
_PAID_COUNTS = _PAID_COUNTS_OF_EVERY_STORE.where(Order.store_id.in_(bindparam("ids", expanding=True)))


def count_paid_order(session: Session, store_id: str) -> None:
    """An order of ``store_id`` was paid now: one more in its popularity count (same transaction)."""
    search.add_popularity(session, store_id, 1)


def _paid_between(start: datetime, end: datetime) -> Select[str, int]:
    """(store_id, amount): each store's orders paid at or after ``start`` and before ``end``."""
    return (
        select(Order.store_id.label("store_id"), func.count().label("amount"))
        .where(Order.status == OrderStatus.PAID, Order.paid_at >= start, Order.paid_at < end)
        .group_by(Order.store_id)
    )


# Built once: "most popular first" reads the mark and the corrections on every request.
_MARK = select(PopularityMark.counted_since)
_CORRECTIONS = (
    select(Order.store_id, func.count())
    .where(
        Order.status == bindparam("paid"),
        Order.paid_at >= bindparam("start"),
        Order.paid_at < bindparam("end"),
    )
    .group_by(Order.store_id)
)


def _mark(session: Session) -> datetime:
    found = session.execute(_MARK).scalar_one_or_none()
    return BEGINNING if found is None else found


def roll_popularity(session: Session, now: datetime) -> int:
    """Move the mark to the start of the month before ``now`` and take the orders paid before it out
    of the counts; returns how many stores' counts fell. The mark's row is locked first, so two rolls
    queue; a payment meanwhile adds to its count for an order paid now, which stays counted."""
    insert_if_absent(
        session,
        table_of(PopularityMark),
        {"id": _MARK_ID, "counted_since": BEGINNING},
        conflict_columns=["id"],
    )
    mark = session.execute(
        for_update(select(PopularityMark).where(PopularityMark.id == _MARK_ID))
    ).scalar_one()
    new_mark = popularity_since(now)
    if new_mark <= mark.counted_since:
        return 0
    leaving = _paid_between(mark.counted_since, new_mark)
    stores = session.execute(select(func.count()).select_from(leaving.subquery())).scalar_one()
    search.take_popularity(session, leaving)
    mark.counted_since = new_mark
    session.flush()
    return int(stores)


@dataclass(frozen=True)
class Ranked:
    store_id: str
    popularity: int


def most_popular(
    session: Session,
    *,
    among: Select[Any],
    since: datetime,
    limit: int,
    query: str | None = None,
    within: int | None = None,
) -> list[Ranked] | None:
    """The ``limit`` stores of ``among`` (a SELECT of store ids) whose words match ``query`` (if given)
    with the most orders paid at or after ``since``, ties by store id, each with that number: what
    ``paid_order_counts`` and a sort would give, read from the kept counts (``search.most_popular``
    says how ``query`` and ``within`` are read). None when the counts cannot say it cheaply
    (``since`` before the mark, the roll long overdue, or the page not found within the first
    ``within`` stores): the caller then ranks another way.

    A count is the store's paid orders since the mark, so it may exceed the store's popularity by its
    orders paid between the mark and ``since`` (the correction). Every store without a correction is
    counted exactly; so among the first ``limit`` + (stores with a correction) by count, at least
    ``limit`` are exact, and each store further down has an exact one before it whose popularity is
    at least its count: the page is among them, found once their corrections are taken off.
    """
    for _ in range(3):
        mark = _mark(session)
        if since < mark:
            return None
        between = {"paid": OrderStatus.PAID.value, "start": mark, "end": since}
        corrections = {store_id: int(amount) for store_id, amount in session.execute(_CORRECTIONS, between)}
        if len(corrections) > MANY_CORRECTIONS:
            return None
        wanted = limit + len(corrections)
        ranked = search.most_popular(session, among, wanted, query=query, within=within).subquery()
        # The mark read with the counts, in the same statement: a roll committed since the mark above
        # was read changed both, so the corrections are read again.
        rows = session.execute(
            select(
                ranked.c.store_id, ranked.c.popularity, select(PopularityMark.counted_since).scalar_subquery()
            )
        ).all()
        if rows and (rows[0][2] or BEGINNING) != mark:
            continue
        if within is not None and len(rows) < wanted:
            return None  # fewer than wanted among the first ``within``: more may come after them
        exact = [Ranked(store_id, count - corrections.get(store_id, 0)) for store_id, count, _ in rows]
        return sorted(exact, key=lambda r: (-r.popularity, r.store_id))[:limit]
    return None
