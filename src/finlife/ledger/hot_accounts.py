"""Hot accounts: the few ledger accounts that many concurrent entries move (a merchant's pending
settlement), and the rise of one applied with the COMMIT instead of under a lock.

A caller names an entry's hot accounts (``post(..., hot=…)``). Two rules follow:

- **Hot accounts are locked last.** Every transaction locks the entry's other accounts first (in id
  order, as always), then its hot ones (in id order). So a transaction holding a hot row never waits
  for an ordinary row, and a credit applied at commit (below) can never close a cycle of waits.
- **A rise that cannot break a rule is not locked at all.** When the entry only raises a hot
  account's normal balance (a credit to a liability) and the account has no balance cap, no rule of
  the book can refuse it: the overdraft rule guards falls, the cap guards rises of capped accounts.
  Such an account is read without a lock (its currency, side and cap) and its balance is raised by
  ``balance = balance + delta`` in the posting statement, which is queued with the unit of work's
  other writes and travels with its COMMIT (``kit.pipeline``). The row is held only for that last
  round trip, so the payments that credit it commit together instead of one after another; its
  postings' ``balance_after`` is computed by that statement from the balance it leaves. The
  ``EntryOut`` returned for such a line has ``balance_after`` None: it is known at commit.

Only on PostgreSQL and outside a group commit's batch (whose memory keeps locked balances); on SQLite,
and inside a batch, hot accounts are locked last like the others, and nothing else changes.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from finlife.kit.errors import NotFound
from finlife.kit.pipeline import batch_memory, fetch_together, is_postgresql
from finlife.ledger.schemas import Line

_ACCOUNTS_SQL = (
    "SELECT id, public_id, normal_side, currency, balance, held, allow_overdraft, balance_cap"
    " FROM ledger_accounts WHERE public_id IN ({ids}) ORDER BY id"
)


@functools.cache
def accounts_sql(count: int, *, lock: bool) -> str:
    """The ledger rows of ``count`` public ids, in id order; locked ``FOR NO KEY UPDATE`` with ``lock``
    (a posting changes balances, never a key, so rows that only refer to a locked account -- another
    transaction's postings, checked by their foreign key -- need not wait for it).

    The ids are one parameter each (``public_id IN (%(id0)s, …)``, one text per number of ids), so the
    prepared statement's generic plan is the custom plan (an index probe each) and PostgreSQL keeps
    it. With ``public_id = ANY(%(ids)s::text[])`` the generic plan is costed for an array of ten and
    loses to the custom plan of one or two ids every time: the statement was planned again on every
    execution, on every payment (and that generic plan scans the whole table).
    """
    ids = ", ".join(f"%(id{n})s" for n in range(count))
    # Built from placeholders only: every value travels as a parameter.
    return _ACCOUNTS_SQL.format(ids=ids) + (" FOR NO KEY UPDATE" if lock else "")


def accounts_query(public_ids: Sequence[str], *, lock: bool) -> tuple[str, dict[str, str]]:
    """``accounts_sql`` with its parameters, for ``fetch_together`` (at least one id)."""
    return accounts_sql(len(public_ids), lock=lock), {
        f"id{n}": public_id for n, public_id in enumerate(public_ids)
    }


@dataclass(slots=True)
class RaisedAccount:
    """A hot account the entry only raises, read without a lock (its balance is not used)."""

    id: int
    public_id: str
    normal_side: str
    currency: str
    balance_cap: int | None

    @property
    def sign(self) -> int:
        return 1 if self.normal_side == "debit" else -1


def net_by_account(lines: Sequence[Line]) -> dict[str, int]:
    net: dict[str, int] = defaultdict(int)
    for line in lines:
        net[line.account] += line.amount
    return net


def split_hot(lines: Sequence[Line], hot: Collection[str]) -> tuple[list[str], list[str]]:
    """(the entry's ordinary accounts, its hot ones), each sorted."""
    named = {line.account for line in lines}
    last = named & set(hot)
    return sorted(named - last), sorted(last)


def can_raise_unlocked(session: Session) -> bool:
    return is_postgresql(session) and batch_memory(session) is None


def lock_then_read(
    session: Session, ordinary: list[str], hot: list[str]
) -> tuple[Sequence[Sequence[Any]], list[RaisedAccount]]:
    """One round trip: lock the ordinary accounts (in id order), then read the hot ones without a
    lock. Returns the locked rows and the hot accounts as read."""
    queries = [accounts_query(ordinary, lock=True)] if ordinary else []
    queries.append(accounts_query(hot, lock=False))
    results = fetch_together(session, *queries)
    locked_rows, read_rows = (results[0], results[1]) if ordinary else ([], results[0])
    if len(locked_rows) != len(ordinary) or len(read_rows) != len(hot):
        raise NotFound("account")
    read = [RaisedAccount(row[0], row[1], row[2], row[3], row[7]) for row in read_rows]
    return locked_rows, read


def raises_only(account: RaisedAccount, net: int, lines: Sequence[Line]) -> bool:
    """Whether the entry can only raise this account's normal balance, so no rule can refuse it.
    Lines in another currency are left to the ledger's check (the account is then locked)."""
    same_currency = all(
        line.currency == account.currency for line in lines if line.account == account.public_id
    )
    return same_currency and net * account.sign > 0 and account.balance_cap is None


def later_offsets(lines: Sequence[Line], raised: Collection[str], signs: dict[str, int]) -> list[int]:
    """For each line on a raised account, its account's normal balance after the whole entry minus
    after this line (0 for the other lines): ``balance_after = sign × new balance − offset``."""
    offsets = [0] * len(lines)
    after: dict[str, int] = defaultdict(int)
    for n in range(len(lines) - 1, -1, -1):
        line = lines[n]
        if line.account in raised:
            offsets[n] = after[line.account] * signs[line.account]
            after[line.account] += line.amount
    return offsets


@functools.cache
def raise_sql(count: int) -> str:
    """The CTE that raises ``count`` accounts by their deltas and the postings that read the balances
    it leaves (follows the entry CTE and any ``balances`` CTE of the posting statement)."""
    cases = " ".join(f"WHEN %(rid{n})s::bigint THEN %(rdelta{n})s::bigint" for n in range(count))
    ids = ", ".join(f"%(rid{n})s::bigint" for n in range(count))
    # Built from placeholders only: every value travels as a parameter.
    return f""", raised AS (
    UPDATE ledger_accounts SET balance = balance + CASE id {cases} END WHERE id IN ({ids})
    RETURNING id, balance
)
INSERT INTO postings (entry_id, ledger_account_id, amount, currency, balance_after)
SELECT entry.id, p.account, p.amount, p.currency,
       CASE WHEN raised.id IS NULL THEN p.balance_after ELSE p.sign * raised.balance - p.offset_after END
FROM entry CROSS JOIN unnest(%(accounts)s::bigint[], %(amounts)s::bigint[], %(currencies)s::text[],
                             %(balances_after)s::bigint[], %(signs)s::bigint[], %(offsets)s::bigint[])
     WITH ORDINALITY AS p (account, amount, currency, balance_after, sign, offset_after, n)
LEFT JOIN raised ON raised.id = p.account
ORDER BY p.n
"""  # noqa: S608


def raise_params(raised: dict[int, int]) -> dict[str, int]:
    params: dict[str, int] = {}
    for n, (account_id, delta) in enumerate(raised.items()):
        params[f"rid{n}"], params[f"rdelta{n}"] = account_id, delta
    return params
