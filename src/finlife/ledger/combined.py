"""The postings of a group commit's batch as one statement (PostgreSQL).

Each posting is queued as a statement of its own (``posting._posting_statement``): its entry, its
postings and the balances it leaves. When a batch's postings are queued one after another (only
rows between them), ``kit.pipeline`` sends them as the one statement built here instead: every
entry and every posting inserted from arrays, in the order they were posted, and each account's
balance set once, to what the batch's last posting on it left. The database ends where the
statements one by one would have left it; nothing reads it in between (a read sends the queue
first). It saves PostgreSQL a statement's parse, bind and execution per transfer, and the driver
the adaptation of one.
"""

from __future__ import annotations

import functools
from typing import Any

from finlife.kit.pipeline import DriverSQL, array_literal, column_literal

# (entry, its postings, the balances it changed): what ``post`` queues for one entry.
Part = tuple[dict[str, Any], list[dict[str, Any]], dict[int, int]]

_ENTRIES_SQL = """
WITH entries AS (
    INSERT INTO journal_entries
        (public_id, kind, memo, details, actor_user_id, channel, reverses_id, created_at)
    SELECT e.public_id, e.kind, e.memo, e.details, e.actor_user_id, e.channel, e.reverses_id,
           e.created_at
    FROM unnest(%(public_ids)s::text[], %(kinds)s::text[], %(memos)s::text[], %(details)s::jsonb[],
                %(actors)s::text[], %(channels)s::text[], %(reverses)s::bigint[],
                %(created)s::timestamptz[])
         WITH ORDINALITY AS e (public_id, kind, memo, details, actor_user_id, channel, reverses_id,
                               created_at, n)
    ORDER BY e.n
    RETURNING id, public_id
)"""
_POSTINGS_SQL = """
INSERT INTO postings (entry_id, ledger_account_id, amount, currency, balance_after)
SELECT entries.id, p.account, p.amount, p.currency, p.balance_after
FROM unnest(%(entries)s::text[], %(accounts)s::bigint[], %(amounts)s::bigint[],
            %(currencies)s::text[], %(balances_after)s::bigint[])
     WITH ORDINALITY AS p (entry, account, amount, currency, balance_after, n)
JOIN entries ON entries.public_id = p.entry
ORDER BY p.n
"""


def balances_cte(rows: int) -> str:
    """``, balances AS (UPDATE …)`` setting ``rows`` ledger rows' balances, each named by a parameter
    of its own (``%(id0)s``/``%(balance0)s`` …): an index scan in every plan (``_posting_sql``)."""
    cases = " ".join(f"WHEN %(id{n})s::bigint THEN %(balance{n})s::bigint" for n in range(rows))
    ids = ", ".join(f"%(id{n})s::bigint" for n in range(rows))
    # Built from placeholders only: every value travels as a parameter.
    return f""", balances AS (
    UPDATE ledger_accounts SET balance = CASE id {cases} END WHERE id IN ({ids})
)"""  # noqa: S608


def _balance_per_row(rows: int) -> str:
    """One UPDATE of one row per balance, by its primary key: an index probe in every plan, however
    many rows. (One UPDATE of four rows by ``id IN (…)`` was planned, generically, as a scan of a
    thousand ledger accounts.)"""
    return "".join(
        f""", balance{n} AS (
    UPDATE ledger_accounts SET balance = %(balance{n})s::bigint WHERE id = %(id{n})s::bigint
)"""  # noqa: S608
        for n in range(rows)
    )


@functools.cache
def _combined_sql(rows: int) -> str:
    return _ENTRIES_SQL + _balance_per_row(rows) + _POSTINGS_SQL


def _slots(changed: int) -> int:
    """Balance rows named in the statement: a power of two (the unused ones NULL, which matches no
    row), so that a batch's statement has one of a few texts, each prepared once."""
    return 0 if not changed else max(2, 1 << (changed - 1).bit_length())


def combined_postings(parts: list[Part]) -> DriverSQL:
    entries = [entry for entry, _, _ in parts]
    postings = [(entry["public_id"], posting) for entry, rows, _ in parts for posting in rows]
    final: dict[int, int] = {}
    for _, _, changed in parts:
        final.update(changed)  # in posting order: the last balance an account was left with
    params: dict[str, Any] = {
        "public_ids": array_literal(e["public_id"] for e in entries),
        "kinds": column_literal([e["kind"] for e in entries]),
        "memos": column_literal([e["memo"] for e in entries]),
        "details": column_literal([e["details"] for e in entries], json_column=True),
        "actors": column_literal([e["actor_user_id"] for e in entries]),
        "channels": column_literal([e["channel"] for e in entries]),
        "reverses": column_literal([e["reverses_id"] for e in entries]),
        "created": column_literal([e["created_at"] for e in entries]),
        "entries": array_literal(entry_id for entry_id, _ in postings),
        "accounts": array_literal(p["ledger_account_id"] for _, p in postings),
        "amounts": array_literal(p["amount"] for _, p in postings),
        "currencies": array_literal(p["currency"] for _, p in postings),
        "balances_after": array_literal(p["balance_after"] for _, p in postings),
    }
    slots = _slots(len(final))
    named = list(final.items()) + [(None, None)] * (slots - len(final))
    for n, (account_id, balance) in enumerate(named):
        params[f"id{n}"], params[f"balance{n}"] = account_id, balance
    return DriverSQL(
        _combined_sql(slots),
        params,
        what=f"{len(parts)} journal entries with postings and balances",
        independent_of_rows=True,
    )
