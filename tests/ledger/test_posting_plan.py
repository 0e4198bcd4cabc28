"""A posting's one statement (PostgreSQL) finds the ledger rows whose balances it changes through
the primary key, whatever the planner believes of the table: it runs on every transfer, as a
prepared statement whose generic plan once joined unnest to a scan of every ledger account."""

from __future__ import annotations

import pytest

from finlife.kit.db import Database
from finlife.ledger import posting
from tests.plans import generic_plan, scans_of

pytestmark = pytest.mark.postgres_only

THOUSAND_LEDGER_ACCOUNTS = """
INSERT INTO ledger_accounts
    (public_id, code, name, kind, normal_side, currency, balance, held, allow_overdraft, created_at)
SELECT 'lac_plan_' || n, 'plan.' || n, 'plan ' || n, 'deposit', 'credit', 'CNY', 0, 0, false, now()
FROM generate_series(1, 1000) AS n
"""
A_TRANSFER = {
    "public_id": "'jen_plan'",
    "kind": "'transfer'",
    "memo": "''",
    "details": "'{}'",
    "actor_user_id": "NULL",
    "channel": "'branch'",
    "reverses_id": "NULL",
    "created_at": "now()",
    "id0": "5",
    "balance0": "100",
    "id1": "6",
    "balance1": "-100",
    "accounts": "'{5,6}'",
    "amounts": "'{100,-100}'",
    "currencies": "'{CNY,CNY}'",
    "balances_after": "'{100,-100}'",
}


def test_a_posting_updates_its_ledger_rows_through_the_primary_key(db: Database) -> None:
    nodes = generic_plan(db, posting._posting_sql(2), A_TRANSFER, setup=THOUSAND_LEDGER_ACCOUNTS)
    assert scans_of(nodes, "ledger_accounts") in (["Index Scan"], ["Bitmap Heap Scan"])
    assert "pk_ledger_accounts" in [node.get("Index Name") for node in nodes]


def test_a_join_on_unnest_would_scan_every_ledger_account(db: Database) -> None:
    """Why the rows are named one by one: the planner reads the join as a hash join over a full scan."""
    joined = """UPDATE ledger_accounts AS a SET balance = c.balance
    FROM unnest(%(ids)s::bigint[], %(balances)s::bigint[]) AS c (id, balance) WHERE a.id = c.id"""
    arguments = {"ids": "'{5,6}'", "balances": "'{100,-100}'"}
    nodes = generic_plan(db, joined, arguments, setup=THOUSAND_LEDGER_ACCOUNTS)
    assert scans_of(nodes, "ledger_accounts") == ["Seq Scan"]


def test_a_posting_whose_lines_cancel_out_changes_no_balance() -> None:
    assert "ledger_accounts" not in posting._posting_sql(0)
    assert posting._posting_sql(3).count("::bigint THEN") == 3
