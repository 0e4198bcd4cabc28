"""Writing the merchant's book: one balanced entry and its lines, and the day totals kept beside it.

Every entry goes through ``write``: it refuses an unbalanced one (a bug, never the user's input),
and an entry from an event is written once (``source_event`` is unique: the insert that finds it
there writes nothing, whatever the consumer's own dedupe did).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from finlife.books.models import BookDayTotal, BookEntry, BookLine, BookTotal
from finlife.kit.clock import clock
from finlife.kit.db import table_of
from finlife.kit.ids import new_id


@dataclass(frozen=True, slots=True)
class Posting:
    account: str
    amount: int  # + debit, − credit


@dataclass(frozen=True, slots=True)
class Draft:
    merchant_id: str
    day: date
    hour: int
    kind: str
    lines: list[Posting]
    store_id: str | None = None
    source_event: str | None = None
    ledger_entry_id: str | None = None
    category: str | None = None
    note: str = ""
    created_by: str | None = None
    reverses_pk: int | None = None
    stats: tuple[Posting, ...] = ()  # totals-only figures (catalogue.COUPON_ORDERS), not lines


class Unbalanced(ValueError):
    """An entry whose lines do not sum to zero: a programming error, never booked."""


def local_day_hour(at: datetime) -> tuple[date, int]:
    local = at.astimezone(clock.business_zone)
    return local.date(), local.hour


def write(session: Session, draft: Draft) -> BookEntry | None:
    """Book ``draft``; None (nothing written) when its source event was booked already."""
    lines = [line for line in draft.lines if line.amount != 0]
    if sum(line.amount for line in lines) != 0:
        raise Unbalanced(draft)
    if draft.source_event is not None:
        taken = session.execute(
            select(BookEntry.id).where(BookEntry.source_event == draft.source_event)
        ).scalar_one_or_none()
        if taken is not None:
            return None
    entry = BookEntry(
        public_id=new_id("ben"),
        merchant_id=draft.merchant_id,
        day=draft.day,
        kind=draft.kind,
        category=draft.category,
        note=draft.note,
        store_id=draft.store_id,
        source_event=draft.source_event,
        ledger_entry_id=draft.ledger_entry_id,
        reverses_pk=draft.reverses_pk,
        created_by=draft.created_by,
        created_at=clock.now(),
    )
    session.add(entry)
    session.flush()
    session.add_all(BookLine(entry_pk=entry.id, account=line.account, amount=line.amount) for line in lines)
    _add_to_totals(session, draft, [*lines, *draft.stats])
    session.flush()
    return entry


def _add_to_totals(session: Session, draft: Draft, lines: list[Posting]) -> None:
    sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        sums[line.account][0 if line.amount > 0 else 1] += abs(line.amount)
    if not sums:
        return
    dialect = session.get_bind().dialect.name
    places: tuple[tuple[type[BookDayTotal | BookTotal], dict[str, Any]], ...] = (
        (BookDayTotal, {}),
        (BookTotal, {"hour": draft.hour, "store_id": draft.store_id or ""}),
    )
    for model, keys in places:
        # Rows in account order: two writers of one merchant's day lock its rows in the same order.
        rows = [
            {"merchant_id": draft.merchant_id, "day": draft.day, **keys, "account": account}
            | {"debit": sums[account][0], "credit": sums[account][1]}
            for account in sorted(sums)
        ]
        session.execute(_upsert(dialect, model), rows)


@functools.cache
def _upsert(dialect: str, model: type[BookDayTotal | BookTotal]) -> Any:
    """One statement a table, built once and compiled once: its rows go as one executemany
    (pipelined by psycopg). Built per row, they were half the relay's CPU in bench/interbank.py."""
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = table_of(model)
    stmt = insert(table)
    keys = ["merchant_id", "day", *(["hour", "store_id"] if model is BookTotal else []), "account"]
    return stmt.on_conflict_do_update(
        index_elements=keys,
        set_={"debit": table.c.debit + stmt.excluded.debit, "credit": table.c.credit + stmt.excluded.credit},
    )


def lines_of(session: Session, entry_pk: int) -> list[Posting]:
    rows = session.execute(
        select(BookLine.account, BookLine.amount).where(BookLine.entry_pk == entry_pk).order_by(BookLine.id)
    )
    return [Posting(account, amount) for account, amount in rows]
