"""Writing the merchant's book: one balanced entry and its lines, and the day totals kept beside it.

Every entry goes through ``write``: it refuses an unbalanced one (a bug, never the user's input),
and an entry from an event is written once (``source_event`` is unique: the insert that finds it
there writes nothing, whatever the consumer's own dedupe did).
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select
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
    written = write_all(session, [draft])
    return session.get(BookEntry, written[0]) if written else None


def write_all(session: Session, drafts: Sequence[Draft]) -> list[int]:
    """Book each draft, in order, skipping those whose source event was booked already; answers the
    written entries' row ids. Whatever the number of drafts: one query for the booked sources, one
    insert of entries, one of lines and one upsert per totals table, in Core (the relay books a
    fetched batch of events this way: an entry at a time through the ORM, the books were a fifth of
    the relay's CPU in bench/interbank.py)."""
    fresh = _not_yet_booked(session, drafts)
    if not fresh:
        return []
    now = clock.now()
    entries, lines_table = table_of(BookEntry), table_of(BookLine)
    ids = list(
        session.execute(
            insert(entries).returning(entries.c.id, sort_by_parameter_order=True),
            [_entry_row(draft, now) for draft, _ in fresh],
        ).scalars()
    )
    lines = [
        {"entry_pk": entry_pk, "account": line.account, "amount": line.amount}
        for entry_pk, (_, kept) in zip(ids, fresh, strict=True)
        for line in kept
    ]
    if lines:
        session.execute(insert(lines_table), lines)
    _add_to_totals(session, [(draft, [*kept, *draft.stats]) for draft, kept in fresh])
    return ids


def _not_yet_booked(session: Session, drafts: Sequence[Draft]) -> list[tuple[Draft, list[Posting]]]:
    """The drafts whose source event has no entry yet, each with its non-zero lines; refuses an
    unbalanced draft (a bug, never the user's input) before anything is written."""
    kept = [[line for line in draft.lines if line.amount != 0] for draft in drafts]
    for draft, lines in zip(drafts, kept, strict=True):
        if sum(line.amount for line in lines) != 0:
            raise Unbalanced(draft)
    sources = [draft.source_event for draft in drafts if draft.source_event is not None]
    taken = (
        set(session.scalars(select(BookEntry.source_event).where(BookEntry.source_event.in_(sources))))
        if sources
        else set()
    )
    return [(d, lines) for d, lines in zip(drafts, kept, strict=True) if d.source_event not in taken]


def _entry_row(draft: Draft, now: datetime) -> dict[str, Any]:
    return {
        "public_id": new_id("ben"),
        "merchant_id": draft.merchant_id,
        "day": draft.day,
        "kind": draft.kind,
        "category": draft.category,
        "note": draft.note,
        "store_id": draft.store_id,
        "source_event": draft.source_event,
        "ledger_entry_id": draft.ledger_entry_id,
        "reverses_pk": draft.reverses_pk,
        "created_by": draft.created_by,
        "created_at": now,
    }


def _add_to_totals(session: Session, drafts: list[tuple[Draft, list[Posting]]]) -> None:
    """Each table's rows summed per key over the drafts, so a key many drafts share is one row."""
    dialect = session.get_bind().dialect.name
    for model in (BookDayTotal, BookTotal):
        sums: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
        for draft, lines in drafts:
            place = (draft.hour, draft.store_id or "") if model is BookTotal else ()
            for line in lines:
                sums[(draft.merchant_id, draft.day, *place, line.account)][0 if line.amount > 0 else 1] += (
                    abs(line.amount)
                )
        if not sums:
            continue
        names = _KEYS[model]
        # Rows in key order: two writers of one merchant's day lock its rows in the same order.
        rows = [
            dict(zip(names, key, strict=True)) | {"debit": debit, "credit": credit}
            for key, (debit, credit) in sorted(sums.items())
        ]
        session.execute(_upsert(dialect, model), rows)


_KEYS: dict[type[BookDayTotal | BookTotal], list[str]] = {
    BookDayTotal: ["merchant_id", "day", "account"],
    BookTotal: ["merchant_id", "day", "hour", "store_id", "account"],
}


@functools.cache
def _upsert(dialect: str, model: type[BookDayTotal | BookTotal]) -> Any:
    """One statement a table, built once and compiled once: its rows go as one executemany
    (pipelined by psycopg). Built per row, they were half the relay's CPU in bench/interbank.py."""
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = table_of(model)
    stmt = insert(table)
    return stmt.on_conflict_do_update(
        index_elements=_KEYS[model],
        set_={"debit": table.c.debit + stmt.excluded.debit, "credit": table.c.credit + stmt.excluded.credit},
    )


def lines_of(session: Session, entry_pk: int) -> list[Posting]:
    rows = session.execute(
        select(BookLine.account, BookLine.amount).where(BookLine.entry_pk == entry_pk).order_by(BookLine.id)
    )
    return [Posting(account, amount) for account, amount in rows]
