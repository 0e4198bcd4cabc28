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
from finlife.insights.rules import WINDOW_DAYS, Paid, facts_of, histories
from finlife.kit.clock import clock
from finlife.kit.db import Database, table_of
from finlife.merchants import service as merchants
from finlife.payments import service as payments

CHUNK = 5_000  # customers per unit of work of a refresh
Progress = Callable[[int, int], None]


def _stores(session: Session) -> dict[str, tuple[str, str, str]]:
    """Every store's (category, district, name), read once per refresh (a few thousand rows)."""
    return {s.id: (s.category, s.district, s.name) for s in merchants.stores_for_discovery(session)}


def compute(
    session: Session,
    customer_ids: Sequence[str],
    now: datetime,
    stores: dict[str, tuple[str, str, str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The facts of the given customers as of ``now``."""
    stores = stores if stores is not None else _stores(session)
    since = now - timedelta(days=WINDOW_DAYS)
    joined = customers.joined_at(session, customer_ids)
    spent = (
        (
            spend.customer_id,
            Paid(
                store_id=spend.store_id,
                category=stores.get(spend.store_id, ("other", "", ""))[0],
                district=stores.get(spend.store_id, ("", "", ""))[1],
                amount=spend.amount,
                at=spend.at,
            ),
        )
        for spend in payments.customer_spending(session, since, customer_ids)
        if spend.at <= now
    )
    channels = customers.channel_counts(session, since, customer_ids)
    names = {store_id: name for store_id, (_, _, name) in stores.items()}
    found = histories(customer_ids, joined, spent, channels)
    return {customer_id: facts_of(history, now, names) for customer_id, history in found.items()}


def store(session: Session, computed: dict[str, dict[str, Any]], now: datetime) -> None:
    """Replace the stored facts of these customers (idempotent: the same rows give the same table)."""
    if not computed:
        return
    session.execute(delete(CustomerFacts).where(CustomerFacts.customer_id.in_(list(computed))))
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
    """Recompute every customer's facts as of one moment, a chunk per unit of work; returns how many."""
    now = clock.now()
    with database.unit_of_work() as session:
        everyone = sorted(customers.joined_at(session))
        stores = _stores(session)
    done = 0
    for start in range(0, len(everyone), CHUNK):
        chunk = everyone[start : start + CHUNK]
        with database.unit_of_work() as session:
            store(session, compute(session, chunk, now, stores), now)
        done += len(chunk)
        if progress is not None:
            progress(done, len(everyone))
    return done
