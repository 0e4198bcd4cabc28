"""Computing and storing each customer's facts: all of them (``finlife insights refresh``, in chunks,
each its own unit of work) or one, on demand (the view of a customer with none yet)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from finlife.customers import service as customers
from finlife.insights.models import CustomerFacts
from finlife.insights.rules import RECENT_DAYS, WINDOW_DAYS, AtStore, History, facts_of, histories
from finlife.kit.clock import clock
from finlife.kit.db import Database, table_of
from finlife.merchants import service as merchants
from finlife.payments import service as payments

CHUNK = 5_000  # customers per unit of work of a refresh
Progress = Callable[[int, int], None]
UNKNOWN_STORE = ("other", "", "")
StoreFacts = dict[str, tuple[str, str, str]]


def _stores(session: Session, store_ids: list[str] | None = None) -> StoreFacts:
    """Each store's (category, district, name): every store's once per refresh, else the few asked."""
    if store_ids == []:
        return {}
    return {
        s.id: (s.category, s.district, s.name) for s in merchants.stores_for_discovery(session, store_ids)
    }


def _histories(
    session: Session, customer_ids: Sequence[str] | None, now: datetime, stores: StoreFacts | None
) -> tuple[dict[str, History], dict[str, str]]:
    """The histories of the given customers (None: every customer), read as sums: one grouped query
    per source, whatever the number of customers; and the names of the stores they paid at.
    ``stores``: every store, when read already (a refresh); else only the stores paid at are read."""
    since = now - timedelta(days=WINDOW_DAYS)
    recent = now - timedelta(days=RECENT_DAYS)
    joined = customers.joined_at(session, customer_ids)
    rows = payments.spending_by_store(
        session,
        since=since,
        recent=recent,
        before=recent - timedelta(days=RECENT_DAYS),
        customer_ids=customer_ids,
    )
    if stores is None:
        stores = _stores(session, sorted({row.store_id for row in rows}))
    spent = [
        (
            row.customer_id,
            AtStore(
                store_id=row.store_id,
                category=stores.get(row.store_id, UNKNOWN_STORE)[0],
                district=stores.get(row.store_id, UNKNOWN_STORE)[1],
                payments=row.payments,
                spend_90d=row.spend,
                spend_30d=row.spend_recent,
                spend_before=row.spend_before,
                last_at=row.last_at,
            ),
        )
        for row in rows
    ]
    hours = payments.payment_hours(session, since=since, customer_ids=customer_ids)
    channels = customers.channel_counts(session, since, customer_ids)
    found = histories(customer_ids if customer_ids is not None else joined, joined, spent, hours, channels)
    return found, {store_id: name for store_id, (_, _, name) in stores.items()}


def compute(session: Session, customer_ids: Sequence[str], now: datetime) -> dict[str, dict[str, Any]]:
    """The facts of the given customers as of ``now``."""
    found, names = _histories(session, customer_ids, now, None)
    return {customer_id: facts_of(history, now, names) for customer_id, history in found.items()}


def store(
    session: Session,
    computed: dict[str, dict[str, Any]],
    now: datetime,
    *,
    span: tuple[str, str] | None = None,
) -> None:
    """Replace the stored facts of these customers (idempotent: the same rows give the same table).
    ``span``: they are every customer from the first id to the last (a refresh's chunk), so the old
    rows go by range rather than by a list of thousands of ids."""
    if not computed:
        return
    where = (
        CustomerFacts.customer_id.between(*span)
        if span is not None
        else CustomerFacts.customer_id.in_(list(computed))
    )
    session.execute(delete(CustomerFacts).where(where))
    session.execute(
        insert(table_of(CustomerFacts)),
        [
            {"customer_id": cid, "lifecycle": facts["lifecycle"], "facts": facts, "computed_at": now}
            for cid, facts in computed.items()
        ],
    )


def stored(session: Session, customer_id: str) -> tuple[dict[str, Any], datetime] | None:
    row = session.get(CustomerFacts, customer_id)
    return (row.facts, row.computed_at) if row is not None else None


def facts_now(session: Session, customer_id: str) -> tuple[dict[str, Any], datetime]:
    """The stored facts, or computed and stored now when the customer has none yet."""
    found = stored(session, customer_id)
    if found is not None:
        return found
    now = clock.now()
    computed = compute(session, [customer_id], now)
    store(session, computed, now)
    return computed[customer_id], now


def all_facts(session: Session) -> dict[str, dict[str, Any]]:
    """Every customer's stored facts (segments are evaluated over them)."""
    rows = session.execute(select(CustomerFacts.customer_id, CustomerFacts.facts))
    return {customer_id: facts for customer_id, facts in rows}


def refresh_all(database: Database, progress: Progress | None = None) -> int:
    """Recompute every customer's facts as of one moment: the sums are read once, in one unit of work;
    the facts are written a chunk of customers (by id) per unit of work. Returns how many."""
    now = clock.now()
    with database.unit_of_work() as session:
        found, names = _histories(session, None, now, _stores(session))
    everyone = sorted(found)
    for start in range(0, len(everyone), CHUNK):
        chunk = everyone[start : start + CHUNK]
        computed = {customer_id: facts_of(found[customer_id], now, names) for customer_id in chunk}
        with database.unit_of_work() as session:
            store(session, computed, now, span=(chunk[0], chunk[-1]))
        if progress is not None:
            progress(start + len(chunk), len(everyone))
    return len(everyone)
